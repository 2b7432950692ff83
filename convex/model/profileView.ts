/**
 * Roster's profile: what `api.users.me` returns, built from Clerk's user as the clerkSync component
 * answers it (`clerk.getAuthUser`: the synced row, or before `user.created` lands what the sign-in
 * token says) and Roster's own fields (bio, country, birthday) in its `profiles` table.
 */
import type { UserIdentity } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { displayName, personName } from "./names";
import { validateProfile, type ProfileInput, type ProfilePatch } from "./profile";

const nullableString = v.union(v.string(), v.null());

/** What `api.users.me` returns. */
export const vProfile = v.object({
  clerkId: v.string(),
  name: v.string(),
  email: nullableString,
  phone: nullableString,
  username: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  imageUrl: nullableString,
  /** Clerk's `public_metadata` as JSON text. */
  publicMetadata: v.string(),
  /** The addresses Clerk verified (kept as before the move: optional, and not filled in here). */
  verifiedEmails: v.optional(v.array(v.string())),
  bio: nullableString,
  country: nullableString,
  birthday: nullableString,
  /** False until Clerk's `user.created` (or a later user event) has arrived. */
  syncedFromClerk: v.boolean(),
  /** May read the webhook event log and sync health. */
  isAppAdmin: v.boolean(),
});
export type Profile = Infer<typeof vProfile>;

/**
 * The signed-in user as the profile needs them: Clerk's fields (from the synced row, or from the
 * token's claims before it), and whether Clerk's user has arrived. `clerk.getAuthUser` answers this.
 */
export type ProfileUser = {
  clerkId: string;
  email: string | null;
  phone: string | null;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  publicMetadata: string;
  /** True once Clerk's user has arrived (a row at a real version). */
  synced: boolean;
};

/**
 * The caller's profile. Until Clerk's user has arrived the token's `name` claim comes before
 * username, email and phone (a token may carry a name but no given or family name); afterwards
 * Clerk's fields decide.
 */
export function profileOf(
  user: ProfileUser,
  profile: Doc<"profiles"> | null,
  identity: UserIdentity,
  isAppAdmin: boolean,
): Profile {
  const nameClaim = typeof identity.name === "string" && identity.name.trim() !== "" ? identity.name.trim() : null;
  const name = (!user.synced ? (personName(user) ?? nameClaim) : null) ?? displayName(user, nameClaim ?? undefined);
  return {
    clerkId: user.clerkId,
    name,
    email: user.email,
    phone: user.phone,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    imageUrl: user.imageUrl,
    publicMetadata: user.publicMetadata,
    bio: profile?.bio ?? null,
    country: profile?.country ?? null,
    birthday: profile?.birthday ?? null,
    syncedFromClerk: user.synced,
    isAppAdmin,
  };
}

/** A user's row of Roster's profile fields, or null when they never saved any. */
export async function getProfile(ctx: QueryCtx, userId: string): Promise<Doc<"profiles"> | null> {
  return await ctx.db
    .query("profiles")
    .withIndex("by_userId", (q) => q.eq("userId", userId))
    .unique();
}

/**
 * Saves Roster's own profile fields for the signed-in user (`identity.subject`), in `profiles`
 * only: it needs no Clerk user row, so it works before `user.created` has arrived. An absent field
 * is unchanged, "" clears it; a row left with no field is deleted. Bad input throws
 * INVALID_PROFILE and writes nothing. The caller refuses a deleted user first (users.updateProfile
 * asks `clerk.getAuthUser`): their profile was erased, and must not come back.
 */
export async function updateOwnProfile(ctx: MutationCtx, identity: UserIdentity, input: ProfileInput): Promise<void> {
  const patch = validateProfile(input, Date.now());
  const existing = await getProfile(ctx, identity.subject);
  const fields = mergeProfile(existing, patch);
  if (existing === null) {
    if (Object.keys(fields).length > 0) await ctx.db.insert("profiles", { userId: identity.subject, ...fields });
    return;
  }
  if (Object.keys(fields).length === 0) await ctx.db.delete("profiles", existing._id);
  else await ctx.db.replace("profiles", existing._id, { userId: identity.subject, ...fields });
}

/** The profile fields after `patch` (`undefined` clears one), without the cleared ones. */
function mergeProfile(existing: Doc<"profiles"> | null, patch: ProfilePatch) {
  const merged = { bio: existing?.bio, country: existing?.country, birthday: existing?.birthday };
  for (const key of ["bio", "country", "birthday"] as const) if (key in patch) merged[key] = patch[key];
  const fields: { bio?: string; country?: string; birthday?: string } = {};
  for (const key of ["bio", "country", "birthday"] as const) {
    const value = merged[key];
    if (value !== undefined) fields[key] = value;
  }
  return fields;
}
