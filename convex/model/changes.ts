/**
 * Roster's side of the clerkSync change hook (convex/clerk.ts `onChange`): every change of a synced
 * row — webhook, retry, backfill, reconcile, cascade, retention, fetch, migration — arrives here, in
 * the same transaction as the change, and keeps Roster's own data in step with it:
 *
 * - the members projection (`teamMembers`), exact: one row per membership, written nowhere else;
 * - the activity feed: joined, role changed, left / left on their own / removed (departure notes),
 *   invitation sent / accepted / revoked;
 * - erasure: a deleted user's activity, profile and dismissals, a deleted team's feed and departure
 *   notes, in bounded scheduled batches (convex/clerk.ts `eraseUser`, `eraseTeam`).
 *
 * A throw here rolls the component's change back (the webhook event is kept as failed). Each change
 * costs O(1): the projection row (one index read, one write), at most one activity entry (and, for a
 * departure, its note; for a join, the newest entry about the member, to tell a replaced twin), or
 * one scheduled erasure.
 */
import type { Change } from "convex-clerk-sync";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { ActivityKind } from "../schema";
import { departureKind, recordActivity, REDACTED } from "./activity";
import { noteDeparture, takeDepartureNote } from "./departures";
import { personName } from "./names";

/** A membership row as the component's hook hands it over (its fields; `_id` is the component's). */
export type MembershipRow = Pick<
  Doc<"teamMembers">,
  "organizationId" | "userId" | "role" | "roleName" | "publicUserData" | "searchText"
> & { clerkId: string; clerkVersion: number };

/** An organization invitation row as the hook hands it over. */
export type InvitationRow = {
  clerkId: string;
  clerkVersion: number;
  organizationId: string;
  emailAddress: string | null;
  role: string | null;
  roleName: string | null;
  status: string;
  userId: string | null;
};

/** A user row as the hook hands it over: the addresses Roster may have copied. */
export type UserRow = {
  clerkId: string;
  email: string | null;
  phone: string | null;
  verifiedEmails?: string[];
};

/** A change as the hook's validator (`vChange`) lets it through: rows are the component's, untyped. */
export type IncomingChange = Omit<Change, "table" | "before" | "after"> & {
  table: string;
  before: unknown;
  after: unknown;
};

/** Applies one change of a synced row to Roster's own data. */
export async function applyChange(ctx: MutationCtx, change: IncomingChange): Promise<void> {
  switch (change.table) {
    case "memberships":
      await onMembership(ctx, change);
      return;
    case "organizationInvitations":
      await onInvitation(ctx, change);
      return;
    case "users":
      if (change.op === "delete") await onUserDeleted(ctx, readUser(change.before));
      return;
    case "organizations":
      if (change.op === "delete")
        await onOrganizationDeleted(ctx, requireString(change.before, "clerkId", "organization"));
      return;
    default:
      // Roster keeps nothing of the other synced tables (domains, roles, sessions, messages, …).
      return;
  }
}

// ---- Memberships: the projection and the feed ----

/**
 * A migration moving a deployment's rows into the component is not news: it keeps the projection,
 * and the feed (Roster's own table, which stays) already says what happened.
 */
function isNews(change: IncomingChange): boolean {
  return change.source !== "migration";
}

async function onMembership(ctx: MutationCtx, change: IncomingChange): Promise<void> {
  if (change.op === "delete") {
    const before = readMembership(change.before);
    await removeMember(ctx, before.clerkId);
    if (isNews(change)) await recordDeparture(ctx, before, change);
    return;
  }
  const after = readMembership(change.after);
  await projectMember(ctx, after);
  if (!isNews(change)) return;
  const role = after.roleName ?? after.role;
  const entry = {
    organizationId: after.organizationId,
    userId: after.userId,
    name: personName(after.publicUserData),
    role,
    at: after.clerkVersion,
  };
  if (change.op === "create") {
    if (await isReplacedTwin(ctx, after)) return;
    await recordActivity(ctx, { ...entry, kind: "member_joined" });
    return;
  }
  const before = readMembership(change.before);
  if (before.role !== after.role) await recordActivity(ctx, { ...entry, kind: "role_changed" });
}

/** Finds the projection row of a membership. */
async function findMember(ctx: MutationCtx, membershipId: string): Promise<Doc<"teamMembers"> | null> {
  return await ctx.db
    .query("teamMembers")
    .withIndex("by_membershipId", (q) => q.eq("membershipId", membershipId))
    .unique();
}

/**
 * Writes a membership's projection row: inserted, or replaced when there is one (a create for a
 * row already projected replaces it, so replaying a change is harmless; an update for a row not
 * projected yet inserts it, so the projection ends exact whatever it missed). A change that leaves
 * the projected fields as they are (permissions, version) writes nothing.
 */
