/**
 * "Exactly once per change", checked against the tables themselves: between two snapshots of the
 * synced tables, the app hook's calls on each changed row chain from its old state to its new one
 * (each call's `before` is the previous call's `after`), no call names a row that did not change,
 * and no update changes nothing. Used by the hook tests of every path and the hostile-input suite.
 */
import { expect } from "vitest";
import { HOOKED_TABLES, type Change } from "../../packages/clerk-sync/src/component/lib/hooks";
import type { Backend } from "./backend";

type Row = Record<string, unknown> & { _id: string };
/** Rows of the synced tables keyed `table:_id`, as the hook sees them (no `_creationTime`). */
export type HookedRows = Map<string, Row>;

/** `rows` (whole documents, per table) as the hook sees them; tables other than the synced ones left out. */
export function hookedRows(tables: Record<string, unknown[]>): HookedRows {
  const rows: HookedRows = new Map();
  for (const table of HOOKED_TABLES) {
    for (const doc of (tables[table] ?? []) as Array<Row & { _creationTime?: number }>) {
      const { _creationTime: _ignored, ...row } = doc;
      rows.set(`${table}:${row._id}`, row);
    }
  }
  return rows;
}

/** Every row of every synced table, as the hook sees rows. */
export async function snapshotHooked(t: Backend): Promise<HookedRows> {
  const tables = await t.run(async (ctx) => {
    const all: Record<string, unknown[]> = {};
    for (const table of HOOKED_TABLES) all[table] = await ctx.db.query(table).collect();
    return all;
  });
  return hookedRows(tables);
}

/** JSON with object keys sorted, so two equal rows read in another key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The hook's `calls` between `before` and `after` are exactly the changes between them. */
export function expectCallsMatchTables(before: HookedRows, after: HookedRows, calls: Change[]): void {
  const chains = new Map<string, Change[]>();
  for (const call of calls) {
    const row = call.after ?? call.before;
    expect(row, `a ${call.table} ${call.op} names no row`).not.toBeNull();
    const key = `${call.table}:${row!._id}`;
    chains.set(key, [...(chains.get(key) ?? []), call]);
    expect(call.op).toBe(call.before === null ? "create" : call.after === null ? "delete" : "update");
    if (call.op === "update")
      expect(canonical(call.after), `an update of ${key} that changes nothing`).not.toBe(canonical(call.before));
  }
  const changed = new Set<string>();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (canonical(before.get(key) ?? null) !== canonical(after.get(key) ?? null)) changed.add(key);
  }
  for (const key of changed) {
    const chain = chains.get(key);
    expect(chain, `${key} changed and the hook was not told`).toBeDefined();
    expect(chain![0]!.before).toEqual(before.get(key) ?? null);
    expect(chain!.at(-1)!.after).toEqual(after.get(key) ?? null);
    for (let i = 1; i < chain!.length; i += 1) expect(chain![i]!.before).toEqual(chain![i - 1]!.after);
  }
  // A row created and deleted in between shows in neither snapshot; anything else named must have changed.
  for (const [key, chain] of chains) {
    if (changed.has(key)) continue;
    expect(
      chain[0]!.op === "create" && chain.at(-1)!.op === "delete",
      `${key} did not change, yet the hook was told`,
    ).toBe(true);
  }
}
