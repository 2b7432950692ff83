/**
 * The app's per-event hook (`onEvent`, built with the client's `clerkEvents`): called once for each
 * webhook event right after the component applied it (or found it stale, or has no handler for its
 * type), inside the same mutation, for deliveries and retries alike. A throw rolls the event back
 * and it is kept as failed, to apply (hook included) when retried. Never called for a duplicate
 * delivery, an event from another Clerk instance, or one that failed.
 */
import type { FunctionHandle } from "convex/server";
import { v, type Infer } from "convex/values";
import type { MutationCtx } from "../_generated/server.js";
import { requireHandles } from "../lib/handles.js";

/** What became of the event when the hook runs. */
export const vEventOutcome = v.union(v.literal("applied"), v.literal("stale"), v.literal("ignored"));
export type EventOutcome = Infer<typeof vEventOutcome>;

/** Who delivered it: Svix (a first delivery or Svix's own retry), or the component's retry of a kept event. */
export const vEventSource = v.union(v.literal("webhook"), v.literal("retry"));
export type EventSource = Infer<typeof vEventSource>;

/**
 * The argument of the app's onEvent hook. `event` is the verified body as Clerk sent it (JSON text:
 * Clerk's metadata may hold keys such as `$x` that a Convex value cannot); the client's
 * `clerkEvents` parses it once and hands each handler the typed event.
 */
export const vEventHookArgs = v.object({
  /** The event type, e.g. `user.created` (dispatch on it without parsing `event`). */
  type: v.string(),
  /** Clerk's whole envelope (`{ data, object, type, timestamp, instance_id, event_attributes }`) as JSON. */
  event: v.string(),
  outcome: vEventOutcome,
  source: vEventSource,
});
export type EventHookArgs = Infer<typeof vEventHookArgs>;

/**
 * Calls the app's onEvent hook, when it named one, with the event just applied. The handles are
 * required (CLERK_SYNC_NOT_CONFIGURED before the app stored any), so no event passes unhooked.
 */
export async function callEventHook(
  ctx: MutationCtx,
  call: { type: string; body: string; outcome: EventOutcome; source: EventSource },
): Promise<void> {
  const { onEvent } = await requireHandles(ctx);
  if (onEvent === undefined || onEvent === null) return;
  await ctx.runMutation(onEvent as FunctionHandle<"mutation", EventHookArgs, null>, {
    type: call.type,
    event: call.body,
    outcome: call.outcome,
    source: call.source,
  });
}
