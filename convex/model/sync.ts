import type { QueryInitializer, NamedTableInfo, WithoutSystemFields } from "convex/server";
import type { DataModel, Doc, TableNames } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { requireString, type JsonObject } from "../lib/payload";
import { eventVersion, type EventHandler } from "../webhooks/envelope";

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

/** The tombstone left by deleting a Clerk object, or null while it lives. */
export async function findTombstone(ctx: QueryCtx, kind: string, clerkId: string) {
  return await ctx.db
    .query("tombstones")
    .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", kind).eq("clerkId", clerkId))
    .unique();
}

/**
 * Writes a Clerk snapshot if it is not older than the row's version and the object was never
 * deleted (deletes are final). A snapshot of the same version is written again: it carries the
 * same data, so applying it twice changes nothing.
 */
export async function upsertSynced<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  kind: string,
  clerkId: string,
  version: number,
  fields: Partial<WithoutSystemFields<Doc<T>>>,
): Promise<SyncResult> {
  if (await findTombstone(ctx, kind, clerkId)) return "stale";
  const existing = await findByClerkId(ctx, table, clerkId);
  if (existing && existing.clerkVersion > version) return "stale";
  if (existing) {
    await ctx.db.patch(table, existing._id, { ...fields, clerkVersion: version } as Partial<Doc<T>>);
  } else {
    await ctx.db.insert(table, { ...fields, clerkId, clerkVersion: version } as unknown as WithoutSystemFields<Doc<T>>);
  }
  return "applied";
}

/**
 * Deletes the row mirroring a Clerk object and leaves a tombstone, so no later snapshot brings
 * it back. A second delete of the same object is stale. Returns the row it removed.
 */
export async function deleteSynced<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  kind: string,
  clerkId: string,
  version: number,
): Promise<{ result: SyncResult; removed: Doc<T> | null }> {
  if (await findTombstone(ctx, kind, clerkId)) return { result: "stale", removed: null };
  await ctx.db.insert("tombstones", { kind, clerkId, deletedAt: version });
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

/** How one Clerk object type maps onto its synced table. */
export type SyncedFamily<T extends SyncedTable> = {
  table: T;
  /** The tombstone kind (Clerk's object name). */
  kind: string;
  /** Reads a Clerk object; throws a PayloadError when it lacks what the row cannot do without. */
  read: (data: JsonObject) => { clerkId: string; fields: Partial<WithoutSystemFields<Doc<T>>>; parents: Parent[] };
};

/** An event handler that writes the event's snapshot through newer-wins, unless a parent is deleted. */
export function snapshotHandler<T extends SyncedTable>(family: SyncedFamily<T>): EventHandler {
  return async (ctx, event) => {
    const { clerkId, fields, parents } = family.read(event.data);
    const clerkIds = [clerkId, ...parents.map((p) => p.clerkId)];
    if (await anyParentDeleted(ctx, parents)) return { outcome: "stale", clerkIds };
    const outcome = await upsertSynced(
      ctx,
      family.table,
      family.kind,
      clerkId,
      eventVersion(event, Date.now()),
      fields,
    );
    return { outcome, clerkIds };
  };
}

/** An event handler for a `*.deleted` event whose data may be only `{ id, object, deleted }`. */
export function deletedHandler<T extends SyncedTable>(family: SyncedFamily<T>): EventHandler {
  return async (ctx, event) => {
    const clerkId = requireString(event.data, "id", event.type);
    const { result } = await deleteSynced(ctx, family.table, family.kind, clerkId, eventVersion(event, Date.now()));
    return { outcome: result, clerkIds: [clerkId] };
  };
}
