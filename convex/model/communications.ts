import { requireString, str } from "../lib/payload";
import type { EventHandler } from "../webhooks/envelope";
import { snapshotHandler, type SyncedFamily } from "./families";

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
