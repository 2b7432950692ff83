import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { ActivityKind } from "../schema";

/** Shown for a member whose membership carries no name (their identifier is often an email: never shown). */
const NAMELESS: Record<ActivityKind, string> = {
  member_joined: "A member",
  member_left: "A former member",
  member_left_self: "A former member",
  member_removed: "A former member",
  role_changed: "A member",
  invitation_sent: "Someone",
  invitation_accepted: "Someone",
  invitation_revoked: "Someone",
};

const INVITATION_KINDS: ReadonlySet<ActivityKind> = new Set([
  "invitation_sent",
  "invitation_accepted",
  "invitation_revoked",
]);

/**
 * Adds an entry to an organization's activity feed. `at` is Clerk's time for the change. `name`
 * is the person's name (null when unknown); `email` the invitee's address, kept apart so that
 * only members who may manage members see it.
 */
export async function recordActivity(
  ctx: MutationCtx,
  entry: {
    organizationId: string;
    kind: ActivityKind;
    userId: string | null;
    name: string | null;
    email?: string | null;
    role: string | null;
    at: number;
    /** Who acted, when it was someone else than the person (a removal). */
    actorId?: string;
  },
): Promise<void> {
  const { name, email = null, ...rest } = entry;
  await ctx.db.insert("activity", { ...rest, subject: name ?? NAMELESS[entry.kind], email });
}

/** What an activity entry about a deleted user shows instead of their name or email. */
export const DELETED_USER = "Deleted user";

/** The fields of an entry about a person who is gone: no id, name or address of theirs. */
export const REDACTED = { subject: DELETED_USER, userId: null, email: null } as const;

/** Who a departure entry says acted: the member themselves (left), another member (removed), or unknown (null). */
export function departureKind(userId: string, actorId: string | null): ActivityKind {
  if (actorId === null) return "member_left";
  return actorId === userId ? "member_left_self" : "member_removed";
}

/** Looks like an email address or a phone number (what a membership's identifier holds). */
function looksLikeAddress(text: string): boolean {
  return text.includes("@") || /^\+?[\d\s().-]{6,}$/.test(text);
}

/**
 * One activity entry as a member sees it. Invitees' addresses go only to `canSeeAddresses`; a
 * member's address never shows. Entries written before addresses were kept apart (no `email`
 * field) held the address in `subject`: it is replaced for those who may not see it.
 */
export function activityView(row: Doc<"activity">, canSeeAddresses: boolean) {
  let subject = row.subject;
  const legacy = row.email === undefined;
  if (INVITATION_KINDS.has(row.kind)) {
    const address = legacy ? row.subject : row.email;
    const withoutAddress = legacy ? NAMELESS[row.kind] : row.subject;
    subject = canSeeAddresses && address ? address : withoutAddress;
  } else if (legacy && looksLikeAddress(row.subject)) {
    subject = NAMELESS[row.kind];
  }
  return {
    id: row._id,
    kind: row.kind,
    userId: row.userId,
    subject,
    role: row.role,
    at: row.at,
    actorId: row.actorId ?? null,
  };
}
