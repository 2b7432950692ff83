/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { register, runInComponent } from "convex-clerk-sync/test";
import type { TableNames } from "../convex/_generated/dataModel";
import type { MutationCtx } from "../convex/_generated/server";
import schema from "../convex/schema";

/** Every Convex module, for convex-test (Vite 8 drops `!(…)` globs, so the exclusion is a pattern of its own). */
export const modules = import.meta.glob(["../convex/**/*.*s", "!../convex/**/*.test.*s"]);

/** Convex's per-transaction limits, as convex-test names them (documents and bytes read and written, …). */
export type TransactionLimits = Exclude<Parameters<typeof convexTest>[0]["transactionLimits"], boolean | undefined>;

/**
 * A fresh Convex backend with Roster's schema and functions, the clerkSync component mounted as
 * convex/convex.config.ts mounts it, under Convex's per-transaction limits
 * as real Convex enforces them (convex-test's defaults: 16 MiB and 32,000 documents read, 16 MiB and
 * 16,000 documents written, 4,096 index ranges, 1,000 scheduled functions per transaction). Every
 * transaction — a mutation, a query, a scheduled run, and `t.run` itself — that goes past one throws
 * as Convex would. `limits` sets tighter ones for a test that checks a function stays well within them.
 */
export function newBackend(limits: TransactionLimits = {}) {
  // `{}` enforces every default limit; a key given replaces that one limit.
  const t = convexTest({ schema, modules, transactionLimits: limits });
  register(t);
  return t;
}
export type Backend = ReturnType<typeof newBackend>;

export {
  deliver,
  FOREIGN_SECRET,
  newSvixId,
  OTHER_SECRET,
  postEvent,
  SECRET,
  svixHeaders,
  type SignOptions,
} from "./webhookRequests";

/** Rows one seeding transaction writes at most: well under the 16,000 documents a transaction may write. */
export const SEED_BATCH = 1_000;

/**
 * Seeds a large fixture: `insert(ctx, i)` for i = 0 … count - 1, `batch` per transaction. `t.run`
 * is a transaction under the same limits as any function, so a fixture larger than one transaction
 * may write goes in batches, as a real import would. The one way tests seed in bulk.
 */
export async function seedInBatches(
  t: Backend,
  count: number,
  insert: (ctx: MutationCtx, i: number) => Promise<unknown>,
  batch = SEED_BATCH,
): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    await t.run(async (ctx) => {
      for (let i = start; i < Math.min(start + batch, count); i += 1) await insert(ctx, i);
    });
  }
}

/** How many rows the given tables hold together (all tables when none are named). */
export async function countRows(t: Backend, tables: TableNames[] = Object.keys(schema.tables) as TableNames[]) {
  return await t.run(async (ctx) => {
    let total = 0;
    for (const table of tables) total += (await ctx.db.query(table).collect()).length;
    return total;
  });
}

/**
 * Writes `clerkId` as an app admin (public metadata `rosterAdmin: true`) straight into the
 * component's `users`, with no webhook: for tests where a delivered event would itself count
 * (the instance pin, the event log, a deployment no webhook has reached yet).
 */
export async function seedAppAdmin(t: Backend, clerkId: string): Promise<void> {
  await runInComponent(t, async (ctx) => {
    await ctx.db.insert("users", {
      clerkId,
      clerkVersion: 1,
      email: null,
      phone: null,
      username: null,
      firstName: "Ada",
      lastName: null,
      imageUrl: null,
      publicMetadata: JSON.stringify({ rosterAdmin: true }),
    });
  });
}
