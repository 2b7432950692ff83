import { defineSchema, defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { clerkSyncTables } from "./clerk/schema.js";
import { driftCheckFields } from "./clerk/driftSchema.js";
import { pendingWorkFields } from "./workSchema.js";

const nullableString = v.union(v.string(), v.null());

/** What applying one webhook event came to. */
export const vOutcome = v.union(
  v.literal("applied"),
  v.literal("duplicate"),
  v.literal("stale"),
  v.literal("ignored"),
  v.literal("failed"),
  /** From another Clerk instance than the pinned one: not applied (answered 2xx). */
  v.literal("foreign"),
);
export type Outcome = Infer<typeof vOutcome>;

/** Fields every row synced from Clerk carries, so newer wins and deletes stay final. */
export const syncedFields = {
  /** Clerk's id (`user_…`, `org_…`, `orgmem_…`). */
  clerkId: v.string(),
  /** The Clerk version the row came from: `updated_at`, or the envelope timestamp (ms). 0 = not from Clerk yet. */
  clerkVersion: v.number(),
};

/** A user's fields as Clerk reports them. */
export const clerkUserFields = {
  email: nullableString,
  phone: nullableString,
  username: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  imageUrl: nullableString,
  /** Clerk's `public_metadata` as JSON text: keys Convex forbids (`$x`, `_x`) survive unchanged. */
  publicMetadata: v.string(),
  /**
   * The user's email addresses Clerk has verified, in lower case (at most MAX_VERIFIED_EMAILS): the
   * only ones a team invitation is matched on. Unset on rows from before it, and before Clerk's user arrives.
   */
  verifiedEmails: v.optional(v.array(v.string())),
};

/** An organization's fields as Clerk reports them. */
export const clerkOrganizationFields = {
  name: v.string(),
  slug: nullableString,
  imageUrl: nullableString,
  /** Clerk's `members_count` as the last organization.* event said; the views show the exact count. */
  membersCount: v.union(v.number(), v.null()),
  /** Clerk's `public_metadata` as JSON text. */
  publicMetadata: v.string(),
  /** The Clerk user id of the creator, when Clerk says. */
  createdBy: nullableString,
};

/** A member's public data as the membership payload carries it (shown before their user.* event lands). */
export const vPublicUserData = v.object({
  firstName: nullableString,
  lastName: nullableString,
  imageUrl: nullableString,
  /** The member's email, phone or username, as Clerk chose it. */
  identifier: nullableString,
});

/** A membership's fields as Clerk reports them. */
export const clerkMembershipFields = {
  /** Clerk organization id (`org_…`). */
  organizationId: v.string(),
  /** Clerk user id (`user_…`). */
  userId: v.string(),
  /** Role key, e.g. `org:admin`. */
  role: v.string(),
  roleName: nullableString,
  /** Permission keys the role grants, e.g. `org:sys_memberships:manage`. */
  permissions: v.array(v.string()),
  publicUserData: vPublicUserData,
  /** Lower-case name and identifier, for the member search. */
  searchText: v.string(),
};

/** A run of "Retry failed events" (admin.retryFailed): its progress, as the table keeps it. */
export const retryRunFields = {
  status: v.union(v.literal("running"), v.literal("completed"), v.literal("failed")),
  /** The Clerk user id of the admin who started it. */
  startedBy: v.string(),
  startedAt: v.number(),
  updatedAt: v.number(),
  finishedAt: v.union(v.number(), v.null()),
  /** Failed events last attempted before this are retried; a retry that fails again moves past it. */
  cutoff: v.number(),
  /** Failed events waiting when the run started (counted up to FAILURE_COUNT_CAP). */
  total: v.number(),
  totalCapped: v.boolean(),
  retried: v.number(),
  applied: v.number(),
  stillFailing: v.number(),
  /** Failed events without a kept payload (nothing to re-apply). */
  skipped: v.number(),
  /** Failed events that came from another Clerk instance than the pinned one when retried (now "foreign", kept). Unset on runs from before it was counted. */
  foreign: v.optional(v.number()),
  /** Where the next batch starts in the failed events (a pagination cursor). */
  cursor: v.union(v.string(), v.null()),
  error: v.union(v.string(), v.null()),
};

/**
 * The app's function handles (`createFunctionHandle` strings: function paths, never secrets) that
 * the component calls. The app's client class passes them with each call; the component keeps the
 * last ones so its scheduled work and crons, which no app call starts, find them too.
 */
export const vHandles = v.object({
  /**
   * The app's change hook, a mutation: called once per change of a synced row, in the same
   * transaction. null: the app asked for no hooks (said explicitly, never by omission).
   */
  onChange: v.union(v.string(), v.null()),
  /**
   * The app's per-event hook, a mutation (client `clerkEvents`): called once per webhook event the
   * component applied, found stale or ignored, in the same transaction, for deliveries and retries.
   * null or unset: none (rows stored before it existed have none).
   */
  onEvent: v.optional(v.union(v.string(), v.null())),
});
export type Handles = Infer<typeof vHandles>;

export default defineSchema({
  /** One row: the app's handles. Written by config.ts (only when they differ); read by the component's own work. */
  config: defineTable({ handles: vHandles }),
  ...clerkSyncTables,
  // Written by the user.* webhooks (and the identity claims' stand-in before user.created lands).
  users: defineTable({
    ...syncedFields,
    ...clerkUserFields,
  })
    .index("by_clerkId", ["clerkId"])
    // "Already a member": an address typed in the invite form, against members' primary addresses.
    .index("by_email", ["email"]),

  // Written by organization.* webhooks and by the organization embedded in membership events (only
  // when its own fields change: never for a join or leave); read by the team queries.
  organizations: defineTable({
    ...syncedFields,
    ...clerkOrganizationFields,
    /** No longer written (the exact count is in memberCountShards); kept so older rows still validate. */
    membersCountAt: v.optional(v.number()),
  }).index("by_clerkId", ["clerkId"]),

  // Written by organizationMembership.* webhooks (removed by organization/user delete cascades);
  // read by every team query (who may see what) and the members list.
  memberships: defineTable({
    ...syncedFields,
    ...clerkMembershipFields,
    /** True once the row is in its organization's memberCountShards (rows from before the count have none). */
    counted: v.optional(v.boolean()),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_organization_and_user", ["organizationId", "userId"])
    // The last-admin check (model/keepers.ts) reads only the holders of the roles that keep a team.
    .index("by_organization_and_role", ["organizationId", "role"])
    .index("by_user", ["userId"])
    .searchIndex("search_members", { searchField: "searchText", filterFields: ["organizationId"] }),

  // Written with every membership row inserted or deleted (+1/-1 on the shard its Clerk id picks),
  // dropped by the organization's cascade; read (all shards summed) for the members count.
  memberCountShards: defineTable({
    organizationId: v.string(),
    shard: v.number(),
    count: v.number(),
  }).index("by_organization_and_shard", ["organizationId", "shard"]),

  // Written by organizationDomain.* webhooks; read by the admins of the organization.
  organizationDomains: defineTable({
    ...syncedFields,
    organizationId: v.string(),
    name: v.string(),
    enrollmentMode: nullableString,
    verificationStatus: nullableString,
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_organization", ["organizationId"]),

  // Written by organizationInvitation.* webhooks; read by the admins of the organization.
  organizationInvitations: defineTable({
    ...syncedFields,
    organizationId: v.string(),
    emailAddress: nullableString,
    role: nullableString,
    roleName: nullableString,
    /** pending, accepted, revoked or expired. */
    status: v.string(),
    /** The user who accepted, once accepted. */
    userId: nullableString,
    /** Set by user.deleted erasure: later snapshots of the invitation keep no address. */
    erased: v.optional(v.boolean()),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_organization_and_status", ["organizationId", "status"])
    // user.deleted erasure finds invitations to a deleted user's address (and a user their own).
    .index("by_emailAddress_and_status", ["emailAddress", "status"]),

  // Written by role.* webhooks; read by every permission check (model/access.ts), by key.
  roles: defineTable({
    ...syncedFields,
    key: v.string(),
    name: nullableString,
    description: nullableString,
    /** Permission keys the role holds. */
    permissions: v.array(v.string()),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_key", ["key"]),

  // Written by role.deleted (which carries only the role's id): the key the deleted role had, so
  // its holders get no permissions from it; and by a role's key change (the key it had). Read by
  // every permission check (model/access.ts).
  deletedRoles: defineTable({
    /** Clerk's role id (`role_…`). */
    roleId: v.string(),
    key: v.string(),
    deletedAt: v.number(),
  }).index("by_key", ["key"]),

  // Written when a backfill or reconcile has listed every role Clerk has (clerk/sync.ts; one row,
  // replaced by the next listing); read by a permission check only for a key no role row holds.
  roleListings: defineTable({
    /** When the listing finished (ms). */
    listedAt: v.number(),
    /** How many roles Clerk listed (at least one: an empty list proves nothing). */
    roles: v.number(),
  }).index("by_listedAt", ["listedAt"]),

  // Written by permission.* webhooks.
  permissions: defineTable({
    ...syncedFields,
    key: v.string(),
    name: nullableString,
    description: nullableString,
    type: nullableString,
  }).index("by_clerkId", ["clerkId"]),

  // Written by session.* webhooks (only what the team view needs); expired and ended ones by a cron.
  // Read by the members list's "active now" indicator.
  sessions: defineTable({
    ...syncedFields,
    userId: v.string(),
    /** active, ended, removed, revoked, pending, expired, abandoned … */
    status: v.string(),
    lastActiveAt: v.union(v.number(), v.null()),
    /** Clerk's `expire_at` (ms): past it, an "active" session is not active now. */
    expireAt: v.optional(v.union(v.number(), v.null())),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_user_and_status_and_expireAt", ["userId", "status", "expireAt"])
    .index("by_status_and_clerkVersion", ["status", "clerkVersion"])
    .index("by_status_and_expireAt", ["status", "expireAt"]),

  // Written by email.created / sms.created: what Clerk delivered for the app, without the message
  // body (it may hold one-time codes). Read by the admin activity view.
  communications: defineTable({
    ...syncedFields,
    channel: v.union(v.literal("email"), v.literal("sms")),
    /** Recipient address or phone number. */
    recipient: nullableString,
    userId: nullableString,
    subject: nullableString,
    /** Clerk's template slug, e.g. `verification_code`. */
    template: nullableString,
    status: nullableString,
  })
    .index("by_clerkId", ["clerkId"])
    // user.deleted erasure finds a user's messages by user id and by address.
    .index("by_userId", ["userId"])
    .index("by_recipient", ["recipient"]),

  // Written by invitation.* (app invitations) webhooks.
  appInvitations: defineTable({
    ...syncedFields,
    emailAddress: nullableString,
    status: v.string(),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_emailAddress", ["emailAddress"]), // user.deleted erasure

  // Written by waitlistEntry.* webhooks.
  waitlistEntries: defineTable({
    ...syncedFields,
    emailAddress: nullableString,
    status: v.string(),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_emailAddress", ["emailAddress"]), // user.deleted erasure

  // Written by subscription.* webhooks: the current subscription per payer (user or organization).
  subscriptions: defineTable({
    ...syncedFields,
    /** The Clerk user or organization id that pays. */
    payerId: v.string(),
    status: v.string(),
    /** Names of the plans on the subscription's items. */
    plans: v.array(v.string()),
  })
    .index("by_clerkId", ["clerkId"])
    .index("by_payer", ["payerId"]),

  // Written by every *.deleted webhook; read before any synced write, so deletes are final.
  tombstones: defineTable({
    /** The Clerk object type: "user", "organization", … */
    kind: v.string(),
    clerkId: v.string(),
    /** The version of the delete (envelope timestamp or the payload's `updated_at`). */
    deletedAt: v.number(),
    /**
     * Set by a reconcile (Roster inferred the object gone, or its parent), with `deletedAt` the removed
     * row's version: a strictly newer webhook snapshot or a fresh read from Clerk undoes it (and drops it).
     */
    provisional: v.optional(v.boolean()),
  }).index("by_kind_and_clerkId", ["kind", "clerkId"]),

  // Written by webhook ingestion (one row per delivery: the first with the event's outcome, later
  // ones "duplicate"); read by dedupe, the retry tool, retention and the admin activity view.
  webhookEvents: defineTable({
    svixId: v.string(),
    /** The event type (`user.created`), or "" when the payload had none. */
    type: v.string(),
    /** The Clerk ids the event touched (user, organization, membership …). */
    clerkIds: v.array(v.string()),
    /** The envelope's `timestamp` (ms), when it had one. */
    timestamp: v.union(v.number(), v.null()),
    /** When the latest delivery of this event arrived (ms). */
    receivedAt: v.number(),
    outcome: vOutcome,
    /** How many times applying was tried (failed deliveries and retries included). */
    attempts: v.number(),
    /** The last error, while the event is failed; for a "foreign" event, which instance sent it. */
    error: v.optional(v.string()),
    /** Legacy: payloads now live in `failedPayloads`. Never written; cleared when the event applies. */
    payload: v.optional(v.string()),
    /** The Clerk instance a "foreign" event came from. */
    instanceId: v.optional(v.string()),
    /** The type's family (`organizationMembership` for `organizationMembership.created`); unset on rows logged before it existed. */
    family: v.optional(v.string()),
    /**
     * When a failed or foreign event was first kept (ms): its retention runs from here, however often
     * it is retried. Unset on settled rows and, until webhooks/migrations:movePayloads runs, on older ones.
     */
    firstFailedAt: v.optional(v.number()),
  })
    .index("by_svixId", ["svixId"])
    .index("by_outcome_and_receivedAt", ["outcome", "receivedAt"])
    // Retention of failed and foreign events, and the migration that finds rows without it.
    .index("by_outcome_and_firstFailedAt", ["outcome", "firstFailedAt"])
    // The foreign instances seen (one read per distinct id), and the events to apply once one is pinned.
    .index("by_outcome_and_instanceId", ["outcome", "instanceId"])
    // The admin event log's family filter, alone and with an outcome.
    .index("by_family_and_receivedAt", ["family", "receivedAt"])
    .index("by_outcome_and_family_and_receivedAt", ["outcome", "family", "receivedAt"]),

  // Written by admin.retryFailed and the retry batches it schedules (webhooks/log:retryBatch);
  // read by the admin page's live retry progress.
  webhookRetryRuns: defineTable(retryRunFields).index("by_status", ["status"]),

  // Written by webhook ingestion while an event is failed or foreign (its body less private and
  // unsafe metadata), deleted when it applies, is pruned or the user it names is deleted; read only
  // by the retry tool, re-applying foreign events, retention and erasure.
  failedPayloads: defineTable({
    svixId: v.string(),
    payload: v.string(),
  }).index("by_svixId", ["svixId"]),

  // Written with each kept payload: the users it names (Clerk user ids and lower-case email
  // addresses), so user.deleted erasure finds and deletes it; deleted with the payload.
  failedPayloadSubjects: defineTable({
    svixId: v.string(),
    /** A Clerk user id (`user_…`) or a lower-case email address. */
    subject: v.string(),
  })
    .index("by_subject", ["subject"])
    .index("by_svixId", ["svixId"]),

  // Written by the first verified event carrying an `instance_id` when neither CLERK_INSTANCE_ID
  // nor CLERK_SECRET_KEY is set, by the instance check (the secret key's instance, when nothing is
  // pinned) and by an operator's correction; read by every event (rarely written: no hot row), sync
  // health and the doctor.
  clerkInstance: defineTable({
    instanceId: v.string(),
    pinnedAt: v.number(),
    /** The Svix message that pinned it (a first event's pin). */
    svixId: v.optional(v.string()),
    /** Who pinned it; unset on pins from before it was stored (a first event's). */
    source: v.optional(v.union(v.literal("first_event"), v.literal("secret_key"), v.literal("operator"))),
  }).index("by_instanceId", ["instanceId"]),

  // Written by the instance check (webhooks/instance:check: on a schedule, on request, and once when
  // an event arrives with a secret key set and nothing pinned); one row, replaced. Read by every
  // event while nothing is pinned, sync health and the doctor.
  clerkInstanceChecks: defineTable({
    /** When the check was asked for (ms). */
    requestedAt: v.number(),
    /** When it last finished (ms), or null while the first is pending. */
    checkedAt: v.union(v.number(), v.null()),
    /** The instance CLERK_SECRET_KEY belongs to (GET /v1/instance), or null (no key, or the check failed). */
    keyInstanceId: v.union(v.string(), v.null()),
    /** The Frontend API hosts Clerk lists for the key (GET /v1/domains), lower case. */
    keyHosts: v.array(v.string()),
    /** Why the check could not ask Clerk, or null. */
    error: v.union(v.string(), v.null()),
  }).index("by_requestedAt", ["requestedAt"]),

  // Drift watch (clerk/drift.ts): written by its hourly check with CLERK_SECRET_KEY set (one row,
  // replaced); read by sync health (drift:status) and the next check.
  driftChecks: defineTable(driftCheckFields).index("by_checkedAt", ["checkedAt"]),

  // The durable work queue (work.ts): written when a fetch of a missing object is scheduled, or when
  // an attempt of a cascade batch or a user's membership page fails (one row per distinct work,
  // shared by repeats), by each of its runs (deleted in the success's own transaction; a failure
  // records its error and backoff), and by resumes; read by scheduling (is the work queued?), its
  // runs, the hourly sweep and sync health (stalled rows).
  pendingWork: defineTable(pendingWorkFields)
    .index("by_key", ["key"])
    .index("by_status_and_nextAttemptAt", ["status", "nextAttemptAt"]),
});
