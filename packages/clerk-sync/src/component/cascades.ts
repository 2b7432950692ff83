import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import { type MutationCtx } from "./_generated/server.js";
import { internalMutation } from "./lib/hooks.js";
import { clampCount, deleteRows, removeWithin, type RemovalStep } from "./lib/bounded.js";
import { eraseCommunications } from "./model/communications.js";
import { countMembership } from "./model/memberCount.js";
import { DOMAIN_KIND } from "./model/domains.js";
import { MEMBERSHIP_KIND } from "./model/memberships.js";
import { eraseOrgInvitations, ORG_INVITATION_KIND } from "./model/orgInvitations.js";
import { ORGANIZATION_KIND } from "./model/organizations.js";
import { markTombstoneProvisional, tombstoneOf } from "./model/sync.js";
import { MAX_ERASED_ADDRESSES } from "./lib/addresses.js";
import { USER_KIND } from "./model/users.js";
import { eraseSignups } from "./model/signups.js";
import { pruneSessions, SESSION_KIND } from "./model/sessions.js";
import { eraseKeptPayloads, KEPT_ERASE_BATCH_SIZE } from "./webhooks/kept.js";
import { scheduleWork } from "./lib/queue.js";

/**
 * Rows one cascade mutation removes at most. Each removal is one read and one write (for a
 * membership of a deleted user, also its "left" activity entry and one shard of its organization's
 * members count; after a reconcile's removal, also the row's provisional tombstone: at most 4 reads
 * and 4 writes), far below Convex's
 * per-transaction limits, so an organization of 50,000 members is removed in 250 small mutations.
 */
export const CASCADE_BATCH_SIZE = 200;

const vParent = v.union(v.literal("organization"), v.literal("user"));

/**
 * The removal steps of a deleted parent's rows. `inferred`: a reconcile removed the parent (its
 * tombstone is provisional), so each synced row it takes keeps its own version in a provisional
 * tombstone, and comes back on the same terms as the parent (model/sync.ts `keepsOut`).
 */
