/**
 * The component's singleton `config` row (its functions: config.ts): the app's handles (schema.ts `vHandles`). A mutation
 * that receives handles calls `storeHandles`, which writes only when they differ from the stored
 * ones, so the row is not a hot spot: concurrent webhooks only read it, and reads do not conflict.
 *
 * Before the first store there are no handles, and work that must call the app (a hook, a Backend
 * API page) cannot run: `requireHandles` fails loudly instead of skipping a hook, so the work stays
 * failed and resumable until the app has stored its handles.
 */
import { ConvexError } from "convex/values";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import type { Handles } from "../schema.js";

/** The error `requireHandles` throws before the app stored its handles. */
export const NOT_CONFIGURED = "CLERK_SYNC_NOT_CONFIGURED";

/**
 * Per transaction, the handles read or stored (keyed by the function's own db object, a new one
 * per call): a delivery reads the config row once, however many hooks it calls.
 */
const handlesOfTransaction = new WeakMap<object, Promise<Handles | null>>();
/** A hooked db (lib/hooks.ts) → the db it wraps, so both share one transaction's memo. */
const wrappedDb = new WeakMap<object, object>();

/** Says `hooked` wraps `raw` (lib/hooks.ts calls it for each hooked db). */
export function sharesTransaction(hooked: object, raw: object): void {
  wrappedDb.set(hooked, raw);
}

function transactionKey(db: object): object {
  return wrappedDb.get(db) ?? db;
}

/** The stored handles, or null before the app stored any (read once per transaction). */
export async function readHandles(ctx: QueryCtx): Promise<Handles | null> {
  const key = transactionKey(ctx.db);
  let handles = handlesOfTransaction.get(key);
  if (handles === undefined) {
    handles = ctx.db
      .query("config")
      .first()
      .then((row) => (row === null ? null : row.handles));
    handlesOfTransaction.set(key, handles);
  }
  return await handles;
}

/** The stored handles, or a ConvexError `{ code: NOT_CONFIGURED }` that names what to do. */
export async function requireHandles(ctx: QueryCtx): Promise<Handles> {
  const handles = await readHandles(ctx);
  if (handles === null) {
    throw new ConvexError({
      code: NOT_CONFIGURED,
      message:
        "The app has not passed its handles to clerkSync yet: its webhook route stores them with each delivery, and the ClerkSync client's operator calls (startSync, retryFailed, …) and storeHandles store them too.",
    });
  }
  return handles;
}

/** True when both name the same function for every handle (either side's keys: a new handle counts). */
export function sameHandles(a: Handles, b: Handles): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Handles>;
  return [...keys].every((key) => a[key] === b[key]);
}

/** Stores `handles` unless the stored ones are the same; true when it wrote. */
export async function storeHandles(ctx: MutationCtx, handles: Handles): Promise<boolean> {
  const row = await ctx.db.query("config").first();
  handlesOfTransaction.set(transactionKey(ctx.db), Promise.resolve(handles));
  if (row === null) {
    await ctx.db.insert("config", { handles });
    return true;
  }
  if (sameHandles(row.handles, handles)) return false;
  await ctx.db.patch("config", row._id, { handles });
  return true;
}
