import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";

/** Subjects (user ids and addresses) stored with one kept payload at most: a payload names a few users. */
export const MAX_SUBJECTS = 20;
/** How deep the walk for subjects goes: Clerk's payloads nest a few levels (membership → public_user_data). */
const MAX_DEPTH = 6;

const USER_ID = /^user_[A-Za-z0-9]+$/;
/** Keys under which Clerk's payloads carry an email address (a user's, an invitee's, a recipient's, a member's identifier). */
const EMAIL_KEYS = new Set<string | null>(["email_address", "to_email_address", "identifier", "from_email_address"]);

/**
 * The users a payload names, so user.deleted erasure can find the payload: every Clerk user id
 * (`user_…`) anywhere in it, and every email address under a key Clerk puts one under, in lower
 * case; at most MAX_SUBJECTS, first found first.
 */
export function payloadSubjects(json: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string | null, depth: number) => {
    if (found.size >= MAX_SUBJECTS || depth > MAX_DEPTH) return;
    if (typeof value === "string") {
      if (USER_ID.test(value)) found.add(value);
      else if (EMAIL_KEYS.has(key) && value.includes("@")) found.add(value.toLowerCase());
      return;
    }
    // An array's items are read as an object's values (under their index).
    if (typeof value === "object" && value !== null)
      for (const [k, item] of Object.entries(value)) walk(item, k, depth + 1);
  };
  walk(json, null, 0);
  return [...found];
}

/** The payload kept for `svixId`, or null. */
export async function keptPayloadOf(ctx: QueryCtx, svixId: string): Promise<Doc<"failedPayloads"> | null> {
  return await ctx.db
    .query("failedPayloads")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

/**
 * Keeps `payload` (already stripped of private metadata) for `svixId`, with the users it names:
 * written once, replaced only when the text differs (a redelivery with other bytes).
 */
export async function keepPayload(ctx: MutationCtx, svixId: string, payload: string, subjects: string[]) {
  const stored = await keptPayloadOf(ctx, svixId);
  if (stored !== null && stored.payload === payload) return;
  if (stored === null) await ctx.db.insert("failedPayloads", { svixId, payload });
  else {
    await ctx.db.patch("failedPayloads", stored._id, { payload });
    await dropSubjects(ctx, svixId);
  }
  for (const subject of subjects) await ctx.db.insert("failedPayloadSubjects", { svixId, subject });
}

async function dropSubjects(ctx: MutationCtx, svixId: string) {
  const rows = await ctx.db
    .query("failedPayloadSubjects")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .take(MAX_SUBJECTS);
  for (const row of rows) await ctx.db.delete("failedPayloadSubjects", row._id);
}

/** Deletes the payload kept for `svixId` and the users it named (the event applied, expired or was erased). */
export async function dropKeptPayload(ctx: MutationCtx, svixId: string): Promise<void> {
  const kept = await keptPayloadOf(ctx, svixId);
  if (kept !== null) await ctx.db.delete("failedPayloads", kept._id);
  await dropSubjects(ctx, svixId);
}

/**
 * Kept payloads one erasure batch deletes at most: each may be 256 KiB and is read once and deleted,
 * so 16 stay at 8 MiB even when the delete counts as a second read (half of Convex's 16 MiB).
 */
export const KEPT_ERASE_BATCH_SIZE = 16;

/**
 * user.deleted erasure: deletes up to `limit` kept payloads that name the user (by Clerk id or one
 * of their email addresses); their log rows say why they can no longer be retried. Returns how
 * many it erased (each erasure removes the rows it was found by, so no batch finds one twice).
 */
export async function eraseKeptPayloads(
  ctx: MutationCtx,
  userId: string,
  emails: string[],
  limit: number,
): Promise<number> {
  let erased = 0;
  for (const subject of [userId, ...emails.map((email) => email.toLowerCase())]) {
    const rows = await ctx.db
      .query("failedPayloadSubjects")
      .withIndex("by_subject", (q) => q.eq("subject", subject))
      .take(limit - erased);
    for (const row of rows) {
      await dropKeptPayload(ctx, row.svixId);
      const logged = await ctx.db
        .query("webhookEvents")
        .withIndex("by_svixId", (q) => q.eq("svixId", row.svixId))
        .first();
      // Only a failed or foreign row keeps a payload: the note says why it can no longer be retried.
      if (logged !== null)
        await ctx.db.patch("webhookEvents", logged._id, {
          error: "Its payload named a user who has since been deleted: it was erased and cannot be retried.",
        });
      erased += 1;
    }
  }
  return erased;
}
