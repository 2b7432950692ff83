import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx } from "../_generated/server";
import { PayloadError, str } from "../lib/payload";
import { vOutcome, type Outcome } from "../schema";
import { peekType, readEnvelope } from "./envelope";
import { eventHandlers } from "./registry";

/** Longest error text kept on a failed event. */
const MAX_ERROR_LENGTH = 2_000;

/** The first row logged for a Svix message: it carries the event's outcome (later deliveries are "duplicate"). */
async function firstDelivery(ctx: QueryCtx, svixId: string): Promise<Doc<"webhookEvents"> | null> {
  return await ctx.db
    .query("webhookEvents")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

/**
 * Applies one verified event exactly once: dedupe on the Svix message id, apply, record the
 * outcome, all in this one transaction. Throws (rolling everything back) when the event cannot
 * be applied; the caller then records the failure in a transaction of its own.
 */
export async function applyEvent(ctx: MutationCtx, svixId: string, payload: string): Promise<Outcome> {
  const now = Date.now();
  const first = await firstDelivery(ctx, svixId);
  if (first && first.outcome !== "failed") {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: first.type,
      clerkIds: first.clerkIds,
      timestamp: first.timestamp,
      receivedAt: now,
      outcome: "duplicate",
      attempts: 1,
    });
    return "duplicate";
  }

  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new PayloadError("event: the body is not JSON");
  }
  const event = readEnvelope(json);
  // Own keys only: a type such as "constructor" must not find Object.prototype's.
  const handler = Object.hasOwn(eventHandlers, event.type) ? eventHandlers[event.type] : undefined;
  const { outcome, clerkIds } = handler
    ? await handler(ctx, event)
    : { outcome: "ignored" as const, clerkIds: [str(event.data, "id")].filter((id) => id !== null) };

  const record = { type: event.type, clerkIds, timestamp: event.timestamp, receivedAt: now, outcome };
  if (first) {
    // A failed event applying at last: clear its error and the payload kept for the retry.
    await ctx.db.patch("webhookEvents", first._id, {
      ...record,
      attempts: first.attempts + 1,
      error: undefined,
      payload: undefined,
    });
  } else {
    await ctx.db.insert("webhookEvents", { svixId, ...record, attempts: 1 });
  }
  return outcome;
}

export const apply = internalMutation({
  args: { svixId: v.string(), payload: v.string() },
  returns: vOutcome,
  handler: async (ctx, { svixId, payload }) => await applyEvent(ctx, svixId, payload),
});

/**
 * Records that a verified event failed to apply, with its error and payload, so it survives the
 * rollback and can be applied again (by Svix's retry or `webhooks/log:retryFailed`).
 */
export async function recordFailure(ctx: MutationCtx, svixId: string, payload: string, error: string): Promise<void> {
  const now = Date.now();
  const message = error.slice(0, MAX_ERROR_LENGTH);
  const first = await firstDelivery(ctx, svixId);
  if (first === null) {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: peekType(payload),
      clerkIds: [],
      timestamp: null,
      receivedAt: now,
      outcome: "failed",
      attempts: 1,
      error: message,
      payload,
    });
  } else if (first.outcome === "failed") {
    await ctx.db.patch("webhookEvents", first._id, {
      receivedAt: now,
      attempts: first.attempts + 1,
      error: message,
      payload,
    });
  }
  // Otherwise a concurrent delivery of the same message applied it meanwhile: nothing is lost.
}

export const markFailed = internalMutation({
  args: { svixId: v.string(), payload: v.string(), error: v.string() },
  returns: v.null(),
  handler: async (ctx, { svixId, payload, error }) => {
    await recordFailure(ctx, svixId, payload, error);
    return null;
  },
});
