/**
 * Who may call what, Roster's side: signed in, not deleted, an app admin. Team membership, role
 * and live permissions come from the clerkSync component in the same call as the data a query
 * reads (`clerk.access`, `clerk.memberDetails`, …), which throws the ConvexError codes the UI knows
 * (USER_DELETED, NOT_A_MEMBER, NOT_AN_ADMIN).
 */
import type { AuthUser } from "convex-clerk-sync";
import type { UserIdentity } from "convex/server";
import { ConvexError } from "convex/values";
import type { QueryCtx } from "../_generated/server";
import { clerk } from "../clerk";

/**
 * App admins (who may read the webhook event log and sync health, and run backfills) are Clerk
 * users whose public metadata holds `"rosterAdmin": true`. Only Clerk's dashboard or Backend API
 * can set public metadata, so users cannot make themselves admins.
 */
export const APP_ADMIN_METADATA_KEY = "rosterAdmin";

/** A user's public metadata (JSON text as the component keeps it) as an object; {} when unreadable. */
export function decodeMetadata(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * True for a user whose public metadata (Clerk's, from their synced row) marks them an app admin.
 * Before Clerk's user lands the component answers from the token's claims, whose metadata is `{}`.
 */
export function isAppAdmin(user: Pick<AuthUser, "publicMetadata" | "deleted"> | null): boolean {
  return user !== null && !user.deleted && decodeMetadata(user.publicMetadata)[APP_ADMIN_METADATA_KEY] === true;
}

/** The signed-in caller's identity, or a ConvexError `{ code: "NOT_SIGNED_IN" }`. No component call. */
export async function requireIdentity(ctx: Pick<QueryCtx, "auth">): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  return identity;
}

/**
 * The signed-in caller as the component has them (one component call), whose account must not
 * have been deleted (their token outlives `user.deleted` by up to a minute): else a ConvexError
 * NOT_SIGNED_IN or USER_DELETED.
 */
export async function requireAuthUser(ctx: QueryCtx): Promise<AuthUser> {
  const user = await clerk.getAuthUser(ctx);
  if (user === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  if (user.deleted) throw new ConvexError({ code: "USER_DELETED", message: "This account has been deleted." });
  return user;
}

/** The caller, who must be an app admin (one component call); else a ConvexError NOT_SIGNED_IN or NOT_AN_ADMIN. */
export async function requireAppAdmin(ctx: QueryCtx): Promise<AuthUser> {
  const user = await clerk.getAuthUser(ctx);
  if (user === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  if (!isAppAdmin(user))
    throw new ConvexError({ code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." });
  return user;
}
