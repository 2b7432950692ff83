/**
 * A user's addresses (email, phone, the emails Clerk verified), as erasure needs them: the
 * component erases its copies by them, and the app may have copied them into its own tables
 * (Roster's feed shows invitations by address). Pure, so the client exports it.
 */

/** The most verified addresses kept for one user (Clerk users have a handful). */
export const MAX_VERIFIED_EMAILS = 20;

/** The most addresses one erasure carries: a row's email (as typed and in lower case), phone and verified emails. */
export const MAX_ERASED_ADDRESSES = 3 + MAX_VERIFIED_EMAILS;

/**
 * A deleted user's addresses (their row's email and phone, and the verified emails invitations were
 * matched on), each once, at most MAX_ERASED_ADDRESSES; [] for no row.
 */
export function addressesOf(
  user: { email: string | null; phone: string | null; verifiedEmails?: string[] | undefined } | null,
): string[] {
  if (user === null) return [];
  const found = [
    user.email,
    user.email?.toLowerCase() ?? null,
    user.phone,
    ...(user.verifiedEmails ?? []).slice(0, MAX_VERIFIED_EMAILS),
  ].filter((address): address is string => address !== null && address !== "");
  return [...new Set(found)];
}
