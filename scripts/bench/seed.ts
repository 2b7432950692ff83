/**
 * Fills a backend with existing rows fast. Applying 10,000 webhooks one by one under convex-test
 * is quadratic (it scans a whole table for every index lookup), so the bench applies one "unit"
 * of real events for template ids (all containing TEMPLATE_TOKEN), then copies every row those
 * events wrote — in every table, event log included — with the token replaced. The copies are
 * exactly what the real handlers would have written for those ids, whatever the schema holds.
 */
import type { TestConvex } from "convex-test";
import type schema from "../../convex/schema";

export const TEMPLATE_TOKEN = "zzseedtpl";

type Backend = TestConvex<typeof schema>;
type Row = Record<string, unknown>;

/** The id used for copy `i` in place of the template token. */
export function seedToken(i: number): string {
  return `seed${String(i).padStart(6, "0")}`;
}

/** Every row in every table (the bench's backends are small when this runs). */
export async function snapshotRows(t: Backend, tables: string[]): Promise<Array<{ table: string; row: Row }>> {
  return await t.run(async (ctx) => {
    const rows: Array<{ table: string; row: Row }> = [];
    for (const table of tables) {
      for (const row of await ctx.db.query(table as "users").collect()) rows.push({ table, row });
    }
    return rows;
  });
}

/**
 * Copies every row holding the template token `copies` times (copy i gets `seedToken(i + first)`),
 * in transactions of at most `batch` inserts. Returns how many rows it inserted per table.
 */
export async function replicateTemplate(
  t: Backend,
  tables: string[],
  copies: number,
  { first = 1, batch = 2_000 }: { first?: number; batch?: number } = {},
): Promise<Record<string, number>> {
  const found = (await snapshotRows(t, tables)).filter(({ row }) => JSON.stringify(row).includes(TEMPLATE_TOKEN));
  const templateIds = new Set(found.map(({ row }) => String(row._id)));
  const templates = found.map(({ table, row }) => {
    const { _id: _ignoredId, _creationTime: _ignoredTime, ...fields } = row;
    const text = JSON.stringify(fields);
    // A field holding a Convex id would point every copy at the template's row: refuse to seed.
    for (const id of templateIds)
      if (text.includes(`"${id}"`)) throw new Error(`${table} rows reference ${id} by Convex id`);
    return { table, text };
  });
  const inserted: Record<string, number> = {};
  const jobs: Array<{ table: string; text: string }> = [];
  for (let i = 0; i < copies; i++) {
    const token = seedToken(i + first);
    for (const { table, text } of templates) jobs.push({ table, text: text.replaceAll(TEMPLATE_TOKEN, token) });
  }
  for (let start = 0; start < jobs.length; start += batch) {
    const slice = jobs.slice(start, start + batch);
    await t.run(async (ctx) => {
      for (const { table, text } of slice) await ctx.db.insert(table as "users", JSON.parse(text) as never);
    });
    for (const { table } of slice) inserted[table] = (inserted[table] ?? 0) + 1;
  }
  return inserted;
}

/**
 * How many rows each table holds, counted a page at a time (one transaction per page: Convex's
 * per-transaction read limit applies here too).
 */
export async function tableSizes(t: Backend, tables: string[], pageSize = 8_000): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of tables) {
    let cursor: string | null = null;
    let count = 0;
    for (;;) {
      const page: { n: number; cursor: string; isDone: boolean } = await t.run(async (ctx) => {
        const result = await ctx.db.query(table as "users").paginate({ numItems: pageSize, cursor });
        return { n: result.page.length, cursor: result.continueCursor, isDone: result.isDone };
      });
      count += page.n;
      if (page.isDone) break;
      cursor = page.cursor;
    }
    sizes[table] = count;
  }
  return sizes;
}
