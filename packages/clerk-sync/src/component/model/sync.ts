import type { QueryInitializer, NamedTableInfo, WithoutSystemFields } from "convex/server";
import type { DataModel, Doc, TableNames } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";

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
 * provisional one (a reconcile found the id missing) does not count here: see `keepsOut`.
 */
export async function findTombstone(ctx: QueryCtx, kind: string, clerkId: string) {
  const tombstone = await tombstoneOf(ctx, kind, clerkId);
  return isFinal(tombstone) ? tombstone : null;
}

/** The tombstone of a Clerk object, final or provisional, or null. */
export async function tombstoneOf(ctx: QueryCtx, kind: string, clerkId: string): Promise<Doc<"tombstones"> | null> {
  return await ctx.db
    .query("tombstones")
    .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", kind).eq("clerkId", clerkId))
    .unique();
}

/** True for the tombstone of Clerk's own delete (final), false for a reconcile's or none. */
export function isFinal(tombstone: Doc<"tombstones"> | null): boolean {
  return tombstone !== null && tombstone.provisional !== true;
}

/**
 * Where a snapshot comes from: a webhook's (Svix's delivery, or a kept payload retried), which may
 * arrive late; or a fresh read from Clerk's Backend API (backfill, fetch-missing), which shows the
 * object as Clerk has it now.
 */
export type SnapshotSource = "webhook" | "clerkRead";

/**
 * True when `tombstone` keeps a snapshot at `version` from `source` out of an absent row. Clerk's
 * own delete keeps every snapshot out. A reconcile's removal (provisional) keeps the removed row's
 * version: only a strictly newer webhook snapshot, or a fresh read from Clerk, brings the row back.
 */
export function keepsOut(tombstone: Doc<"tombstones"> | null, version: number, source: SnapshotSource): boolean {
  if (tombstone === null) return false;
  if (isFinal(tombstone)) return true;
  return source === "webhook" && version <= tombstone.deletedAt;
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
 * Marks the removal of an object's row as inferred (a reconcile found the object gone, or removed
 * its parent): its tombstone becomes provisional and keeps `version`, the removed row's, so only a
 * newer webhook snapshot or a fresh read from Clerk brings the row back (`keepsOut`); Clerk's own
 * `*.deleted` makes it final. Call it for a row just removed (its tombstone, if any, was just written).
 */
export async function markTombstoneProvisional(
  ctx: MutationCtx,
  kind: string,
  clerkId: string,
  version: number,
): Promise<void> {
  const tombstone = await tombstoneOf(ctx, kind, clerkId);
  const mark = { deletedAt: version, provisional: true };
  if (tombstone === null) await ctx.db.insert("tombstones", { kind, clerkId, ...mark });
  else await ctx.db.patch("tombstones", tombstone._id, mark);
}

/**
 * Writes a Clerk snapshot if it is not older than the row's version and the object was never
 * deleted (deletes are final; a reconcile's removal gives way only as `keepsOut` says, and its
 * tombstone goes when the row comes back). A snapshot of the row's own version holding the values
 * the row already has writes nothing (it is still "applied": the row says what it says): a no-op
 * write would re-run every query subscribed to the row, and conflict with other writers of it.
 *
 * `onInsert` holds fields only a new row gets (those the snapshot leaves out). `tombstone` is the
 * object's tombstone when the caller has just read it, so it is not read twice. `source` says
 * whether the snapshot is a webhook's (the default) or a fresh read from Clerk.
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
    tombstone,
    source = "webhook",
  }: {
    onInsert?: Partial<WithoutSystemFields<Doc<T>>>;
    tombstone?: Doc<"tombstones"> | null;
    source?: SnapshotSource;
  } = {},
): Promise<SyncedWrite> {
  const removal = tombstone === undefined ? await tombstoneOf(ctx, kind, clerkId) : tombstone;
  if (isFinal(removal)) return { result: "stale", changed: false };
  const existing = await findByClerkId(ctx, table, clerkId);
  // A provisional tombstone beside a live row (one restored before tombstones went with the
  // restore) says nothing: the row's own version decides.
  if (existing === null && keepsOut(removal, version, source)) return { result: "stale", changed: false };
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
  // The row is back: the removal a reconcile inferred is undone.
  if (removal !== null) await ctx.db.delete("tombstones", removal._id);
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
  source: SnapshotSource = "webhook",
): Promise<SyncResult> {
  return (await writeSynced(ctx, table, kind, clerkId, version, fields, { source })).result;
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
  const tombstone = await tombstoneOf(ctx, kind, clerkId);
  if (isFinal(tombstone)) return { result: "stale", removed: null };
  if (tombstone !== null) await ctx.db.replace("tombstones", tombstone._id, { kind, clerkId, deletedAt: version });
  else await ctx.db.insert("tombstones", { kind, clerkId, deletedAt: version });
  const existing = await findByClerkId(ctx, table, clerkId);
  if (existing) await ctx.db.delete(table, existing._id);
  return { result: "applied", removed: existing };
}

/** The Clerk objects that are parents of others, by tombstone kind, with their tables. */
const PARENT_TABLES = { user: "users", organization: "organizations" } as const satisfies Record<string, SyncedTable>;

/** A Clerk object that must still exist for a child to be written (its organization, its user). */
export type Parent = { kind: keyof typeof PARENT_TABLES; clerkId: string };

/**
 * True when a webhook snapshot of a child must not be written because its parent is gone: deleted
 * by Clerk, or removed by a reconcile and not back yet (a child's late event never outruns its
 * parent's return). Only a removed parent costs a second read.
 */
export async function anyParentDeleted(ctx: QueryCtx, parents: Parent[]): Promise<boolean> {
  for (const parent of parents) {
    const tombstone = await tombstoneOf(ctx, parent.kind, parent.clerkId);
    if (await parentGone(ctx, tombstone, parent, "webhook")) return true;
  }
  return false;
}

/**
 * True when `tombstone` (the parent's) keeps a child's snapshot from `source` out: Clerk deleted
 * the parent, or a reconcile removed it and it has no row again yet, for a webhook's snapshot. A
 * fresh read from Clerk shows the child alive, so only Clerk's own delete of the parent counts.
 */
export async function parentGone(
  ctx: QueryCtx,
  tombstone: Doc<"tombstones"> | null,
  parent: Parent,
  source: SnapshotSource,
): Promise<boolean> {
  if (tombstone === null) return false;
  if (isFinal(tombstone)) return true;
  if (source !== "webhook") return false;
  return (await findByClerkId(ctx, PARENT_TABLES[parent.kind], parent.clerkId)) === null;
}
