/**
 * Applying what Clerk's Backend API returned through the same newer-wins helpers the webhook
 * uses: an older snapshot never overwrites a newer row, and nothing deleted comes back.
 */
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { pageAfter } from "../lib/cursor.js";
import { num, PayloadError, str, type JsonObject } from "../lib/payload.js";
import { applyClerkMembership, deleteClerkMembership, MEMBERSHIP_KIND } from "../model/memberships.js";
import { applyClerkOrganization, deleteClerkOrganization, ORGANIZATION_KIND } from "../model/organizations.js";
import { applyClerkRole, deleteClerkRole, ROLE_KIND } from "../model/roles.js";
import { findByClerkId, markTombstoneProvisional, type SnapshotSource, type SyncResult } from "../model/sync.js";
import { applyClerkUser, deleteClerkUser, USER_KIND } from "../model/users.js";
import type { ClerkKind, ListKind } from "./api.js";

/** Applies a fresh read from Clerk's Backend API (`source` "clerkRead"), newer-wins. */
type Apply = (ctx: MutationCtx, data: JsonObject, version: number, source: SnapshotSource) => Promise<SyncResult>;
type Delete = (ctx: MutationCtx, clerkId: string, version: number) => Promise<SyncResult>;

const FAMILIES = {
  users: { table: "users", tombstone: USER_KIND, apply: applyClerkUser, remove: deleteClerkUser },
  organizations: {
    table: "organizations",
    tombstone: ORGANIZATION_KIND,
    apply: (ctx, data, version, source) => applyClerkOrganization(ctx, data, version, { source }),
    remove: deleteClerkOrganization,
  },
  memberships: {
    table: "memberships",
    tombstone: MEMBERSHIP_KIND,
    apply: applyClerkMembership,
    remove: deleteClerkMembership,
  },
  // Listed by backfill (newer-wins, a deleted role stays deleted); never swept or removed.
  roles: { table: "roles", tombstone: ROLE_KIND, apply: applyClerkRole, remove: deleteClerkRole },
} as const satisfies Record<
  ListKind,
  { table: "users" | "organizations" | "memberships" | "roles"; tombstone: string; apply: Apply; remove: Delete }
>;

/** What applying one page came to. */
export type PageTally = { changed: number; unchanged: number; stale: number; invalid: number };

/**
 * Applies Clerk objects of one kind, each at its `updated_at` version. Objects without an id or an
 * `updated_at`, or that their reader refuses, are counted `invalid` and logged, never half-written.
 */
export async function applyClerkObjects(ctx: MutationCtx, kind: ListKind, items: JsonObject[]): Promise<PageTally> {
  const family = FAMILIES[kind];
  const tally: PageTally = { changed: 0, unchanged: 0, stale: 0, invalid: 0 };
  for (const item of items) {
    const clerkId = str(item, "id");
    const version = num(item, "updated_at");
    if (clerkId === null || version === null) {
      console.warn(`Skipped a Clerk ${kind} object without an id or updated_at: ${JSON.stringify(item).slice(0, 200)}`);
      tally.invalid += 1;
      continue;
    }
    const before = await findByClerkId(ctx, family.table, clerkId);
    let result: SyncResult;
    try {
      // The readers throw before writing anything, so a refused object leaves no trace.
      // A fresh read: Clerk has the object now, so what a reconcile removed comes back.
      result = await family.apply(ctx, item, version, "clerkRead");
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      console.warn(`Skipped Clerk ${kind} ${clerkId}: ${error.message}`);
      tally.invalid += 1;
      continue;
    }
    if (result === "stale") tally.stale += 1;
    else if (before !== null && before.clerkVersion === version) tally.unchanged += 1;
    else tally.changed += 1;
  }
  return tally;
}

/**
 * Removes rows whose Clerk objects a reconcile found gone, through the delete helpers (cascades,
 * "left" activity), and returns how many it removed. Their tombstones are provisional and keep the
 * removed row's version: Roster inferred the removal, so only a newer webhook snapshot or a fresh
 * read from Clerk (backfill, fetch-missing) restores the row; a late older event never does.
 */
export async function removeClerkObjects(
  ctx: MutationCtx,
  kind: ClerkKind,
  clerkIds: string[],
  now: number,
): Promise<number> {
  const family = FAMILIES[kind];
  let removed = 0;
  for (const clerkId of clerkIds) {
    const row = await findByClerkId(ctx, family.table, clerkId);
    // Already gone (Clerk's own delete, or a cascade): nothing to remove, and a final tombstone stays final.
    if (row === null) continue;
    await family.remove(ctx, clerkId, now);
    await markTombstoneProvisional(ctx, family.tombstone, clerkId, row.clerkVersion);
    removed += 1;
  }
  return removed;
}

/** A Convex row the reconcile sweep checks against Clerk. */
export type SweptRow = { clerkId: string; organizationId?: string; userId?: string };

/** One page of the synced rows of a kind, in index order, for the sweep. */
export async function sweepPageOf(
  ctx: QueryCtx,
  kind: ClerkKind,
  cursor: string | null,
  numItems: number,
): Promise<{ rows: SweptRow[]; continueCursor: string | null; isDone: boolean }> {
  if (kind === "memberships") {
    // Grouped by organization, so one Clerk request checks many rows.
    const page = await pageAfter(ctx.db, { table: "memberships", index: "by_organization_and_user", cursor, numItems });
    return {
      rows: page.page.map((m) => ({ clerkId: m.clerkId, organizationId: m.organizationId, userId: m.userId })),
      continueCursor: page.continueCursor,
      isDone: page.isDone,
    };
  }
  const page = await pageAfter(ctx.db, { table: FAMILIES[kind].table, index: "by_clerkId", cursor, numItems });
  return {
    rows: page.page.map((row) => ({ clerkId: row.clerkId })),
    continueCursor: page.continueCursor,
    isDone: page.isDone,
  };
}
