import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel.js";
import { type MutationCtx, type QueryCtx } from "../_generated/server.js";
import { mutation } from "../lib/hooks.js";
import { num, str } from "../lib/payload.js";
import { eventFamily } from "../model/eventLog.js";
import { vHandles, vOutcome, type Outcome } from "../schema.js";
import { storeHandles } from "../lib/handles.js";
import { readEnvelope } from "./envelope.js";
import { callEventHook, type EventSource } from "./eventHook.js";
import { foreignInstance } from "./instance.js";
import { dropKeptPayload, keepPayload, payloadSubjects } from "./kept.js";
import { eventHandlers } from "./registry.js";

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
 * Also returns the parsed event type and envelope timestamp, for the log, and the users the body
 * names (kept with it, so user.deleted erasure finds it): one parse in the failure path.
 */
export function retainablePayload(payload: string): {
  payload: string;
  type: string;
  timestamp: number | null;
  subjects: string[];
} {
  let stripped = false;
  // Not JSON: kept as it is, with no type, timestamp or user to name (the readers below find none in undefined).
  let json: unknown = undefined;
  try {
    json = JSON.parse(payload, (key, value: unknown) => {
      if (PRIVATE_KEYS.has(key)) {
        stripped = true;
        return undefined;
      }
      return value;
    });
  } catch {
    // Left undefined.
  }
  return {
    payload: stripped ? JSON.stringify(json) : payload,
    type: storableText(str(json, "type") ?? "", 200),
    timestamp: num(json, "timestamp"),
    subjects: payloadSubjects(json),
  };
}

/** Outcomes a later delivery or retry may still change: the event has not taken effect. */
function unsettled(outcome: Outcome): boolean {
  return outcome === "failed" || outcome === "foreign";
}

/** The first row logged for a Svix message: it carries the event's outcome (later deliveries are "duplicate"). */
async function firstDelivery(ctx: QueryCtx, svixId: string): Promise<Doc<"webhookEvents"> | null> {
  return await ctx.db
    .query("webhookEvents")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

/**
 * Applies one verified event exactly once: dedupe on the Svix message id, apply, record the
 * outcome, all in this one transaction. The body is parsed here, once per event: "not_json"
 * means it is not JSON and nothing was written. Throws (rolling everything back) when the event
 * cannot be applied; the caller then records the failure in a transaction of its own.
 */
export async function applyEvent(
  ctx: MutationCtx,
  svixId: string,
  payload: string,
  source: EventSource = "webhook",
): Promise<Outcome | "not_json"> {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return "not_json";
  }
  const now = Date.now();
  const first = await firstDelivery(ctx, svixId);
  if (first && !unsettled(first.outcome)) {
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

  // Checked before the envelope is read, so nothing from another instance is applied; its payload
  // is kept, as a failed event's, to apply once the pin is corrected.
  // An event without an instance_id cannot be checked and passes (Clerk always sends one;
  // `npm run webhook` leaves it out).
  const instanceId = str(json, "instance_id");
  if (instanceId !== null) {
    const pinned = await foreignInstance(ctx, instanceId, svixId, now);
    if (pinned !== null) {
      await keepForeign(ctx, first, svixId, payload, instanceId, pinned, now);
      return "foreign";
    }
  }

  const event = readEnvelope(json);
  // Own keys only: a type such as "constructor" must not find Object.prototype's.
  const handler = Object.hasOwn(eventHandlers, event.type) ? eventHandlers[event.type] : undefined;
  const { outcome, clerkIds } = handler
    ? await handler(ctx, event)
    : { outcome: "ignored" as const, clerkIds: [str(event.data, "id")].filter((id) => id !== null) };
  // The app's per-event hook, in this transaction: its throw rolls the event back (kept as failed).
  await callEventHook(ctx, { type: event.type, body: payload, outcome, source });

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
    // A failed or foreign event applying at last: clear its error and delete the payload kept for it.
    await ctx.db.patch("webhookEvents", first._id, {
      ...record,
      attempts: first.attempts + 1,
      error: undefined,
      payload: undefined,
      instanceId: undefined,
      firstFailedAt: undefined,
    });
    await dropKeptPayload(ctx, svixId);
  } else {
    await ctx.db.insert("webhookEvents", { svixId, ...record, attempts: 1 });
  }
  return outcome;
}

