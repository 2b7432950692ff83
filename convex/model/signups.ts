import { requireString, str } from "../lib/payload";
import type { EventHandler } from "../webhooks/envelope";
import { snapshotHandler, type SyncedFamily } from "./families";

/** Clerk `invitation` objects (invitations to the application) → `appInvitations`. */
function appInvitations(fallbackStatus: string): SyncedFamily<"appInvitations"> {
  return {
    table: "appInvitations",
    kind: "invitation",
    read: (data) => ({
      clerkId: requireString(data, "id", "invitation"),
      parents: [],
      fields: { emailAddress: str(data, "email_address"), status: str(data, "status") ?? fallbackStatus },
    }),
  };
}

/** Clerk `waitlist_entry` objects → `waitlistEntries`. */
const waitlistEntries: SyncedFamily<"waitlistEntries"> = {
  table: "waitlistEntries",
  kind: "waitlist_entry",
  read: (data) => ({
    clerkId: requireString(data, "id", "waitlistEntry"),
    parents: [],
    fields: { emailAddress: str(data, "email_address"), status: str(data, "status") ?? "pending" },
  }),
};

export const signupEventHandlers: Record<string, EventHandler> = {
  "invitation.created": snapshotHandler(appInvitations("pending")),
  "invitation.accepted": snapshotHandler(appInvitations("accepted")),
  "invitation.revoked": snapshotHandler(appInvitations("revoked")),
  "waitlistEntry.created": snapshotHandler(waitlistEntries),
  "waitlistEntry.updated": snapshotHandler(waitlistEntries),
};
