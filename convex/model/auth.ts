import type { UserIdentity } from "convex/server";
import { ConvexError } from "convex/values";
import type { QueryCtx } from "../_generated/server";

/** The signed-in caller's identity, or a ConvexError `{ code: "NOT_SIGNED_IN" }`. */
export async function requireIdentity(ctx: Pick<QueryCtx, "auth">): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  return identity;
}
