/**
 * Where the bench's deployment keeps its rows: the app's own tables, and each mounted component's
 * (reached with `runInComponent`). Seeding, table sizes and the bench's own look-ups (an
 * organization's row, what a cascade left) go through these, so they find a table wherever the
 * tree being measured keeps it — in Roster today, in the clerkSync component after the move.
 * None of this is measured: `t.run` and `runInComponent` are not instrumented.
 */
import type { GenericMutationCtx, GenericDataModel } from "convex/server";
import { APP_SCOPE } from "./instrument";

type Ctx = GenericMutationCtx<GenericDataModel>;
export type Row = Record<string, unknown>;

/** One database: the app's (scope "app") or a component's (scope = its name). */
export type Store = {
  scope: string;
  tables: string[];
  run: <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;
};

type RunnableBackend = {
  run: <T>(work: (ctx: never) => Promise<T>) => Promise<T>;
  runInComponent?: unknown;
};

/** The app's store and one per component (`{ name, tables }`) mounted on `t`. */
export function storesOf(
  t: RunnableBackend,
  appTables: string[],
  components: Array<{ name: string; tables: string[] }>,
): Store[] {
  const app: Store = {
    scope: APP_SCOPE,
    tables: appTables,
    run: (work) => t.run(work as unknown as (ctx: never) => Promise<never>),
  };
  const runInComponent = t.runInComponent as <T>(name: string, work: (ctx: Ctx) => Promise<T>) => Promise<T>;
  return [
    app,
    ...components.map(({ name, tables }): Store => ({
      scope: name,
      tables,
      run: (work) => runInComponent(name, work),
    })),
  ];
}

/** How a table is named in figures: its own name in the app, `<component>:<table>` in a component. */
export function tableLabel(scope: string, table: string): string {
  return scope === APP_SCOPE ? table : `${scope}:${table}`;
}

/**
 * The rows of `table` (in every store that has one) whose fields equal `where`, by a scan of the
 * table (the bench calls it on small tables, or after a cascade emptied them).
 */
export async function rowsWhere(
  stores: Store[],
  table: string,
  where: Record<string, unknown>,
): Promise<Array<{ scope: string; row: Row }>> {
  const found: Array<{ scope: string; row: Row }> = [];
  for (const store of stores.filter((s) => s.tables.includes(table))) {
    const rows = await store.run(async (ctx) => {
      const out: Row[] = [];
      for await (const row of ctx.db.query(table)) {
        if (Object.entries(where).every(([field, value]) => (row as Row)[field] === value)) out.push(row);
      }
      return out;
    });
    for (const row of rows) found.push({ scope: store.scope, row });
  }
  return found;
}
