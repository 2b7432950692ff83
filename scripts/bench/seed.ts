/**
 * Fills a backend with existing rows fast. Applying 10,000 webhooks one by one under convex-test
 * is quadratic (it scans a whole table for every index lookup), so the bench applies one "unit"
 * of real events for template ids (all containing TEMPLATE_TOKEN), then copies every row those
 * events wrote — in every table of the app and of its components, event log included — with the
 * token replaced. The copies are exactly what the real handlers would have written for those ids,
 * whatever the schemas hold.
 */
import { tableLabel, type Row, type Store } from "./stores";

export const TEMPLATE_TOKEN = "zzseedtpl";

/** The id used for copy `i` in place of the template token. */
export function seedToken(i: number): string {
  return `seed${String(i).padStart(6, "0")}`;
}

/** Every row in every table of `store` (the bench's backends are small when this runs). */
export async function snapshotRows(store: Store): Promise<Array<{ table: string; row: Row }>> {
  return await store.run(async (ctx) => {
    const rows: Array<{ table: string; row: Row }> = [];
    for (const table of store.tables) {
      for (const row of await ctx.db.query(table).collect()) rows.push({ table, row });
    }
    return rows;
  });
}

/**
 * Copies every row holding the template token `copies` times (copy i gets `seedToken(i + first)`),
 * in every store, in transactions of at most `batch` inserts; rows of the `singletons` tables are not copied. Returns how many rows it inserted per
 * table (`<component>:<table>` for a component's).
 */
export async function replicateTemplate(
  stores: Store[],
  copies: number,
  { first = 1, batch = 2_000, singletons = [] }: { first?: number; batch?: number; singletons?: string[] } = {},
): Promise<Record<string, number>> {
  const inserted: Record<string, number> = {};
  const snapshots = await Promise.all(stores.map(async (store) => ({ store, rows: await snapshotRows(store) })));
  // Ids of every template row, in any store: a copy pointing at one would point at the template's row.
  const templateIds = new Set(
    snapshots.flatMap(({ rows }) =>
      rows.filter(({ row }) => JSON.stringify(row).includes(TEMPLATE_TOKEN)).map(({ row }) => String(row._id)),
    ),
  );
  for (const { store, rows } of snapshots) {
    const templates = rows
      // A singleton (the instance pin, whose Svix id may hold the token) is one row, not one per copy.
      .filter(({ table, row }) => !singletons.includes(table) && JSON.stringify(row).includes(TEMPLATE_TOKEN))
      .map(({ table, row }) => {
        const { _id: _ignoredId, _creationTime: _ignoredTime, ...fields } = row;
        const text = JSON.stringify(fields);
        // A field holding a Convex id would point every copy at the template's row: refuse to seed.
        for (const id of templateIds)
          if (text.includes(`"${id}"`))
            throw new Error(`${tableLabel(store.scope, table)} rows reference ${id} by Convex id`);
        return { table, text };
      });
    const jobs: Array<{ table: string; text: string }> = [];
    for (let i = 0; i < copies; i++) {
      const token = seedToken(i + first);
      for (const { table, text } of templates) jobs.push({ table, text: text.replaceAll(TEMPLATE_TOKEN, token) });
    }
    for (let start = 0; start < jobs.length; start += batch) {
      const slice = jobs.slice(start, start + batch);
      await store.run(async (ctx) => {
        for (const { table, text } of slice) await ctx.db.insert(table, JSON.parse(text) as never);
      });
      for (const { table } of slice) {
        const label = tableLabel(store.scope, table);
        inserted[label] = (inserted[label] ?? 0) + 1;
      }
    }
  }
  return inserted;
}

/**
 * How many rows each table of every store holds (`<component>:<table>` for a component's), counted a page at a time (one transaction per page: Convex's
 * per-transaction read limit applies here too).
 */
export async function tableSizes(stores: Store[], pageSize = 8_000): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const store of stores) {
    for (const table of store.tables) {
      let cursor: string | null = null;
      let count = 0;
      for (;;) {
        const page: { n: number; cursor: string; isDone: boolean } = await store.run(async (ctx) => {
          const result = await ctx.db.query(table).paginate({ numItems: pageSize, cursor });
          return { n: result.page.length, cursor: result.continueCursor, isDone: result.isDone };
        });
        count += page.n;
        if (page.isDone) break;
        cursor = page.cursor;
      }
      sizes[tableLabel(store.scope, table)] = count;
    }
  }
  return sizes;
}
