/**
 * The client an app constructs over its mounted component:
 * `new ClerkSync(components.clerkSync, { onChange: internal.clerk.onChange })`.
 * Each method is one call into the component (the app never names a component function itself).
 */
import {
  createFunctionHandle,
  type FunctionReference,
  type GenericDataModel,
  type GenericMutationCtx,
  type GenericQueryCtx,
  type HttpRouter,
} from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import type { Change } from "../component/lib/hooks.js";
import type { Handles } from "../component/schema.js";
import type { EventHookArgs } from "./events.js";
import { registerWebhookRoute, type WebhookRouteOptions } from "./routes.js";

export type { ComponentApi, Handles, Change };
export { vChange, vChangeSource, type ChangeSource, type HookRow } from "../component/lib/hooks.js";
export { MissingSecretError, signingSecrets, SIGNING_SECRET_VARIABLE, webhookAction } from "./routes.js";
export {
  clerkEvents,
  vEventHookArgs,
  type ClerkEventHandler,
  type ClerkEventHandlers,
  type ClerkEventOf,
  type EventHookArgs,
  type EventInfo,
  type EventOutcome,
  type EventSource,
  type OnEventMutation,
  type WebhookEvent,
  type WebhookEventType,
} from "./events.js";

/** A ctx that can run component queries: any query, mutation or action ctx. */
export type RunQueryCtx = Pick<GenericQueryCtx<GenericDataModel>, "runQuery">;
/** A ctx that can run component mutations: a mutation or action ctx. */
export type RunMutationCtx = Pick<GenericMutationCtx<GenericDataModel>, "runQuery" | "runMutation">;

/** The app's change hook: an internal mutation taking one `Change` (see `vChange`). */
export type OnChangeRef = FunctionReference<"mutation", "internal", Change, null>;

/** The app's per-event hook: the internal mutation `clerkEvents` builds (see `vEventHookArgs`). */
export type OnEventRef = FunctionReference<"mutation", "internal", EventHookArgs, null>;

export type ClerkSyncOptions = {
  /**
   * The app's hook, called in the same transaction for every change of a synced row (webhook,
   * retry, backfill, reconcile, cascade, retention, fetch, migration); a throw rolls the change
   * back. null: no hooks — said explicitly, so forgetting one is a type error, not a silent gap.
   */
  onChange: OnChangeRef | null;
  /**
   * The app's per-event-type hooks, one mutation built with `clerkEvents({ "user.created": … })`:
   * called in the same transaction right after each webhook event is applied (deliveries and
   * retries); a throw rolls the event back and keeps it failed. Unset or null: none.
   */
  onEvent?: OnEventRef | null;
};

export class ClerkSync {
  constructor(
    public readonly component: ComponentApi,
    public readonly options: ClerkSyncOptions,
  ) {
    if (options === undefined || !("onChange" in options)) {
      throw new Error("new ClerkSync(component, { onChange }): pass your change hook, or onChange: null for none.");
    }
    const { onEvent } = options;
    if (onEvent !== undefined && onEvent !== null && typeof onEvent !== "object" && typeof onEvent !== "function") {
      throw new Error(
        "new ClerkSync(component, { onEvent }): pass the mutation clerkEvents built (internal.<module>.onEvent), or leave it out.",
      );
    }
  }

  /** The handles the component calls the app through (function handles: paths, never secrets). */
  async handles(): Promise<Handles> {
    const { onChange, onEvent } = this.options;
    return {
      onChange: onChange === null ? null : await createFunctionHandle(onChange),
      onEvent: onEvent === undefined || onEvent === null ? null : await createFunctionHandle(onEvent),
    };
  }

  /** Hands the app's handles to the component (it writes only when they changed); true when it wrote. */
  async storeHandles(ctx: RunMutationCtx): Promise<boolean> {
    return await ctx.runMutation(this.component.config.store, { handles: await this.handles() });
  }

  /** The handles the component holds, or null before the app stored any. */
  async storedHandles(ctx: RunQueryCtx): Promise<Handles | null> {
    return await ctx.runQuery(this.component.config.get, {});
  }

  /**
   * Mounts Clerk's webhook endpoint on the app's router: POST `path` (default "/clerk-webhook"),
   * verified with CLERK_WEBHOOK_SIGNING_SECRET, each event applied in one component mutation that
   * also stores this app's handles when they changed.
   */
  registerRoutes(http: HttpRouter, options: WebhookRouteOptions & { path?: string } = {}): void {
    registerWebhookRoute(http, this.component, { ...options, handles: () => this.handles() });
  }
}
