import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { deleteRows, removeWithin } from "../lib/bounded.js";
import { num, requireString, str, type JsonObject } from "../lib/payload.js";
import type { EventHandler } from "../webhooks/envelope.js";
import { snapshotHandler, type SyncedFamily } from "./families.js";
import { USER_KIND } from "./users.js";

export const SESSION_KIND = "session";
const HOUR_MS = 60 * 60 * 1000;
/**
 * Ended sessions are kept this long, then pruned: well past Svix's automatic retries (about 28 h),
 * and as long as Clerk's default session lifetime, so a replay that comes later still carries an
 * `expire_at` in the past and is stored as expired, never as active.
 */
export const ENDED_SESSION_RETENTION_MS = 7 * 24 * HOUR_MS;
/** An "active" session Clerk has said nothing about for this long has expired (Clerk's longest default lifetime is 7 days). */
export const ACTIVE_SESSION_MAX_AGE_MS = 30 * 24 * HOUR_MS;
const ENDED_STATUSES = ["ended", "removed", "revoked", "expired", "abandoned", "replaced"];

/** The session's status; an "active" one whose `expire_at` has passed (a late or replayed event) is "expired". */
function sessionStatus(data: JsonObject, now: number): string {
  const status = str(data, "status") ?? "active";
  const expireAt = num(data, "expire_at");
  return status === "active" && expireAt !== null && expireAt <= now ? "expired" : status;
}

/**
 * Clerk `session` objects → `sessions`: only what the members list needs (whose, status, last
 * activity). Every session.* event is a snapshot of the session; newer wins.
 */
const sessions: SyncedFamily<"sessions"> = {
  table: "sessions",
  kind: SESSION_KIND,
  read: (data) => {
    const clerkId = requireString(data, "id", "session");
    const userId = requireString(data, "user_id", `session ${clerkId}`);
    return {
      clerkId,
      parents: [{ kind: USER_KIND, clerkId: userId }],
      fields: {
        userId,
        status: sessionStatus(data, Date.now()),
        lastActiveAt: num(data, "last_active_at"),
        expireAt: num(data, "expire_at"),
      },
    };
  },
};

const onSession = snapshotHandler(sessions);
export const sessionEventHandlers: Record<string, EventHandler> = Object.fromEntries(
  ["created", "updated", "ended", "removed", "revoked", "pending"].map((what) => [`session.${what}`, onSession]),
);

/**
 * True when the user is active now: a session whose status is active and whose `expire_at` is
 * later than `now` (or unknown). Clerk sends no event when a session simply expires. At most
 * three index reads, however many sessions the user has.
 */
export async function hasActiveSession(ctx: QueryCtx, userId: string, now: number): Promise<boolean> {
  const unexpired = await ctx.db
    .query("sessions")
    .withIndex("by_user_and_status_and_expireAt", (q) =>
      q.eq("userId", userId).eq("status", "active").gt("expireAt", now),
    )
    .first();
  if (unexpired !== null) return true;
  // No expiry known: rows from before expireAt was kept (undefined), or a session without one (null).
  for (const expireAt of [null, undefined]) {
    const open = await ctx.db
      .query("sessions")
      .withIndex("by_user_and_status_and_expireAt", (q) =>
        q.eq("userId", userId).eq("status", "active").eq("expireAt", expireAt),
      )
      .first();
    if (open !== null) return true;
  }
  return false;
}

/**
 * Marks up to `limit` "active" sessions whose `expire_at` has passed as "expired". Clerk sends no
 * event when a session expires, and a query's `Date.now()` does not make it run again as time
 * passes: this write is what moves "active now" in open views. Returns how many it marked.
 */
async function expireSessions(ctx: MutationCtx, now: number, limit: number): Promise<number> {
  const rows = await ctx.db
    .query("sessions")
    .withIndex("by_status_and_expireAt", (q) => q.eq("status", "active").gt("expireAt", null).lte("expireAt", now))
    .take(limit);
  for (const row of rows) await ctx.db.patch("sessions", row._id, { status: "expired" });
  return rows.length;
}

/**
 * Marks up to `batchSize` sessions past their `expire_at` as expired, then deletes sessions that
 * ended more than a week ago, or that have been "active" without news for 30 days. Returns how
 * many rows it touched: at `batchSize`, there may be more to do.
 */
export async function pruneSessions(ctx: MutationCtx, now: number, batchSize: number): Promise<number> {
  const windows: Array<[string, number]> = [
    ...ENDED_STATUSES.map((status): [string, number] => [status, now - ENDED_SESSION_RETENTION_MS]),
    ["active", now - ACTIVE_SESSION_MAX_AGE_MS],
    ["pending", now - ACTIVE_SESSION_MAX_AGE_MS],
  ];
  const { removed } = await removeWithin(batchSize, [
    async (limit) => await expireSessions(ctx, now, limit),
    ...windows.map(([status, before]) => async (limit: number) => {
      const rows = await ctx.db
        .query("sessions")
        .withIndex("by_status_and_clerkVersion", (q) => q.eq("status", status).lt("clerkVersion", before))
        .take(limit);
      return await deleteRows(ctx, "sessions", rows);
    }),
  ]);
  return removed;
}
