import { defineSchema, defineTable } from "convex/server";
import { v, type Infer } from "convex/values";

const nullableString = v.union(v.string(), v.null());

/** What applying one webhook event came to. */
export const vOutcome = v.union(
  v.literal("applied"),
  v.literal("duplicate"),
  v.literal("stale"),
  v.literal("ignored"),
  v.literal("failed"),
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
};

/** Roster's own profile fields, which Clerk does not have; only `users.updateProfile` writes them. */
export const profileFields = {
  bio: v.optional(v.string()),
  /** ISO 3166-1 alpha-2 code, upper case. */
  country: v.optional(v.string()),
  /** A calendar date, `YYYY-MM-DD`. */
  birthday: v.optional(v.string()),
};

export default defineSchema({
  // Written by the user.* webhooks and by users.updateProfile (Roster's own fields, and the row
  // itself when the user edits before user.created lands); read by users.me and the team views.
  users: defineTable({
    ...syncedFields,
    ...clerkUserFields,
    ...profileFields,
  }).index("by_clerkId", ["clerkId"]),

  // Written by every *.deleted webhook; read before any synced write, so deletes are final.
  tombstones: defineTable({
    /** The Clerk object type: "user", "organization", … */
    kind: v.string(),
    clerkId: v.string(),
    /** The version of the delete (envelope timestamp or the payload's `updated_at`). */
    deletedAt: v.number(),
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
    /** The last error, while the event is failed. */
    error: v.optional(v.string()),
    /** The verified body text, kept while the event is failed so it can be applied again. */
    payload: v.optional(v.string()),
  })
    .index("by_svixId", ["svixId"])
    .index("by_outcome", ["outcome"]),
});
