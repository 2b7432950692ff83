// MOVED FROM the engine (model/users.ts): Roster's profile view and profile update, to rebuild on `profiles` + clerk.getAuthUser.
/** What `api.users.me` returns. */
export const vProfile = v.object({
  clerkId: v.string(),
  name: v.string(),
  ...clerkUserFields,
  bio: v.union(v.string(), v.null()),
  country: v.union(v.string(), v.null()),
  birthday: v.union(v.string(), v.null()),
  /** False until Clerk's `user.created` (or a later user event) has arrived. */
  syncedFromClerk: v.boolean(),
  /** May read the webhook event log and sync health (see model/access.ts). */
  isAppAdmin: v.boolean(),
});
export type Profile = Infer<typeof vProfile>;

/**
 * The caller's profile: their row when there is one, else what their sign-in token says, so a
 * new user sees their name before `user.created` has arrived. Until Clerk's user has arrived, the
 * token's `name` claim comes before username, email and phone (a token may carry a name but no
 * given or family name); afterwards Clerk's fields decide.
 */
export function profileOf(
  clerkId: string,
  row: Doc<"users"> | null,
  identity: UserIdentity,
  isAppAdmin: boolean,
): Profile {
  const clerk: ClerkUser = row ? { ...row } : userFromIdentity(identity);
  const nameClaim = typeof identity.name === "string" && identity.name.trim() !== "" ? identity.name.trim() : null;
  const synced = row !== null && row.clerkVersion > 0;
  const name = (!synced ? (personName(clerk) ?? nameClaim) : null) ?? displayName(clerk, nameClaim ?? undefined);
  return {
    clerkId,
    name,
    email: clerk.email,
    phone: clerk.phone,
    username: clerk.username,
    firstName: clerk.firstName,
    lastName: clerk.lastName,
    imageUrl: clerk.imageUrl,
    publicMetadata: clerk.publicMetadata,
    bio: row?.bio ?? null,
    country: row?.country ?? null,
    birthday: row?.birthday ?? null,
    syncedFromClerk: synced,
    isAppAdmin,
  };
}

/**
 * Saves Roster's own profile fields for the signed-in user. Before `user.created` has arrived
 * the row is created from the sign-in token (version 0), and the webhook fills in the same row.
 */
export async function updateOwnProfile(ctx: MutationCtx, identity: UserIdentity, input: ProfileInput): Promise<void> {
  const patch = validateProfile(input, Date.now());
  if (await isUserDeleted(ctx, identity.subject)) {
    throw new ConvexError({ code: "USER_DELETED", message: "This account has been deleted." });
  }
  const existing = await getUserByClerkId(ctx, identity.subject);
  if (existing) {
    await ctx.db.patch("users", existing._id, patch);
    return;
  }
  await ctx.db.insert("users", {
    clerkId: identity.subject,
    clerkVersion: 0,
    ...userFromIdentity(identity),
    ...patch,
  });
}

