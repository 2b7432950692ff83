import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx } from "../_generated/server";
import { num, str } from "../lib/payload";
import { eventFamily } from "../model/eventLog";
import { vOutcome, type Outcome } from "../schema";
import { readEnvelope } from "./envelope";
import { foreignInstance } from "./instance";
import { eventHandlers } from "./registry";

/** Longest error text kept on a failed event. */
export const MAX_ERROR_LENGTH = 2_000;

/** Keys whose values are never stored, at any depth: Clerk's private and unsafe (user-writable) metadata. */
const PRIVATE_KEYS = new Set(["private_metadata", "unsafe_metadata"]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` as Convex stores strings: unpaired surrogate halves (which Convex rejects) become U+FFFD,
 * and it is cut to at most `max` code units on a character boundary.
 */
export function storableText(text: string, max: number): string {
  const whole = text.replace(LONE_SURROGATE, "\uFFFD");
  if (whole.length <= max) return whole;
  const cut = whole.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  // A high surrogate at the end lost its partner to the cut.
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * A verified body as it may be kept for a retry: `private_metadata` and `unsafe_metadata` removed
 * at any depth (a retry needs neither: no handler reads them). The exact text when it has none.
 * Also returns the parsed event type, for the log (one parse in the failure path).
 */
export function retainablePayload(payload: string): { payload: string; type: string } {
  let stripped = false;
  let json: unknown;
  try {
    json = JSON.parse(payload, (key, value: unknown) => {
      if (PRIVATE_KEYS.has(key)) {
        stripped = true;
        return undefined;
      }
      return value;
    });
  } catch {
    return { payload, type: "" };
  }
  return { payload: stripped ? JSON.stringify(json) : payload, type: storableText(str(json, "type") ?? "", 200) };
}

/** The first row logged for a Svix message: it carries the event's outcome (later deliveries are "duplicate"). */
async function firstDelivery(ctx: QueryCtx, svixId: string): Promise<Doc<"webhookEvents"> | null> {
  return await ctx.db
    .query("webhookEvents")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

async function storedPayload(ctx: QueryCtx, svixId: string): Promise<Doc<"failedPayloads"> | null> {
  return await ctx.db
    .query("failedPayloads")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

/**
 * Applies one verified event exactly once: dedupe on the Svix message id, apply, record the
 * outcome, all in this one transaction. The body is parsed here, once per event: "not_json"
 * means it is not JSON and nothing was written. Throws (rolling everything back) when the event
 * cannot be applied; the caller then records the failure in a transaction of its own.
 */
export async function applyEvent(ctx: MutationCtx, svixId: string, payload: string): Promise<Outcome | "not_json"> {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return "not_json";
  }
  const now = Date.now();
  const first = await firstDelivery(ctx, svixId);
  if (first && first.outcome !== "failed") {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: first.type,
      family: first.family ?? eventFamily(first.type),
      clerkIds: first.clerkIds,
      timestamp: first.timestamp,
      receivedAt: now,
      outcome: "duplicate",
      attempts: 1,
    });
    return "duplicate";
  }

  // Checked before the envelope is read, so nothing from another instance is applied or kept.
  const instanceId = str(json, "instance_id");
  const pinned = await foreignInstance(ctx, instanceId, svixId, now);
  if (pinned !== null && instanceId !== null) {
    const note = `From Clerk instance ${instanceId}, not ${pinned} (the one this deployment is pinned to): not applied.`;
    console.warn(`Clerk event ${svixId}: ${note}`);
    const type = storableText(str(json, "type") ?? "", 200);
    await ctx.db.insert("webhookEvents", {
      svixId,
      type,
      family: eventFamily(type),
      clerkIds: [],
      timestamp: num(json, "timestamp"),
      receivedAt: now,
      outcome: "foreign",
      attempts: 1,
      error: storableText(note, MAX_ERROR_LENGTH),
      instanceId: storableText(instanceId, 200),
    });
    return "foreign";
  }

  const event = readEnvelope(json);
  // Own keys only: a type such as "constructor" must not find Object.prototype's.
  const handler = Object.hasOwn(eventHandlers, event.type) ? eventHandlers[event.type] : undefined;
  const { outcome, clerkIds } = handler
    ? await handler(ctx, event)
    : { outcome: "ignored" as const, clerkIds: [str(event.data, "id")].filter((id) => id !== null) };

  const type = storableText(event.type, 200);
  const record = {
    type,
    family: eventFamily(type),
    clerkIds,
    timestamp: event.timestamp,
    receivedAt: now,
    outcome,
  };
  if (first) {
    // A failed event applying at last: clear its error and delete the payload kept for the retry.
    await ctx.db.patch("webhookEvents", first._id, {
      ...record,
      attempts: first.attempts + 1,
      error: undefined,
      payload: undefined,
    });
    const kept = await storedPayload(ctx, svixId);
    if (kept) await ctx.db.delete("failedPayloads", kept._id);
  } else {
    await ctx.db.insert("webhookEvents", { svixId, ...record, attempts: 1 });
  }
  return outcome;
}

export const apply = internalMutation({
  args: { svixId: v.string(), payload: v.string() },
  returns: v.union(vOutcome, v.literal("not_json")),
  handler: async (ctx, { svixId, payload }) => await applyEvent(ctx, svixId, payload),
});

/**
 * Records that a verified event failed to apply, with its error, and keeps its payload (less
 * private and unsafe metadata) in `failedPayloads`, so it survives the rollback and can be applied
 * again (by Svix's retry or `webhooks/log:retryFailed`). The log row never holds the payload, so
 * the event log and sync health never read one.
 */
export async function recordFailure(ctx: MutationCtx, svixId: string, payload: string, error: string): Promise<void> {
  const now = Date.now();
  const message = storableText(error, MAX_ERROR_LENGTH);
  const first = await firstDelivery(ctx, svixId);
  if (first !== null && first.outcome !== "failed") return; // A concurrent delivery applied it meanwhile.
  const kept = retainablePayload(payload);
  if (first === null) {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: kept.type,
      family: eventFamily(kept.type),
      clerkIds: [],
      timestamp: null,
      receivedAt: now,
      outcome: "failed",
      attempts: 1,
      error: message,
    });
  } else {
    await ctx.db.patch("webhookEvents", first._id, {
      receivedAt: now,
      attempts: first.attempts + 1,
      error: message,
      family: first.family ?? eventFamily(first.type),
      payload: undefined,
    });
  }
  const stored = await storedPayload(ctx, svixId);
  if (stored === null) await ctx.db.insert("failedPayloads", { svixId, payload: kept.payload });
  else if (stored.payload !== kept.payload) await ctx.db.patch("failedPayloads", stored._id, { payload: kept.payload });
}

export const markFailed = internalMutation({
  args: { svixId: v.string(), payload: v.string(), error: v.string() },
  returns: v.null(),
  handler: async (ctx, { svixId, payload, error }) => {
    await recordFailure(ctx, svixId, payload, error);
    return null;
  },
});
