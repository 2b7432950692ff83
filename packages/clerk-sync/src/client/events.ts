/**
 * Per-event-type hooks, typed from Clerk's own webhook types (`@clerk/backend`, an optional peer:
 * only its types are used). The app builds ONE internal mutation from its handlers and names it as
 * `onEvent` when it constructs `ClerkSync`:
 *
 * ```ts
 * export const onEvent = clerkEvents<DataModel>({
 *   "user.created": async (ctx, event) => {
 *     await ctx.db.insert("welcomes", { userId: event.data.id, email: event.data.email_addresses[0]?.email_address });
 *   },
 * });
 * // new ClerkSync(components.clerkSync, { onChange: …, onEvent: internal.clerk.onEvent })
 * ```
 *
 * The component calls it in the same transaction as the sync, right after it applied the event,
 * for Svix's deliveries and the component's retries; a handler that throws rolls the event back
 * and it is kept as failed, to apply (handler included) when retried. Types without a handler are
 * passed over.
 */
import type { WebhookEvent, WebhookEventType } from "@clerk/backend";
import {
  internalMutationGeneric,
  type GenericDataModel,
  type GenericMutationCtx,
  type RegisteredMutation,
} from "convex/server";
import { v } from "convex/values";
import {
  vEventHookArgs,
  type EventHookArgs,
  type EventOutcome,
  type EventSource,
} from "../component/webhooks/eventHook.js";

export { vEventHookArgs, type EventHookArgs, type EventOutcome, type EventSource };
export type { WebhookEvent, WebhookEventType };

/**
 * The Clerk webhook event of type `K`, as `@clerk/backend` types it, with `type` narrowed to `K`.
 * (`Extract<WebhookEvent, { type: K }>` alone is `never` for types Clerk's union groups, such as
 * `user.created | user.updated`: this picks the member whose `type` includes K.)
 */
export type ClerkEventOf<K extends WebhookEventType> = WebhookEvent extends infer Event
  ? Event extends WebhookEvent
    ? K extends Event["type"]
      ? Omit<Event, "type"> & { type: K }
      : never
    : never
  : never;

/** What became of the event, and who delivered it. */
export type EventInfo = { outcome: EventOutcome; source: EventSource };

/** A handler for events of type `K`: the app's mutation ctx, the typed event. */
export type ClerkEventHandler<DataModel extends GenericDataModel, K extends WebhookEventType> = (
  ctx: GenericMutationCtx<DataModel>,
  event: ClerkEventOf<K>,
  info: EventInfo,
) => Promise<void> | void;

/** Handlers by Clerk event type; each optional. */
export type ClerkEventHandlers<DataModel extends GenericDataModel> = {
  [K in WebhookEventType]?: ClerkEventHandler<DataModel, K>;
};

/** The app's onEvent hook as `ClerkSync`'s options name it (`internal.<module>.onEvent`). */
export type OnEventMutation = RegisteredMutation<"internal", EventHookArgs, Promise<null>>;

/**
 * ONE internal mutation (export it from a module of the app's `convex/`) that dispatches each event
 * the component applied to the handler for its type; types without one are passed over. A handler
 * that is not a function is refused here, when the module loads.
 */
export function clerkEvents<DataModel extends GenericDataModel>(
  handlers: ClerkEventHandlers<DataModel>,
): OnEventMutation {
  for (const [type, handler] of Object.entries(handlers)) {
    if (typeof handler !== "function")
      throw new Error(`clerkEvents: the handler for ${JSON.stringify(type)} is not a function.`);
  }
  const byType = handlers as Record<string, ClerkEventHandler<DataModel, WebhookEventType> | undefined>;
  return internalMutationGeneric({
    args: vEventHookArgs,
    returns: v.null(),
    handler: async (ctx: GenericMutationCtx<DataModel>, { type, event, outcome, source }: EventHookArgs) => {
      // Own keys only: a type such as "constructor" must not find Object.prototype's.
      const handler = Object.hasOwn(byType, type) ? byType[type] : undefined;
      if (handler === undefined) return null;
      await handler(ctx, JSON.parse(event) as ClerkEventOf<WebhookEventType>, { outcome, source });
      return null;
    },
  });
}