async function projectMember(ctx: MutationCtx, membership: MembershipRow): Promise<void> {
  const row = {
    organizationId: membership.organizationId,
    userId: membership.userId,
    membershipId: membership.clerkId,
    role: membership.role,
    roleName: membership.roleName,
    publicUserData: membership.publicUserData,
    searchText: membership.searchText,
  };
  const existing = await findMember(ctx, membership.clerkId);
  if (existing === null) await ctx.db.insert("teamMembers", row);
  else if (!holds(existing, row)) await ctx.db.replace("teamMembers", existing._id, row);
}

type Projected = Omit<Doc<"teamMembers">, "_id" | "_creationTime">;

/** True when the projection row already has every projected field as `row` has it. */
function holds(existing: Doc<"teamMembers">, row: Projected): boolean {
  const data = (p: Projected["publicUserData"]) => [p.firstName, p.lastName, p.imageUrl, p.identifier];
  return (
    existing.organizationId === row.organizationId &&
    existing.userId === row.userId &&
    existing.role === row.role &&
    existing.roleName === row.roleName &&
    existing.searchText === row.searchText &&
    data(existing.publicUserData).every((value, i) => value === data(row.publicUserData)[i])
  );
}

async function removeMember(ctx: MutationCtx, membershipId: string): Promise<void> {
  const existing = await findMember(ctx, membershipId);
  if (existing !== null) await ctx.db.delete("teamMembers", existing._id);
}

const DEPARTURES: ReadonlySet<ActivityKind> = new Set(["member_left", "member_left_self", "member_removed"]);

/**
 * True when this create is the component replacing a twin: another membership id of the same
 * person in the same team, which the component deletes just before, in the same transaction
 * (newer wins, component model/memberships.ts). The hook cannot see the component's reasons, so
 * it compares what it can: the newest entry about the person is the "left" entry that delete
 * wrote, in this team, stamped with this transaction's time (Convex pins `Date.now()` for a whole
 * transaction, nested calls included; a later transaction's time is later). That entry goes (the
 * person never left) and no "joined" is written, as the engine's feed did before the move. A real
 * leave and rejoin are two transactions, so they keep both entries. One index read.
 */
async function isReplacedTwin(ctx: MutationCtx, membership: MembershipRow): Promise<boolean> {
  const newest = await ctx.db
    .query("activity")
    .withIndex("by_user", (q) => q.eq("userId", membership.userId))
    .order("desc")
    .first();
  if (newest === null || newest.organizationId !== membership.organizationId || !DEPARTURES.has(newest.kind))
    return false;
  if (newest.at !== Date.now()) return false;
  await ctx.db.delete("activity", newest._id);
  // The twin's delete took the departure note a coming leave or removal was waiting with: it waits on.
  const actorId =
    newest.kind === "member_removed"
      ? (newest.actorId ?? null)
      : newest.kind === "member_left_self"
        ? membership.userId
        : null;
  if (actorId !== null)
    await noteDeparture(
      ctx,
      { organizationId: membership.organizationId, userId: membership.userId, actorId },
      newest.at,
    );
  return true;
}

/**
 * Says in the feed that a member is gone. Not when their team is gone (a cascade of the
 * organization's deletion: the feed goes too). When the user is being erased (a cascade of their
 * deletion) the entry is written already redacted. Else "left" or "removed by …" when Roster asked
 * Clerk (a departure note, model/departures.ts), or neutral words.
 *
 * `at` is when Roster hears of it (this transaction's time), as the engine's cascades and
 * reconciles stamped departures. (For a webhook the engine used the delete event's version, which
 * for organizationMembership.deleted is the membership's last `updated_at` — the join or last role
 * change, placing "left" back there in the feed; the hook has only the row, and now is what
 * `isReplacedTwin` recognises.)
 */
async function recordDeparture(ctx: MutationCtx, membership: MembershipRow, change: IncomingChange): Promise<void> {
  if (change.cause?.kind === "organization") return;
  const at = Date.now();
  const { organizationId, userId } = membership;
  const role = membership.roleName ?? membership.role;
  // The note (if any) goes either way: it names the member.
  const actorId = await takeDepartureNote(ctx, organizationId, userId, at);
  if (change.cause?.kind === "user") {
    await ctx.db.insert("activity", { organizationId, kind: "member_left", ...REDACTED, role, at });
    return;
  }
  await recordActivity(ctx, {
    organizationId,
    kind: departureKind(userId, actorId),
    ...(actorId === null || actorId === userId ? {} : { actorId }),
    userId,
    name: personName(membership.publicUserData),
    role,
    at,
  });
}

