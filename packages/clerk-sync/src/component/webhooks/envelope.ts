import type { MutationCtx } from "../_generated/server.js";
import { isObject, num, obj, PayloadError, str, type JsonObject } from "../lib/payload.js";

/** One Clerk webhook event, read from its verified envelope. */
export type ClerkEvent = {
  type: string;
  data: JsonObject;
  /** The envelope's `timestamp` (ms since the epoch), when present. */
  timestamp: number | null;
  instanceId: string | null;
};

/**
 * Reads Clerk's envelope (`{ data, object: "event", type, timestamp, instance_id,
 * event_attributes }`) from parsed JSON. Throws a PayloadError when there is no type or no data.
 */
export function readEnvelope(json: unknown): ClerkEvent {
  if (!isObject(json)) throw new PayloadError("event: the body is not a JSON object");
  const type = str(json, "type");
  if (type === null) throw new PayloadError('event: "type" is missing or not a string');
  const data = obj(json, "data");
  if (data === null) throw new PayloadError(`${type}: "data" is missing or not an object`);
  return { type, data, timestamp: num(json, "timestamp"), instanceId: str(json, "instance_id") };
}

/**
 * The Clerk version an event carries: the payload's `updated_at`, else the envelope's
 * timestamp (deletes carry no `updated_at`), else the time it arrived.
 */
export function eventVersion(event: ClerkEvent, now: number): number {
  return num(event.data, "updated_at") ?? event.timestamp ?? now;
}

/** What a handler did with an event, and the Clerk ids it touched (for the event log). */
export type HandlerResult = { outcome: "applied" | "stale"; clerkIds: string[] };

/** Applies one event type inside the ingest mutation. Throwing marks the event failed. */
export type EventHandler = (ctx: MutationCtx, event: ClerkEvent) => Promise<HandlerResult>;
