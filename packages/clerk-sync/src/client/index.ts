/**
 * The client an app constructs over its mounted component:
 * `new ClerkSync(components.clerkSync, { onChange: internal.clerk.onChange })`.
 * Each method is one call into the component (the app never names a component function itself).
 */
import {
  createFunctionHandle,
  type FunctionArgs,
  type FunctionReturnType,
  type UserIdentity,
  type FunctionReference,
  type GenericDataModel,
  type GenericMutationCtx,
  type GenericQueryCtx,
  type HttpRouter,
} from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import type { Change, vChange as vChangeType } from "../component/lib/hooks.js";
import type { Handles } from "../component/schema.js";
import type { AuthUser, Claims, Refusal } from "../component/reads.js";
import { ConvexError, type Infer } from "convex/values";
import type { EventHookArgs } from "./events.js";
import { registerWebhookRoute, type WebhookRouteOptions } from "./routes.js";

export type { ComponentApi, Handles, Change, AuthUser, Claims, Refusal };
export { PHASES } from "../component/clerk/phases.js";
/** Users' and organizations' `publicMetadata` arrive as JSON text (keys Convex forbids survive): this reads it. */
export { decodeMetadata } from "../component/lib/metadata.js";
/** Bounded work, as the component bounds its own: page sizes kept within 1…max, batch steps within a budget. */
export { clampCount, removeWithin, type RemovalStep } from "../component/lib/bounded.js";
/** A deleted user's addresses, as the component erases by them (for an app's own copies). */
export { addressesOf, MAX_ERASED_ADDRESSES } from "../component/lib/addresses.js";
/** The names the component shows for people (event log, members), for the app to show the same. */
export { displayName, memberName, personName, type NameFields } from "../component/lib/names.js";
export {
  atBoundary,
  vCommunication,
  vDomain,
  vInvitation,
  vMemberAccess,
  vMyOrganization,
  vOrganization,
  vUserInvitation,
  vLoggedEvent,
  vOutcome,
  vRetryRun,
  vRunView,
  vSyncHealth,
  vSyncMode,
} from "./validators.js";
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
/** A ctx that can run component queries and knows who is signed in. */
export type AuthQueryCtx = RunQueryCtx & Pick<GenericQueryCtx<GenericDataModel>, "auth">;
/** A ctx that can run component mutations: a mutation or action ctx. */
export type RunMutationCtx = Pick<GenericMutationCtx<GenericDataModel>, "runQuery" | "runMutation">;