function childSteps(
  ctx: MutationCtx,
  parent: "organization" | "user",
  clerkId: string,
  inferred: boolean,
): RemovalStep[] {
  const keep = (kind: string) => async (row: { clerkId: string; clerkVersion: number }) => {
    if (inferred) await markTombstoneProvisional(ctx, kind, row.clerkId, row.clerkVersion);
  };
  if (parent === "organization") {
    return [
      async (n) =>
        deleteRows(
          ctx,
          "memberships",
          await ctx.db
            .query("memberships")
            .withIndex("by_organization_and_user", (q) => q.eq("organizationId", clerkId))
            .take(n),
          keep(MEMBERSHIP_KIND),
        ),
      async (n) =>
        deleteRows(
          ctx,
          "organizationInvitations",
          await ctx.db
            .query("organizationInvitations")
            .withIndex("by_organization_and_status", (q) => q.eq("organizationId", clerkId))
            .take(n),
          keep(ORG_INVITATION_KIND),
        ),
      async (n) =>
        deleteRows(
          ctx,
          "organizationDomains",
          await ctx.db
            .query("organizationDomains")
            .withIndex("by_organization", (q) => q.eq("organizationId", clerkId))
            .take(n),
          keep(DOMAIN_KIND),
        ),
      // The members count goes last: until every membership is gone, a user's cascade may still take one off.
      async (n) =>
        deleteRows(
          ctx,
          "memberCountShards",
          await ctx.db
            .query("memberCountShards")
            .withIndex("by_organization_and_shard", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
    ];
  }
  return [
    // A deleted user leaves each of their organizations: one member fewer (the app's hook hears each, with the cause).
    async (n) =>
      deleteRows(
        ctx,
        "memberships",
        await ctx.db
          .query("memberships")
          .withIndex("by_user", (q) => q.eq("userId", clerkId))
          .take(n),
        async (row) => {
          await countMembership(ctx, row, -1);
          await keep(MEMBERSHIP_KIND)(row);
        },
      ),
    async (n) =>
      deleteRows(
        ctx,
        "sessions",
        await ctx.db
          .query("sessions")
          .withIndex("by_user_and_status_and_expireAt", (q) => q.eq("userId", clerkId))
          .take(n),
        keep(SESSION_KIND),
      ),
  ];
}

/**
 * user.deleted erasure, after the user's memberships and sessions are gone: their messages, app
 * invitations, waitlist entries and team invitations lose the user's addresses; payloads kept for
 * failed or foreign events that name them are deleted. Each step patches the field it searched by,
 * so no batch finds a row twice. (The app's own data about the user — Roster's activity feed,
 * profile, dismissals — is the app's to erase: its hook hears the user's row deleted.)
 */
function erasureSteps(ctx: MutationCtx, clerkId: string, addresses: string[]): RemovalStep[] {
  const emails = addresses.filter((address) => address.includes("@"));
  return [
    async (n) => eraseCommunications(ctx, clerkId, addresses, n),
    async (n) => eraseSignups(ctx, emails, n),
    // Team invitations made out to the user's address.
    async (n) => eraseOrgInvitations(ctx, clerkId, emails, n),
    // Payloads kept for failed or foreign events that name the user. Each may be 256 KiB, so a
    // batch erases at most KEPT_ERASE_BATCH_SIZE of them (200 would read 50 MiB); reaching that cap
    // uses up the batch's budget, so the cascade schedules another for the rest.
    async (n) => {
      const cap = Math.min(n, KEPT_ERASE_BATCH_SIZE);
      const erased = await eraseKeptPayloads(ctx, clerkId, emails, cap);
      return erased === cap ? n : erased;
    },
  ];
}

/**
 * Removes up to `batchSize` rows that belonged to a deleted organization or user. The parent's
 * tombstone makes late events for these rows stale while it stands. Clerk's own delete needs no
 * more; a reconcile's (provisional) leaves each synced row's version in a tombstone of its own, so
 * the row outlives the parent's return only as newer news. A parent that is back (its provisional
 * tombstone dropped by a newer snapshot or a fresh read) keeps what is left: the cascade stops.
 */
export async function removeChildrenBatch(
  ctx: MutationCtx,
  parent: "organization" | "user",
  clerkId: string,
  batchSize: number,
  addresses: readonly string[] = [],
): Promise<{ removed: number; more: boolean }> {
  const removal = await tombstoneOf(ctx, parent === "user" ? USER_KIND : ORGANIZATION_KIND, clerkId);
  if (removal === null) return { removed: 0, more: false };
  const steps = childSteps(ctx, parent, clerkId, removal.provisional === true);
  return await removeWithin(
    batchSize,
    // A user row's addresses are bounded; a work's come through an unbounded validator: capped here.
    parent === "user" ? [...steps, ...erasureSteps(ctx, clerkId, addresses.slice(0, MAX_ERASED_ADDRESSES))] : steps,
  );
}

/**
 * One batch of a deleted parent's rows, run by hand (`npx convex run --component clerkSync
 * cascades:removeChildren …`); the rest, if any, is queued (lib/queue.ts), as organization.deleted and
 * user.deleted queue theirs. `addresses`: a deleted user's email, phone and
 * verified emails (read from their row before it was deleted), whose copies are erased.
 */
export const removeChildren = internalMutation({
  args: {
    parent: vParent,
    clerkId: v.string(),
    batchSize: v.optional(v.number()),
    addresses: v.optional(v.array(v.string())),
  },
  returns: v.object({ removed: v.number(), more: v.boolean() }),
  source: (_ctx, { parent, clerkId }) => ({ source: "cascade", cause: { kind: parent, clerkId } }),
  handler: async (ctx, { parent, clerkId, batchSize, addresses }) => {
    const size = clampCount(batchSize, CASCADE_BATCH_SIZE, CASCADE_BATCH_SIZE);
    // A user row holds one email and one phone (and a lower-case copy) and its verified emails: bounded.
    const erase = (addresses ?? []).slice(0, MAX_ERASED_ADDRESSES);
    const result = await removeChildrenBatch(ctx, parent, clerkId, size, erase);
    if (result.more)
      await scheduleWork(ctx, {
        kind: "cascade",
        parent,
        clerkId,
        batchSize: size,
        ...(erase.length > 0 ? { addresses: erase } : {}),
      });
    return result;
  },
});

/** Run hourly by crons.ts: drops ended sessions (kept 7 days for late events) in bounded batches. */
export const pruneEndedSessions = internalMutation({
  args: {},
  returns: v.object({ deleted: v.number() }),
  source: "retention",
  handler: async (ctx) => {
    const deleted = await pruneSessions(ctx, Date.now(), CASCADE_BATCH_SIZE);
    if (deleted >= CASCADE_BATCH_SIZE) await ctx.scheduler.runAfter(0, internal.cascades.pruneEndedSessions, {});
    return { deleted };
  },
});
