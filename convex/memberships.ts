import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, mutation } from "./_generated/server";
import { memberAccess, requireMember } from "./model/access";
import {
  DEPARTURE_PRUNE_BATCH,
  dropDepartureNote,
  noteDeparture as writeDepartureNote,
  pruneDepartureNotes,
} from "./model/departures";
import { wouldOrphan } from "./model/keepers";
import { clampCount } from "./lib/bounded";
import { countUncounted } from "./model/memberCount";
import { findMembership, followUser as followUserPage, MEMBER_SEARCH_BATCH } from "./model/memberships";

/** Memberships one `countExisting` batch counts at most (one read and one write each, plus ≤ 16 shard writes per organization). */
const COUNT_BATCH_SIZE = 500;

/**
 * Counts the memberships written before members counts existed, in batches that schedule the next:
 * run once after deploying this version (`npx convex run memberships:countExisting`). Running it
 * again changes nothing.
 */
export const countExisting = internalMutation({
  args: { cursor: v.optional(v.union(v.string(), v.null())), batchSize: v.optional(v.number()) },
  returns: v.object({ counted: v.number(), isDone: v.boolean() }),
  handler: async (ctx, { cursor, batchSize }) => {
    const size = clampCount(batchSize, COUNT_BATCH_SIZE, COUNT_BATCH_SIZE);
    const { counted, continueCursor, isDone } = await countUncounted(ctx, cursor ?? null, size);
    if (!isDone) {
      await ctx.scheduler.runAfter(0, internal.memberships.countExisting, { cursor: continueCursor, batchSize: size });
    }
    return { counted, isDone };
  },
});

/** Scheduled by user.* events: the next page of a user's memberships follows their new name and email. */
export const followUser = internalMutation({
  args: { userId: v.string(), cursor: v.string() },
  returns: v.object({ updated: v.number(), isDone: v.boolean() }),
  handler: async (ctx, { userId, cursor }) => await followUserPage(ctx, userId, cursor, MEMBER_SEARCH_BATCH),
});

const LAST_KEEPER_MESSAGE =
  "Someone must keep the right to manage this team's members and to delete it. Make another member an admin first, or delete the team.";

/**
 * Called by the team page just before it asks Clerk to remove a member (`userId` another member:
 * the caller must be allowed to manage members) or to leave (`userId` the caller). Refuses, as
 * Clerk would, when the team would be left without a member who may manage members and delete it
 * (ConvexError `LAST_KEEPER`), and refuses a `userId` not in the team (`NOT_A_MEMBER`); else notes
 * who acted, so the webhook's feed entry can say it.
 */
export const noteDeparture = mutation({
  args: { organizationId: v.string(), userId: v.string() },
  returns: v.null(),
  handler: async (ctx, { organizationId, userId }) => {
    const caller = await requireMember(ctx, organizationId);
    if (userId !== caller.userId) {
      const access = await memberAccess(ctx, caller);
      if (!access.canManageMembers)
        throw new ConvexError({ code: "NOT_AN_ADMIN", message: "Only members who may manage members can remove one." });
    }
    // Notes are only about members: one per member at most, and none waiting for someone who joins later.
    if ((await findMembership(ctx, organizationId, userId)) === null)
      throw new ConvexError({ code: "NOT_A_MEMBER", message: "This person is not a member of this team." });
    if (await wouldOrphan(ctx, organizationId, userId))
      throw new ConvexError({ code: "LAST_KEEPER", message: LAST_KEEPER_MESSAGE });
    await writeDepartureNote(ctx, { organizationId, userId, actorId: caller.userId }, Date.now());
    return null;
  },
});

/** Clerk refused the departure the caller noted: the note goes (the caller's own, or one they may make). */
export const dropDeparture = mutation({
  args: { organizationId: v.string(), userId: v.string() },
  returns: v.null(),
  handler: async (ctx, { organizationId, userId }) => {
    const caller = await requireMember(ctx, organizationId);
    await dropDepartureNote(ctx, organizationId, userId, caller.userId);
    return null;
  },
});

/** Hourly: departure notes whose webhook never came go, in bounded batches. */
export const pruneDepartures = internalMutation({
  args: {},
  returns: v.object({ removed: v.number() }),
  handler: async (ctx) => {
    const { removed, more } = await pruneDepartureNotes(ctx, Date.now(), DEPARTURE_PRUNE_BATCH);
    if (more) await ctx.scheduler.runAfter(0, internal.memberships.pruneDepartures, {});
    return { removed };
  },
});
