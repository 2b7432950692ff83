import type { Doc, TableNames } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";

/**
 * `value` (or `fallback` when absent or not a finite number: a client may send NaN) kept within
 * 1…`max`: every page, list and batch size goes through this.
 */
export function clampCount(value: number | undefined, fallback: number, max: number): number {
  const count = value !== undefined && Number.isFinite(value) ? value : fallback;
  return Math.max(1, Math.min(Math.floor(count), max));
}

/** One kind of row to remove: removes up to `limit` of them and says how many it removed. */
export type RemovalStep = (limit: number) => Promise<number>;

/**
 * Runs removal steps in order until `budget` rows are removed, so one mutation stays within
 * Convex's limits however many rows there are. `more` says the budget ran out: schedule another.
 */
export async function removeWithin(budget: number, steps: RemovalStep[]): Promise<{ removed: number; more: boolean }> {
  let removed = 0;
  for (const step of steps) {
    removed += await step(budget - removed);
    if (removed >= budget) return { removed, more: true };
  }
  return { removed, more: false };
}

/** Deletes the rows (of one table), running `after` for each; returns how many. */
export async function deleteRows<T extends TableNames>(
  ctx: MutationCtx,
  table: T,
  rows: Array<Doc<T>>,
  after?: (row: Doc<T>) => Promise<void>,
): Promise<number> {
  for (const row of rows) {
    await ctx.db.delete(table, row._id);
    if (after) await after(row);
  }
  return rows.length;
}
