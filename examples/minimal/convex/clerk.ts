import { ClerkSync, clerkEvents, vChange, type EventHookArgs } from "convex-clerk-sync";
import type { RegisteredMutation } from "convex/server";
import { v } from "convex/values";
import { components, internal } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";

// The client over the mounted component: the webhook route, the reads and the change hook go through it.
// Annotated: its hook is in this module, so its type would otherwise depend on itself (TS7022).
export const clerk: ClerkSync = new ClerkSync(components.clerkSync, {
  onChange: internal.clerk.onChange,
  onEvent: internal.clerk.onEvent,
});

/**
 * Called by the component in the same transaction as every change of a synced row: keeps one
 * account per Clerk user. A throw here would roll the change back (the event is kept as failed).
 */
export const onChange = internalMutation({
  args: vChange.fields,
  returns: v.null(),
  handler: async (ctx, { table, op, before, after, source }) => {
    if (table !== "users") return null;
    const clerkId = String((after ?? before)?.clerkId);
    const account = await ctx.db
      .query("accounts")
      .withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId))
      .unique();
    if (op === "delete" && account !== null) await ctx.db.delete("accounts", account._id);
    if (op !== "delete" && account === null) await ctx.db.insert("accounts", { clerkId, createdFrom: source });
    return null;
  },
});

/**
 * Called by the component after it applied a webhook event, in the same transaction; events are
 * typed from @clerk/backend's WebhookEvent. Here: a line per organization joined. Annotated: through
 * clerkEvents' declared type (an alias) the generated `internal` loses the hook's argument types.
 */
export const onEvent: RegisteredMutation<"internal", EventHookArgs, Promise<null>> = clerkEvents<DataModel>({
  "organizationMembership.created": async (ctx, event, { outcome }) => {
    if (outcome !== "applied") return;
    const { organization, public_user_data, role } = event.data;
    await ctx.db.insert("joins", { organizationId: organization.id, userId: public_user_data.user_id, role });
  },
});
