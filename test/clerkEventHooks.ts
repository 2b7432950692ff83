/**
 * A test-only app module for the per-event hooks (packages/clerk-sync/src/client/events.test.ts):
 * the one mutation an app builds with `clerkEvents`, writing what each handler received to
 * `eventCalls`, in the same transaction as the sync. `organization.created` refuses while a row is
 * in `refusals` (so a test can make it throw, then let a retry through). The schema is the
 * component's tables plus those two, as a component-root convex-test backend holds them.
 */
import { defineSchema, defineTable, type DataModelFromSchemaDefinition } from "convex/server";
import { v } from "convex/values";
import { clerkEvents } from "../packages/clerk-sync/src/client/events.js";
import componentSchema from "../packages/clerk-sync/src/component/schema.js";

export const eventHookSchema = defineSchema({
  ...componentSchema.tables,
  eventCalls: defineTable({ type: v.string(), outcome: v.string(), source: v.string(), subject: v.string() }),
  refusals: defineTable({ type: v.string() }),
});
type DataModel = DataModelFromSchemaDefinition<typeof eventHookSchema>;

/** What `organization.created`'s handler throws while refusing. */
export const REFUSED = "the app refused this organization";

export const onEvent = clerkEvents<DataModel>({
  "user.created": async (ctx, event, { outcome, source }) => {
    // Typed from @clerk/backend's UserJSON: names, addresses.
    const email = event.data.email_addresses[0]?.email_address ?? "";
    await ctx.db.insert("eventCalls", {
      type: event.type,
      outcome,
      source,
      subject: `${event.data.first_name ?? ""} <${email}>`,
    });
  },
  "organization.created": async (ctx, event, { outcome, source }) => {
    if ((await ctx.db.query("refusals").first()) !== null) throw new Error(REFUSED);
    await ctx.db.insert("eventCalls", { type: event.type, outcome, source, subject: event.data.name });
  },
  // A type the component keeps no table for (logged "ignored"): its handler still runs.
  "subscriptionItem.created": async (ctx, event, { outcome, source }) => {
    await ctx.db.insert("eventCalls", { type: event.type, outcome, source, subject: event.data.plan?.name ?? "" });
  },
});
