/** The most addresses one invite sends (one Clerk call each); convex/model/myInvitations.ts checks as many. */
export const MAX_INVITE_ADDRESSES = 20;

/** The check Clerk's own invite form makes before sending (`/^\S+@\S+\.\S+$/`), on one address. */
export function isEmailAddress(address: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address);
}

/**
 * The addresses typed into the invite form, in lower case, each once, in the order typed:
 * separated by commas, semicolons, spaces or new lines.
 */
export function parseAddresses(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const address = part.trim().toLowerCase();
    if (address !== "") seen.add(address);
  }
  return [...seen];
}

/** What Roster knows of one address before asking Clerk. */
export type AddressCheck =
  { kind: "invalid" } | { kind: "member" } | { kind: "invited"; invitationId: string } | { kind: "send" };

/**
 * Sorts the typed addresses before any call to Clerk: not an address, already a member (by the
 * members Roster knows), already invited (pending invitations Roster lists), or to send.
 */
export function checkAddresses(
  addresses: string[],
  members: ReadonlySet<string>,
  pending: ReadonlyArray<{ invitationId: string; emailAddress: string | null }>,
): Array<{ address: string; check: AddressCheck }> {
  return addresses.map((address) => {
    if (!isEmailAddress(address)) return { address, check: { kind: "invalid" } };
    if (members.has(address)) return { address, check: { kind: "member" } };
    const invited = pending.find((invitation) => invitation.emailAddress?.trim().toLowerCase() === address);
    if (invited) return { address, check: { kind: "invited", invitationId: invited.invitationId } };
    return { address, check: { kind: "send" } };
  });
}
