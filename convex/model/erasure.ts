/**
 * Roster's own data about a deleted user or team, erased in bounded batches (convex/clerk.ts
 * `eraseUser`, `eraseTeam`, scheduled by the change hook, model/changes.ts): each run touches at
 * most ERASURE_BATCH_SIZE rows and says whether more may remain, so the hook itself never does
 * unbounded work and no run comes near Convex's transaction limits.
 *
 * The clerkSync component erases its own copies (messages, invitations, kept payloads); the
 * members projection follows the component's membership deletes, change by change.
 */
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { REDACTED } from "./activity";

/** Rows one erasure run reads and writes at most (one read and one write each). */
export const ERASURE_BATCH_SIZE = 200;

/** One kind of row to erase: erases up to `limit` and says how many it erased. */
type Step = (limit: number) => Promise<number>;

/** Runs `steps` in order until `budget` rows are erased; `more`: the budget ran out, run again. */
async function within(budget: number, steps: Step[]): Promise<{ erased: number; more: boolean }> {
  let erased = 0;
  for (const step of steps) {
    erased += await step(budget - erased);
    if (erased >= budget) return { erased, more: true };
  }
  return { erased, more: false };
}

async function redact(ctx: MutationCtx, rows: Array<Doc<"activity">>): Promise<number> {
  for (const row of rows) await ctx.db.patch("activity", row._id, REDACTED);
  return rows.length;
}

/**
 * Erases up to `limit` rows of a deleted user's data: feed entries about them, or showing one of
 * their `addresses` (invitations made out to them, and entries from before addresses were kept
 * apart, with the address as subject), say "Deleted user"; entries naming them as who acted lose
 * them; their profile and the invitations they dismissed go. Each step changes the field it
 * searched by, so no run finds a row twice.
 */
export async function eraseUserBatch(
  ctx: MutationCtx,
  userId: string,
  addresses: string[],
  limit: number = ERASURE_BATCH_SIZE,
): Promise<{ erased: number; more: boolean }> {
  const emails = addresses.filter((address) => address.includes("@"));
  return await within(limit, [
    async (n) =>
      await redact(
        ctx,
        await ctx.db
          .query("activity")
          .withIndex("by_user", (q) => q.eq("userId", userId))
          .take(n),
      ),
    async (n) => {
      let done = 0;
      for (const address of addresses) {
        if (done >= n) break;
        if (emails.includes(address)) {
          done += await redact(
            ctx,
            await ctx.db
              .query("activity")
              .withIndex("by_email", (q) => q.eq("email", address))
              .take(n - done),
          );
          if (done >= n) break;
        }
        done += await redact(
          ctx,
          await ctx.db
            .query("activity")
            .withIndex("by_subject", (q) => q.eq("subject", address))
            .take(n - done),
        );
      }
      return done;
    },
    async (n) => {
      const rows = await ctx.db
        .query("activity")
        .withIndex("by_actor", (q) => q.eq("actorId", userId))
        .take(n);
      for (const row of rows) await ctx.db.patch("activity", row._id, { actorId: null });
      return rows.length;
    },
    async (n) => {
      const rows = await ctx.db
        .query("invitationDismissals")
        .withIndex("by_user_and_invitation", (q) => q.eq("userId", userId))
        .take(n);
      for (const row of rows) await ctx.db.delete("invitationDismissals", row._id);
      return rows.length;
    },
    async (n) => {
      const rows = await ctx.db
        .query("profiles")
        .withIndex("by_userId", (q) => q.eq("userId", userId))
        .take(n);
      for (const row of rows) await ctx.db.delete("profiles", row._id);
      return rows.length;
    },
  ]);
}

/** Deletes up to `limit` of a deleted team's feed entries and departure notes. */
export async function eraseTeamBatch(
  ctx: MutationCtx,
  organizationId: string,
  limit: number = ERASURE_BATCH_SIZE,
): Promise<{ erased: number; more: boolean }> {
  return await within(limit, [
    async (n) => {
      const rows = await ctx.db
        .query("departureNotes")
        .withIndex("by_organization_and_user", (q) => q.eq("organizationId", organizationId))
        .take(n);
      for (const row of rows) await ctx.db.delete("departureNotes", row._id);
      return rows.length;
    },
    async (n) => {
      const rows = await ctx.db
        .query("activity")
        .withIndex("by_organization_and_at", (q) => q.eq("organizationId", organizationId))
        .take(n);
      for (const row of rows) await ctx.db.delete("activity", row._id);
      return rows.length;
    },
  ]);
}