/**
 * One verified delivery, in one transaction: the app's route passes its handles (stored only when
 * they changed), the component's own re-applies pass `retry` (the hooks' `source`).
 */
export const apply = mutation({
  args: { svixId: v.string(), payload: v.string(), handles: v.optional(vHandles), retry: v.optional(v.boolean()) },
  returns: v.union(vOutcome, v.literal("not_json")),
  source: (_ctx, { retry }) => (retry === true ? "retry" : "webhook"),
  handler: async (ctx, { svixId, payload, handles, retry }) => {
    if (handles !== undefined) await storeHandles(ctx, handles);
    return await applyEvent(ctx, svixId, payload, retry === true ? "retry" : "webhook");
  },
});

/**
 * Logs an event from another Clerk instance than the pinned one as "foreign" (its first row, a
 * failed or foreign one included, becomes it: one row per event) and keeps its payload as a failed
 * event's is kept, so correcting the pin applies it (webhooks/instance:applyKeptForeign).
 */
async function keepForeign(
  ctx: MutationCtx,
  first: Doc<"webhookEvents"> | null,
  svixId: string,
  payload: string,
  instanceId: string,
  pinned: string,
  now: number,
): Promise<void> {
  const note = `From Clerk instance ${instanceId}, not ${pinned} (the one this deployment is pinned to): not applied; kept until the pin is corrected.`;
  console.warn(`Clerk event ${svixId}: ${note}`);
  const kept = retainablePayload(payload);
  const fields = {
    receivedAt: now,
    outcome: "foreign" as const,
    error: storableText(note, MAX_ERROR_LENGTH),
    instanceId: storableText(instanceId, 200),
  };
  if (first === null) {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: kept.type,
      family: eventFamily(kept.type),
      clerkIds: [],
      timestamp: kept.timestamp,
      attempts: 1,
      firstFailedAt: now,
      ...fields,
    });
  } else {
    await ctx.db.patch("webhookEvents", first._id, {
      ...fields,
      attempts: first.attempts + 1,
      family: first.family ?? eventFamily(first.type),
      firstFailedAt: first.firstFailedAt ?? first.receivedAt,
      payload: undefined,
    });
  }
  await keepPayload(ctx, svixId, kept.payload, kept.subjects);
}

/**
 * Records that a verified event failed to apply, with its error, and keeps its payload (less
 * private and unsafe metadata) in `failedPayloads`, with the users it names, so it survives the
 * rollback and can be applied again (by Svix's retry or `webhooks/log:retryFailed`). The log row
 * never holds the payload, so the event log and sync health never read one. Retention runs from
 * the first failure (`firstFailedAt`), which a retry does not move.
 */
export async function recordFailure(ctx: MutationCtx, svixId: string, payload: string, error: string): Promise<void> {
  const now = Date.now();
  const message = storableText(error, MAX_ERROR_LENGTH);
  const first = await firstDelivery(ctx, svixId);
  if (first !== null && !unsettled(first.outcome)) return; // A concurrent delivery applied it meanwhile.
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
      firstFailedAt: now,
    });
  } else {
    await ctx.db.patch("webhookEvents", first._id, {
      receivedAt: now,
      outcome: "failed",
      attempts: first.attempts + 1,
      error: message,
      family: first.family ?? eventFamily(first.type),
      firstFailedAt: first.firstFailedAt ?? first.receivedAt,
      instanceId: undefined,
      payload: undefined,
    });
  }
  await keepPayload(ctx, svixId, kept.payload, kept.subjects);
}

export const markFailed = mutation({
  args: { svixId: v.string(), payload: v.string(), error: v.string() },
  returns: v.null(),
  source: "webhook",
  handler: async (ctx, { svixId, payload, error }) => {
    await recordFailure(ctx, svixId, payload, error);
    return null;
  },
});
