import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import { requireString, str } from "../lib/payload.js";
import type { EventHandler } from "../webhooks/envelope.js";
import { snapshotHandler, type SyncedFamily } from "./families.js";

/** Clerk puts the one-time code in some subjects ("472913 is your verification code"): mask digit runs. */
export function maskCodes(text: string | null): string | null {
  return text === null ? null : text.replace(/\d{4,}/g, (digits) => "•".repeat(digits.length));
}

/**
 * Clerk `email` and `sms_message` objects → `communications`. Only who, which template and the
 * status are kept: the body and `data` hold one-time codes and links, and are never stored; codes
 * in the subject are masked.
 */
function messages(channel: "email" | "sms"): SyncedFamily<"communications"> {
  return {
    table: "communications",
    kind: channel === "email" ? "email" : "sms_message",
    read: (data) => {
      const clerkId = requireString(data, "id", channel);
      return {
        clerkId,
        parents: [],
        fields: {
          channel,
          recipient: channel === "email" ? str(data, "to_email_address") : str(data, "to_phone_number"),
          userId: str(data, "user_id"),
          subject: channel === "email" ? maskCodes(str(data, "subject")) : null,
          template: str(data, "slug"),
          status: str(data, "status"),
        },
      };
    },
  };
}

export const communicationEventHandlers: Record<string, EventHandler> = {
  "email.created": snapshotHandler(messages("email")),
  "sms.created": snapshotHandler(messages("sms")),
};

/**
 * user.deleted erasure: redacts up to `limit` messages of a deleted user (by user id, then by each
 * of their addresses): recipient, user id and subject cleared; channel, template and status stay.
 * Clearing the indexed fields means a later batch never finds the same rows. Returns how many.
 */
export async function eraseCommunications(
  ctx: MutationCtx,
  userId: string,
  addresses: string[],
  limit: number,
): Promise<number> {
  const redact = async (rows: Array<Doc<"communications">>) => {
    for (const row of rows)
      await ctx.db.patch("communications", row._id, { recipient: null, userId: null, subject: null });
    return rows.length;
  };
  let done = await redact(
    await ctx.db
      .query("communications")
      .withIndex("by_userId", (q) => q.eq("userId", userId))
      .take(limit),
  );
  for (const address of addresses) {
    if (done >= limit) break;
    done += await redact(
      await ctx.db
        .query("communications")
        .withIndex("by_recipient", (q) => q.eq("recipient", address))
        .take(limit - done),
    );
  }
  return done;
}
