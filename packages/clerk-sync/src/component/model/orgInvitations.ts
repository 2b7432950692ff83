import type { MutationCtx } from "../_generated/server.js";
import { obj, requireString, str, type JsonObject } from "../lib/payload.js";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope.js";
import { fetchMissingLater } from "../clerk/missing.js";
import { ORGANIZATION_KIND } from "./organizations.js";
import { anyParentDeleted, findByClerkId, upsertSynced, type SyncResult } from "./sync.js";

export const ORG_INVITATION_KIND = "organizationInvitation";

/** A Clerk `organization_invitation` object as Roster stores it. */
export function readClerkOrgInvitation(data: JsonObject, fallbackStatus: string) {
  const clerkId = requireString(data, "id", "organizationInvitation");
  return {
    clerkId,
    fields: {
      organizationId: requireString(data, "organization_id", `organizationInvitation ${clerkId}`),
      // In lower case, as users' verified addresses are kept: the invited person's invitations and a
      // deleted user's erasure find it by address, whatever case the inviter typed.
      emailAddress: str(data, "email_address")?.trim().toLowerCase() ?? null,
      role: str(data, "role"),
      roleName: str(data, "role_name"),
      status: str(data, "status") ?? fallbackStatus,
      // `accepted` says who accepted; Clerk has used both shapes.
      userId: str(data, "user_id") ?? str(obj(data, "public_user_data"), "user_id"),
    },
  };
}

/**
 * Applies an invitation snapshot (newer wins, never for a deleted organization); the app's hook
 * hears a status change as an update with the row before and after.
 */
export async function applyClerkOrgInvitation(
  ctx: MutationCtx,
  data: JsonObject,
  version: number,
  fallbackStatus: string,
): Promise<SyncResult> {
  const read = readClerkOrgInvitation(data, fallbackStatus);
  const clerkId = read.clerkId;
  if (await anyParentDeleted(ctx, [{ kind: ORGANIZATION_KIND, clerkId: read.fields.organizationId }])) return "stale";
  const before = await findByClerkId(ctx, "organizationInvitations", clerkId);
  // user.deleted erased this invitation's address: a later snapshot of it never writes it back.
  const fields = before?.erased
    ? { ...read.fields, emailAddress: null, userId: before.userId, erased: true }
    : read.fields;
  const result = await upsertSynced(ctx, "organizationInvitations", ORG_INVITATION_KIND, clerkId, version, fields);
  return result;
}

/**
 * user.deleted erasure: clears the address of up to `limit` team invitations made out to one of
 * `emails` (a deleted user's, as their row had it and in lower case), whatever their status, and
 * the id of the user who accepted them when it is `userId`, and marks them erased (a late snapshot
 * of one then keeps no address: applyClerkOrgInvitation). The rows stay (the organization's
 * invitations keep their status and Clerk version); each patch clears the address the index found,
 * so no batch finds a row twice. Returns how many it cleared.
 */
export async function eraseOrgInvitations(
  ctx: MutationCtx,
  userId: string,
  emails: string[],
  limit: number,
): Promise<number> {
  let done = 0;
  for (const email of emails) {
    if (done >= limit) break;
    const rows = await ctx.db
      .query("organizationInvitations")
      .withIndex("by_emailAddress_and_status", (q) => q.eq("emailAddress", email))
      .take(limit - done);
    for (const row of rows) {
      await ctx.db.patch("organizationInvitations", row._id, {
        emailAddress: null,
        erased: true,
        ...(row.userId === userId ? { userId: null } : {}),
      });
    }
    done += rows.length;
  }
  return done;
}

function onInvitation(fallbackStatus: string): EventHandler {
  return async (ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> => {
    const { clerkId, fields } = readClerkOrgInvitation(event.data, fallbackStatus);
    const outcome = await applyClerkOrgInvitation(ctx, event.data, eventVersion(event, Date.now()), fallbackStatus);
    if (outcome === "applied")
      await fetchMissingLater(ctx, [{ kind: ORGANIZATION_KIND, clerkId: fields.organizationId }]);
    return { outcome, clerkIds: [clerkId, fields.organizationId, ...(fields.userId ? [fields.userId] : [])] };
  };
}

export const orgInvitationEventHandlers: Record<string, EventHandler> = {
  "organizationInvitation.created": onInvitation("pending"),
  "organizationInvitation.accepted": onInvitation("accepted"),
  "organizationInvitation.revoked": onInvitation("revoked"),
};
