import { defineComponent } from "convex/server";
import { v } from "convex/values";

/**
 * The sync engine as a Convex component. An app mounts it with
 * `app.use(clerkSync, { env: { CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY, … } })`: each variable
 * is handed over by reference (the app's value, never copied into a table or an argument). All are
 * optional: without CLERK_SECRET_KEY, backfill, reconcile, fetching missing rows and the instance
 * check are off; the rest have defaults (src/component/env.ts says which).
 */
const component = defineComponent("clerkSync", {
  env: {
    /** Clerk's Backend API secret key, `sk_…`: backfill, reconcile, fetching missing rows, the instance check. */
    CLERK_SECRET_KEY: v.optional(v.string()),
    /** Clerk's Backend API base URL (default https://api.clerk.com). */
    CLERK_API_URL: v.optional(v.string()),
    /** The Clerk instance (`ins_…`) webhooks must come from; unset = pinned from the key or the first event. */
    CLERK_INSTANCE_ID: v.optional(v.string()),
    /** Clerk's Frontend API URL (the JWT issuer): a backfill checks the key belongs to the same instance. */
    CLERK_JWT_ISSUER_DOMAIN: v.optional(v.string()),
    /** Days settled webhook events stay in the event log (default 30). */
    WEBHOOK_LOG_RETENTION_DAYS: v.optional(v.string()),
    /** Days a failed event that never applies is kept (default 90). */
    FAILED_EVENT_RETENTION_DAYS: v.optional(v.string()),
    /** Hours between scheduled reconciles; unset or 0 = off. */
    CLERK_RECONCILE_INTERVAL_HOURS: v.optional(v.string()),
    /** A reconcile removing more rows of a kind than this waits for confirmation (default 100). */
    CLERK_RECONCILE_MAX_REMOVALS: v.optional(v.string()),
    /** … or more than this share of a table, in % (default 10). */
    CLERK_RECONCILE_MAX_REMOVAL_PERCENT: v.optional(v.string()),
  },
});

export default component;
