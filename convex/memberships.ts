import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, mutation } from "./_generated/server";
import { clerk } from "./clerk";
import { requireIdentity } from "./model/access";
import {
  DEPARTURE_PRUNE_BATCH,
  dropDepartureNote,
  noteDeparture as writeDepartureNote,
  pruneDepartureNotes,
} from "./model/departures";

const LAST_KEEPER_MESSAGE =
  "Someone must keep the right to manage this team's members and to delete it. Make another member an admin first, or delete the team.";

/**
 * Called by the team page just before it asks Clerk to remove a member (`userId` another member:
 * the caller must be allowed to manage members) or to leave (`userId` the caller). Refuses, as
 * Clerk would, when the team would be left without a member who may manage members and delete it
 * (ConvexError `LAST_KEEPER`), and refuses a `userId` not in the team (`NOT_A_MEMBER`); else notes
 * who acted, so the webhook's feed entry can say it. One component call.
 */
export const noteDeparture = mutation({
  args: { organizationId: v.string(), userId: v.string() },
  returns: v.null(),
  handler: async (ctx, { organizationId, userId }) => {
    const identity = await requireIdentity(ctx);
    const {
      membership: caller,
      access,
      targetIsMember,
      wouldOrphan,
    } = await clerk.departure(ctx, {
      userId: identity.subject,
      organizationId,
      targetUserId: userId,
    });
    if (userId !== caller.userId && !access.canManageMembers)
      throw new ConvexError({ code: "NOT_AN_ADMIN", message: "Only members who may manage members can remove one." });
    // Notes are only about members: one per member at most, and none waiting for someone who joins later.
    if (!targetIsMember)
      throw new ConvexError({ code: "NOT_A_MEMBER", message: "This person is not a member of this team." });
    if (wouldOrphan) throw new ConvexError({ code: "LAST_KEEPER", message: LAST_KEEPER_MESSAGE });
    await writeDepartureNote(ctx, { organizationId, userId, actorId: caller.userId }, Date.now());
    return null;
  },
});

/** Clerk refused the departure the caller noted: the note goes (the caller's own, or one they may make). One component call. */
export const dropDeparture = mutation({
  args: { organizationId: v.string(), userId: v.string() },
  returns: v.null(),
  handler: async (ctx, { organizationId, userId }) => {
    const identity = await requireIdentity(ctx);
    const { membership: caller } = await clerk.access(ctx, { userId: identity.subject, organizationId });
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
