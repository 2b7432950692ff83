import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { query } from "./_generated/server";
import { requireAppAdmin } from "./model/access";
import {
  computeSyncHealth,
  eventLogPage,
  recentCommunications,
  vCommunication,
  vLoggedEvent,
  vSyncHealth,
} from "./model/eventLog";
import { vOutcome } from "./schema";

/** The webhook event log, newest first, optionally one outcome only; app admins only. */
export const eventLog = query({
  args: { paginationOpts: paginationOptsValidator, outcome: v.optional(vOutcome) },
  returns: paginationResultValidator(vLoggedEvent),
  handler: async (ctx, { paginationOpts, outcome }) => {
    await requireAppAdmin(ctx);
    return await eventLogPage(ctx, paginationOpts, outcome);
  },
});

/** When the last event arrived and how many failed; app admins only. */
export const syncHealth = query({
  args: {},
  returns: vSyncHealth,
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await computeSyncHealth(ctx, Date.now());
  },
});

/** The emails and text messages Clerk delivered for the app, newest first (never their contents); app admins only. */
export const communications = query({
  args: { limit: v.optional(v.number()) },
  returns: v.array(vCommunication),
  handler: async (ctx, { limit }) => {
    await requireAppAdmin(ctx);
    return await recentCommunications(ctx, limit);
  },
});
