import { defineSchema, defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { legacyTables } from "./model/legacyTables";

const nullableString = v.union(v.string(), v.null());

/** Roster's own profile fields, which Clerk does not have; only `users.updateProfile` writes them. */
export const profileFields = {
  bio: v.optional(v.string()),
  /** ISO 3166-1 alpha-2 code, upper case. */
  country: v.optional(v.string()),
  /** A calendar date, `YYYY-MM-DD`. */
  birthday: v.optional(v.string()),
};

/** The kinds of entry in an organization's activity feed. */
export const vActivityKind = v.union(
  v.literal("member_joined"),
  /** Gone from the team, by a path Roster did not start: Clerk's webhook cannot say who acted. */
  v.literal("member_left"),
  /** Left on their own, through Roster (a departure note matched the webhook). */
  v.literal("member_left_self"),
  /** Removed by another member, through Roster (`actorId` says who). */
  v.literal("member_removed"),
  v.literal("role_changed"),
  v.literal("invitation_sent"),
  v.literal("invitation_accepted"),
  v.literal("invitation_revoked"),
);
export type ActivityKind = Infer<typeof vActivityKind>;

/** A member's public data as the membership carries it (kept by the clerkSync hook from the component's membership row). */
const vPublicUserData = v.object({
  firstName: nullableString,
  lastName: nullableString,
  imageUrl: nullableString,
  identifier: nullableString,
});

export default defineSchema({
  // Roster's own profile fields (Clerk does not have them), one row per user who saved any; written
  // only by users.updateProfile, erased when the clerkSync hook hears the user deleted.
  profiles: defineTable({
    /** Clerk user id (`user_…`). */
    userId: v.string(),
    ...profileFields,
  }).index("by_userId", ["userId"]),

  // The members list Roster pages and searches (built-in .paginate() does not work inside a
  // component): a projection of clerkSync's memberships, kept exact by the clerkSync change hook
  // (convex/clerk.ts) in the same transaction as each membership change; never written elsewhere.
  teamMembers: defineTable({
    /** Clerk organization id (`org_…`). */
    organizationId: v.string(),
    /** Clerk user id (`user_…`). */
    userId: v.string(),
    /** Clerk membership id (`orgmem_…`). */
    membershipId: v.string(),
    role: v.string(),
    roleName: nullableString,
    publicUserData: vPublicUserData,
    /** Lower-case name and identifier, for the member search. */
    searchText: v.string(),
  })
    .index("by_membershipId", ["membershipId"])
    .index("by_organization_and_user", ["organizationId", "userId"])
    .index("by_user", ["userId"])
    .searchIndex("search_members", { searchField: "searchText", filterFields: ["organizationId"] }),

  // Written by invitations.dismiss (a user hides a team invitation Clerk offers no decline for);
  // read by invitations.mine. Removed with the user (the change hook's erasure on user.deleted).
  invitationDismissals: defineTable({
    /** The Clerk user id who dismissed it. */
    userId: v.string(),
    /** Clerk's invitation id (`orginv_…`). */
    invitationId: v.string(),
  }).index("by_user_and_invitation", ["userId", "invitationId"]),

  // Written by the clerkSync change hook (convex/clerk.ts) as membership and invitation rows change; read by the activity feed.
  activity: defineTable({
    organizationId: v.string(),
    kind: vActivityKind,
    /** The user the entry is about (the member, or the invitee once known). */
    userId: nullableString,
    /** A name to show for them: their name, or a neutral label; never an address. */
    subject: v.string(),
    /** The invitee's email address (invitation entries), shown to members who may manage members only. */
    email: v.optional(nullableString),
    /** The role involved (joined as, changed to, invited as). */
    role: nullableString,
    /** Who acted, when Roster knows (a member removed by another): their Clerk user id, named when read. */
    actorId: v.optional(nullableString),
    /** When it happened, by Clerk's clock (ms). */
    at: v.number(),
  })
    .index("by_organization_and_at", ["organizationId", "at"])
    // user.deleted erasure: entries about the user, invitations to their email, and entries written
    // before addresses were kept apart (the email in `subject`).
    .index("by_user", ["userId"])
    .index("by_email", ["email"])
    .index("by_subject", ["subject"])
    // user.deleted erasure: entries where the user is named as who acted.
    .index("by_actor", ["actorId"]),

  // Written by memberships.noteDeparture just before the client asks Clerk to remove a member or to
  // leave (one row per organization and member, replaced); read and deleted by the change hook when
  // the membership's delete follows (model/changes.ts), which then says who acted; stale ones by a
  // cron, a deleted team's by its erasure.
  departureNotes: defineTable({
    organizationId: v.string(),
    /** The member who goes. */
    userId: v.string(),
    /** Who asked Clerk: the member themselves (left) or another member (removed). */
    actorId: v.string(),
    /** When it was written (ms); an older note than DEPARTURE_NOTE_TTL_MS says nothing. */
    at: v.number(),
  })
    .index("by_organization_and_user", ["organizationId", "userId"])
    // The hourly prune drops notes whose webhook never came (Clerk refused and the page closed).
    .index("by_at", ["at"]),

  // ---- Legacy: the sync engine's tables from before the clerkSync component (owner: migration) ----
  // Their rows stay on the deployment only while this schema still declares them. They are emptied by
  // `npx convex run migrate:toComponent` (convex/migrate.ts: each row copied into the component, then
  // deleted) and removed in a later release, once every deployment has run it. Any shape is accepted,
  // so the old rows validate; nothing but convex/migrate.ts reads or writes them.
  ...legacyTables,
});
