import type { MutationCtx } from "../_generated/server.js";
import { requireString, str } from "../lib/payload.js";
import type { EventHandler } from "../webhooks/envelope.js";
import { snapshotHandler, type SyncedFamily } from "./families.js";

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

/**
 * user.deleted erasure: clears the email of up to `limit` app invitations and waitlist entries
 * made out to a deleted user's addresses (the rows, with their status and Clerk version, stay so
 * newer-wins still holds). Clearing the indexed field means a later batch never finds them again.
 */
export async function eraseSignups(ctx: MutationCtx, emails: string[], limit: number): Promise<number> {
  let done = 0;
  for (const email of emails) {
    if (done >= limit) break;
    const invitations = await ctx.db
      .query("appInvitations")
      .withIndex("by_emailAddress", (q) => q.eq("emailAddress", email))
      .take(limit - done);
    for (const row of invitations) await ctx.db.patch("appInvitations", row._id, { emailAddress: null });
    done += invitations.length;
    if (done >= limit) break;
    const entries = await ctx.db
      .query("waitlistEntries")
      .withIndex("by_emailAddress", (q) => q.eq("emailAddress", email))
      .take(limit - done);
    for (const row of entries) await ctx.db.patch("waitlistEntries", row._id, { emailAddress: null });
    done += entries.length;
  }
  return done;
}