/** The app's change hook: an internal mutation whose args are `vChange.fields` (each call carries one `Change`). */
export type OnChangeRef = FunctionReference<"mutation", "internal", Infer<typeof vChangeType>, null>;

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

  // ---- Reads: one component call each ----

  /**
   * The signed-in user (reads `ctx.auth` itself): their synced row, or before Clerk's `user.created`
   * lands what their token's claims say (`synced: false`); `deleted: true` once `user.deleted` has
   * arrived. null when signed out.
   */
  async getAuthUser(ctx: AuthQueryCtx): Promise<AuthUser | null> {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return null;
    return await ctx.runQuery(this.component.reads.getAuthUser, {
      subject: identity.subject,
      claims: claimsOf(identity),
    });
  }

  /**
   * `userId`'s membership in `organizationId` with their role and what it lets them do now; with
   * `permission`, only if it allows that. Else a ConvexError `{ code }`: USER_DELETED, NOT_A_MEMBER
   * (not a member, or the organization deleted) or NOT_AN_ADMIN (the permission is missing).
   */
  async access(ctx: RunQueryCtx, args: Args<"access">) {
    return granted(await ctx.runQuery(this.component.reads.access, args));
  }

  /** The synced users among `clerkIds` (at most 100, each once); ids with no row are left out. */
  async getUsers(ctx: RunQueryCtx, args: Args<"getUsers">) {
    return await ctx.runQuery(this.component.reads.getUsers, args);
  }

  /** The organizations `userId` belongs to with their role and member count, by name ([] for a deleted user). */
  async organizationsOf(ctx: RunQueryCtx, args: Args<"organizationsOf">) {
    return await ctx.runQuery(this.component.reads.organizationsOf, args);
  }

  /** An organization (null until it syncs) with `userId`'s access there; refusals as `access`. */
  async organization(ctx: RunQueryCtx, args: Args<"organization">) {
    return granted(await ctx.runQuery(this.component.reads.organization, args));
  }

  /**
   * What a members list shows of a page of members beyond their membership (name, identifier,
   * image, active session) and which role keys name no role Clerk has; `userId` must be allowed to
   * read members (refusals as `access`).
   */
  async memberDetails(ctx: RunQueryCtx, args: Args<"memberDetails">) {
    return granted(await ctx.runQuery(this.component.reads.memberDetails, args));
  }

  /** The organization's pending invitations, newest first; `userId` must be allowed to manage members. */
  async pendingInvitations(ctx: RunQueryCtx, args: Args<"pendingInvitations">) {
    return granted(await ctx.runQuery(this.component.reads.pendingInvitations, args)).invitations;
  }

  /** The organization's domains, by name; `userId` must be allowed to read domains. */
  async domains(ctx: RunQueryCtx, args: Args<"domains">) {
    return granted(await ctx.runQuery(this.component.reads.domains, args)).domains;
  }

  /** Who keeps the team (keeper roles, the sole keeper) with `userId`'s access; members only. */
  async keepers(ctx: RunQueryCtx, args: Args<"keepers">) {
    return granted(await ctx.runQuery(this.component.reads.keepers, args));
  }

  /** Before a removal or leave: `userId`'s access, whether `targetUserId` is a member, and whether their going would orphan the team. */
  async departure(ctx: RunQueryCtx, args: Args<"departure">) {
    return granted(await ctx.runQuery(this.component.reads.departure, args));
  }

  /** Which of `emailAddresses` (at most 20) already belong to a member; `userId` must be allowed to manage members. */
  async memberAddresses(ctx: RunQueryCtx, args: Args<"memberAddresses">) {
    return granted(await ctx.runQuery(this.component.reads.memberAddresses, args)).addresses;
  }

  /**
   * The signed-in user's pending team invitations (reads `ctx.auth` itself), matched on their
   * verified addresses only, to teams they are not in; [] when signed out or deleted.
   */
  async invitationsFor(ctx: AuthQueryCtx) {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return [];
    return await ctx.runQuery(this.component.reads.invitationsFor, {
      subject: identity.subject,
      claims: claimsOf(identity),
    });
  }

  // ---- Operator: none of these authorize; the app checks its operator BEFORE calling ----

  /** The latest backfill/reconcile runs with live progress, and whether CLERK_SECRET_KEY is set. */
  async syncStatus(ctx: RunQueryCtx, args: OpArgs<"syncStatus"> = {}) {
    return await ctx.runQuery(this.component.operator.syncStatus, args);
  }
  /** Starts a backfill or reconcile (ConvexError SYNC_RUNNING / CLERK_SECRET_KEY_MISSING); returns its run id. */
  async startSync(ctx: RunMutationCtx, args: OpArgs<"startSync">) {
    return await ctx.runMutation(this.component.operator.startSync, { ...args, handles: await this.handles() });
  }
  /** Continues a failed, cancelled or stalled run. */
  async resumeSync(ctx: RunMutationCtx, args: OpArgs<"resumeSync">) {
    return await ctx.runMutation(this.component.operator.resumeSync, { ...args, handles: await this.handles() });
  }
  /** Stops a run (resumable); a reconcile waiting for a confirmation is cancelled for good. */
  async cancelSync(ctx: RunMutationCtx, args: OpArgs<"cancelSync">) {
    return await ctx.runMutation(this.component.operator.cancelSync, args);
  }
  /** Lets a reconcile that stopped at its cap remove what it found. */
  async confirmSync(ctx: RunMutationCtx, args: OpArgs<"confirmSync">) {
    return await ctx.runMutation(this.component.operator.confirmSync, { ...args, handles: await this.handles() });
  }
  /** The newest retry of the failed events with its progress, or null. */
  async retryRun(ctx: RunQueryCtx) {
    return await ctx.runQuery(this.component.operator.retryRun, {});
  }
  /** Starts retrying every failed event in scheduled batches (ConvexError RETRY_RUNNING while one goes). */
  async retryFailed(ctx: RunMutationCtx, args: OpArgs<"retryFailed">) {
    return await ctx.runMutation(this.component.operator.retryFailed, { ...args, handles: await this.handles() });
  }
  /** Re-applies one failed event of the log now (ConvexError NOT_RETRYABLE says why not). */
  async retryEvent(ctx: RunMutationCtx, args: OpArgs<"retryEvent">) {
    return await ctx.runMutation(this.component.operator.retryEvent, { ...args, handles: await this.handles() });
  }
  /** Tries every stalled scheduled work again (cascades, membership pages, fetches); `more`: the rest follow, scheduled. */
  async resumeWork(ctx: RunMutationCtx) {
    return await ctx.runMutation(this.component.operator.resumeWork, { handles: await this.handles() });
  }
  /**
   * One page of the event log, newest first, with an explicit cursor (null for the first page);
   * `endCursor` (the page's earlier `continueCursor`, once a later page continues from it) makes it
   * every row up to there, so rows received meanwhile push none out of view. Pass usePaginatedQuery's
   * `paginationOpts.endCursor` through.
   */
  async eventLog(ctx: RunQueryCtx, args: OpArgs<"eventLog">) {
    return await ctx.runQuery(this.component.operator.eventLog, args);
  }
  /** When the last event arrived, failures, the instance pin and what disagrees with it, and the drift watch (`drift`). */
  async syncHealth(ctx: RunQueryCtx) {
    return await ctx.runQuery(this.component.operator.syncHealth, {});
  }
  /** Clerk's delivered emails and text messages, newest first (never their contents). */
  async communications(ctx: RunQueryCtx, args: OpArgs<"communications"> = {}) {
    return await ctx.runQuery(this.component.operator.communications, args);
  }
  /** Corrects the instance pin ("scheduled" with a secret key, "pinned" with a named foreign instance). */
  async correctInstancePin(ctx: RunMutationCtx, args: OpArgs<"correctInstancePin"> = {}) {
    return await ctx.runMutation(this.component.operator.correctInstancePin, {
      ...args,
      handles: await this.handles(),
    });
  }
}

