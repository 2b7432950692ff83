import type { QueryInitializer, NamedTableInfo, WithoutSystemFields } from "convex/server";
import type { DataModel, Doc, TableNames } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/** Tables whose rows mirror a Clerk object: each has `clerkId`, `clerkVersion` and a `by_clerkId` index. */
export type SyncedTable = {
  [T in TableNames]: Doc<T> extends { clerkId: string; clerkVersion: number } ? T : never;
}[TableNames];

/** What a synced write came to. */
export type SyncResult = "applied" | "stale";

/** The live row mirroring a Clerk object, or null. */
export async function findByClerkId<T extends SyncedTable>(
  ctx: QueryCtx,
  table: T,
  clerkId: string,
): Promise<Doc<T> | null> {
  // Every SyncedTable has the same `by_clerkId` index; TypeScript cannot see that through the union.
  const query = ctx.db.query(table) as unknown as QueryInitializer<NamedTableInfo<DataModel, "users">>;
  const row = await query.withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId)).unique();
  return row as Doc<T> | null;
}

/**
 * The final tombstone left by Clerk's own delete of an object, or null while it lives. A
 * provisional one (a reconcile found the id missing) does not count: a snapshot from Clerk shows
 * the object alive and brings its row back.
 */
export async function findTombstone(ctx: QueryCtx, kind: string, clerkId: string) {
  const tombstone = await anyTombstone(ctx, kind, clerkId);
  return tombstone !== null && tombstone.provisional !== true ? tombstone : null;
}

async function anyTombstone(ctx: QueryCtx, kind: string, clerkId: string) {
  return await ctx.db
    .query("tombstones")
    .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", kind).eq("clerkId", clerkId))
    .unique();
}

/** True when two stored values (strings, numbers, booleans, null, arrays, objects) are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => sameValue(left[key], right[key]));
}

/** True when `row` already holds every field of `fields` (an absent field counts as undefined). */
export function holdsFields(row: object, fields: object): boolean {
  const stored = row as Record<string, unknown>;
  return Object.entries(fields).every(([key, value]) => sameValue(stored[key], value));
}

/** What a synced write came to, and whether it wrote anything. */
export type SyncedWrite = { result: SyncResult; changed: boolean };

/**
 * Marks the tombstone of an object a reconcile just removed as provisional: Roster inferred the
 * removal, so a later webhook or backfill that shows the object alive restores the row, and
 * Clerk's own `*.deleted` makes it final.
 */
export async function markTombstoneProvisional(ctx: MutationCtx, kind: string, clerkId: string): Promise<void> {
  const tombstone = await anyTombstone(ctx, kind, clerkId);
  if (tombstone !== null) await ctx.db.patch("tombstones", tombstone._id, { provisional: true });
}

/**
 * Writes a Clerk snapshot if it is not older than the row's version and the object was never
 * deleted (deletes are final). A snapshot of the row's own version holding the values the row
 * already has writes nothing (it is still "applied": the row says what it says): a no-op write
 * would re-run every query subscribed to the row, and conflict with other writers of it.
 *
 * `onInsert` holds fields only a new row gets (those the snapshot leaves out). `tombstoneChecked`
 * says the caller has just looked for this object's tombstone, so it is not read twice.
 */
export async function writeSynced<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  kind: string,
  clerkId: string,
  version: number,
  fields: Partial<WithoutSystemFields<Doc<T>>>,
  {
    onInsert = {},
    tombstoneChecked = false,
  }: { onInsert?: Partial<WithoutSystemFields<Doc<T>>>; tombstoneChecked?: boolean } = {},
): Promise<SyncedWrite> {
  if (!tombstoneChecked && (await findTombstone(ctx, kind, clerkId))) return { result: "stale", changed: false };
  const existing = await findByClerkId(ctx, table, clerkId);
  if (existing && existing.clerkVersion > version) return { result: "stale", changed: false };
  if (existing) {
    if (existing.clerkVersion === version && holdsFields(existing, fields))
      return { result: "applied", changed: false };
    await ctx.db.patch(table, existing._id, { ...fields, clerkVersion: version } as Partial<Doc<T>>);
  } else {
    await ctx.db.insert(table, {
      ...onInsert,
      ...fields,
      clerkId,
      clerkVersion: version,
    } as unknown as WithoutSystemFields<Doc<T>>);
  }
  return { result: "applied", changed: true };
}

/** `writeSynced`, for callers that only need the outcome. */
export async function upsertSynced<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  kind: string,
  clerkId: string,
  version: number,
  fields: Partial<WithoutSystemFields<Doc<T>>>,
): Promise<SyncResult> {
  return (await writeSynced(ctx, table, kind, clerkId, version, fields)).result;
}

/**
 * Deletes the row mirroring a Clerk object and leaves a tombstone, so no later snapshot brings
 * it back. A second delete of the same object is stale. A provisional tombstone (a reconcile's)
 * becomes final, whether or not the row came back since. Returns the row it removed.
 */
export async function deleteSynced<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  kind: string,
  clerkId: string,
  version: number,
): Promise<{ result: SyncResult; removed: Doc<T> | null }> {
  const tombstone = await anyTombstone(ctx, kind, clerkId);
  if (tombstone !== null && tombstone.provisional !== true) return { result: "stale", removed: null };
  if (tombstone !== null) await ctx.db.replace("tombstones", tombstone._id, { kind, clerkId, deletedAt: version });
  else await ctx.db.insert("tombstones", { kind, clerkId, deletedAt: version });
  const existing = await findByClerkId(ctx, table, clerkId);
  if (existing) await ctx.db.delete(table, existing._id);
  return { result: "applied", removed: existing };
}

/** A Clerk object that must still exist for a child to be written (its organization, its user). */
export type Parent = { kind: string; clerkId: string };

/** True when any of the parents has been deleted. */
export async function anyParentDeleted(ctx: QueryCtx, parents: Parent[]): Promise<boolean> {
  for (const parent of parents) {
    if (await findTombstone(ctx, parent.kind, parent.clerkId)) return true;
  }
  return false;
}
