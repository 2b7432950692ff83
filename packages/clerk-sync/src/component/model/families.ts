import type { WithoutSystemFields } from "convex/server";
import type { Doc } from "../_generated/dataModel.js";
import { fetchMissingLater } from "../clerk/missing.js";
import { requireString, type JsonObject } from "../lib/payload.js";
import { eventVersion, type EventHandler } from "../webhooks/envelope.js";
import { anyParentDeleted, deleteSynced, upsertSynced, type Parent, type SyncedTable } from "./sync.js";

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
    // A parent Convex has never seen (its created event was missed) is fetched from Clerk, when configured.
    if (outcome === "applied") await fetchMissingLater(ctx, parents);
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