type Args<Name extends keyof ComponentApi["reads"]> = FunctionArgs<ComponentApi["reads"][Name]>;
/** An operator call's args, less the handles the client adds itself. */
type OpArgs<Name extends keyof ComponentApi["operator"]> = Omit<
  FunctionArgs<ComponentApi["operator"][Name]>,
  "handles"
>;
/** What a read answers when it does not refuse. */
export type Granted<Ref extends keyof ComponentApi["reads"]> = Exclude<
  FunctionReturnType<ComponentApi["reads"][Ref]>,
  { refused: Refusal }
>;

/** The answer, or the refusal as a ConvexError `{ code, message }` (the codes apps show). */
function granted<T extends object>(answer: T | { refused: Refusal }): T {
  if ("refused" in answer) throw new ConvexError(answer.refused);
  return answer;
}

/** The identity claims the component's fallback reads (strings only; `emailVerified` a boolean). */
export function claimsOf(identity: UserIdentity): Claims {
  const claims: Claims = {};
  for (const key of ["email", "phoneNumber", "nickname", "givenName", "familyName", "pictureUrl", "name"] as const) {
    const value = identity[key];
    if (typeof value === "string") claims[key] = value;
  }
  if (typeof identity.emailVerified === "boolean") claims.emailVerified = identity.emailVerified;
  return claims;
}
