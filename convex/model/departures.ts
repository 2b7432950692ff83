/**
 * Who acted on a departure. Clerk's `organizationMembership.deleted` is the same whether the member
 * left or an admin removed them, and carries no actor. So when Roster itself asks Clerk (the team
 * page's Leave and Remove), it first writes a note saying who asks; the webhook that follows reads
 * and deletes it, and the feed says "left" or "was removed by …". Without a fresh note (a change
 * made in Clerk's dashboard, another app, a note too old) the feed uses neutral words.
 */
import type { MutationCtx } from "../_generated/server";

/** How long a note may wait for its webhook: Clerk answers at once and Svix delivers within seconds. */
export const DEPARTURE_NOTE_TTL_MS = 10 * 60_000;

/** Records that `actorId` is about to ask Clerk to take `userId` out of the organization (one note per member, replaced). */
export async function noteDeparture(
  ctx: MutationCtx,
  note: { organizationId: string; userId: string; actorId: string },
  now: number,
): Promise<void> {
  const existing = await findNote(ctx, note.organizationId, note.userId);
  if (existing === null) await ctx.db.insert("departureNotes", { ...note, at: now });
  else await ctx.db.replace("departureNotes", existing._id, { ...note, at: now });
}

/** Drops the note `actorId` wrote about `userId` (Clerk refused: nothing is going to happen). */
export async function dropDepartureNote(
  ctx: MutationCtx,
  organizationId: string,
  userId: string,
  actorId: string,
): Promise<void> {
  const existing = await findNote(ctx, organizationId, userId);
  if (existing !== null && existing.actorId === actorId) await ctx.db.delete("departureNotes", existing._id);
}

/**
 * Reads and deletes the note about `userId` leaving the organization: who acted, when the note is
 * fresh (written within DEPARTURE_NOTE_TTL_MS of `now`), else null.
 */
export async function takeDepartureNote(
  ctx: MutationCtx,
  organizationId: string,
  userId: string,
  now: number,
): Promise<string | null> {
  const note = await findNote(ctx, organizationId, userId);
  if (note === null) return null;
  await ctx.db.delete("departureNotes", note._id);
  return now - note.at <= DEPARTURE_NOTE_TTL_MS ? note.actorId : null;
}

async function findNote(ctx: MutationCtx, organizationId: string, userId: string) {
  return await ctx.db
    .query("departureNotes")
    .withIndex("by_organization_and_user", (q) => q.eq("organizationId", organizationId).eq("userId", userId))
    .unique();
}

/** Notes one prune removes at most (one read and one write each). */
export const DEPARTURE_PRUNE_BATCH = 200;

/**
 * Deletes up to `limit` notes older than DEPARTURE_NOTE_TTL_MS (their webhook never came: Clerk
 * refused and the page could not drop them); says whether more may remain.
 */
export async function pruneDepartureNotes(
  ctx: MutationCtx,
  now: number,
  limit: number,
): Promise<{ removed: number; more: boolean }> {
  const stale = await ctx.db
    .query("departureNotes")
    .withIndex("by_at", (q) => q.lt("at", now - DEPARTURE_NOTE_TTL_MS))
    .take(limit);
  for (const note of stale) await ctx.db.delete("departureNotes", note._id);
  return { removed: stale.length, more: stale.length === limit };
}