// ---- Invitations: the feed ----

/** What each invitation status adds to the organization's activity feed. */
const ACTIVITY_FOR_STATUS: Partial<Record<string, ActivityKind>> = {
  pending: "invitation_sent",
  accepted: "invitation_accepted",
  revoked: "invitation_revoked",
};

async function onInvitation(ctx: MutationCtx, change: IncomingChange): Promise<void> {
  if (change.op === "delete" || !isNews(change)) return;
  const after = readInvitation(change.after);
  const before = change.op === "update" ? readInvitation(change.before) : null;
  const kind = ACTIVITY_FOR_STATUS[after.status];
  if (kind === undefined || before?.status === after.status) return;
  await recordActivity(ctx, {
    organizationId: after.organizationId,
    kind,
    userId: after.userId,
    name: null,
    email: after.emailAddress,
    role: after.roleName ?? after.role,
    at: after.clerkVersion,
  });
}

// ---- Deletions: erasure, in bounded batches ----

/** The most addresses one erasure carries: a row's email (as typed and in lower case), phone and verified emails. */
export const MAX_ERASED_ADDRESSES = 23;

/** A deleted user's addresses Roster may have copied into its feed (invitations to them, old entries). */
export function addressesOf(user: UserRow): string[] {
  const found = [user.email, user.email?.toLowerCase() ?? null, user.phone, ...(user.verifiedEmails ?? [])].filter(
    (address): address is string => address !== null && address !== "",
  );
  return [...new Set(found)].slice(0, MAX_ERASED_ADDRESSES);
}

async function onUserDeleted(ctx: MutationCtx, user: UserRow): Promise<void> {
  const addresses = addressesOf(user);
  await ctx.scheduler.runAfter(0, internal.clerk.eraseUser, {
    userId: user.clerkId,
    ...(addresses.length > 0 ? { addresses } : {}),
  });
}

async function onOrganizationDeleted(ctx: MutationCtx, organizationId: string): Promise<void> {
  await ctx.scheduler.runAfter(0, internal.clerk.eraseTeam, { organizationId });
}

// ---- Reading the component's rows (the hook's validator lets any value through) ----

function field(row: unknown, key: string): unknown {
  return typeof row === "object" && row !== null ? (row as Record<string, unknown>)[key] : undefined;
}

function requireString(row: unknown, key: string, what: string): string {
  const value = field(row, key);
  if (typeof value !== "string") throw new Error(`clerkSync change: the ${what} row has no string "${key}".`);
  return value;
}

function requireNumber(row: unknown, key: string, what: string): number {
  const value = field(row, key);
  if (typeof value !== "number") throw new Error(`clerkSync change: the ${what} row has no number "${key}".`);
  return value;
}

function stringOrNull(row: unknown, key: string): string | null {
  const value = field(row, key);
  return typeof value === "string" ? value : null;
}

export function readMembership(row: unknown): MembershipRow {
  const data = field(row, "publicUserData");
  return {
    clerkId: requireString(row, "clerkId", "membership"),
    clerkVersion: requireNumber(row, "clerkVersion", "membership"),
    organizationId: requireString(row, "organizationId", "membership"),
    userId: requireString(row, "userId", "membership"),
    role: requireString(row, "role", "membership"),
    roleName: stringOrNull(row, "roleName"),
    publicUserData: {
      firstName: stringOrNull(data, "firstName"),
      lastName: stringOrNull(data, "lastName"),
      imageUrl: stringOrNull(data, "imageUrl"),
      identifier: stringOrNull(data, "identifier"),
    },
    searchText: requireString(row, "searchText", "membership"),
  };
}

function readInvitation(row: unknown): InvitationRow {
  return {
    clerkId: requireString(row, "clerkId", "organization invitation"),
    clerkVersion: requireNumber(row, "clerkVersion", "organization invitation"),
    organizationId: requireString(row, "organizationId", "organization invitation"),
    emailAddress: stringOrNull(row, "emailAddress"),
    role: stringOrNull(row, "role"),
    roleName: stringOrNull(row, "roleName"),
    status: requireString(row, "status", "organization invitation"),
    userId: stringOrNull(row, "userId"),
  };
}

function readUser(row: unknown): UserRow {
  const verified = field(row, "verifiedEmails");
  return {
    clerkId: requireString(row, "clerkId", "user"),
    email: stringOrNull(row, "email"),
    phone: stringOrNull(row, "phone"),
    verifiedEmails: Array.isArray(verified) ? verified.filter((item): item is string => typeof item === "string") : [],
  };
}
