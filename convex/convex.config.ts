import { defineApp } from "convex/server";
import { v } from "convex/values";
import clerkSync from "convex-clerk-sync/convex.config";

// Roster's Convex environment variables, typed in `env` from _generated/server. They are optional
// here so a first `npx convex dev` deploys before they are set; convex/env.ts checks them and says
// what to run when one is missing.
const app = defineApp({
  env: {
    /** The Clerk webhook endpoint's signing secret(s), `whsec_…`; several separated by spaces while rotating. */
    CLERK_WEBHOOK_SIGNING_SECRET: v.optional(v.string()),
    /** Clerk's Frontend API URL, the issuer of the "convex" JWT template (read by auth.config.ts). */
    CLERK_JWT_ISSUER_DOMAIN: v.optional(v.string()),
    /** Days settled webhook events stay in the event log (default 30). */
    WEBHOOK_LOG_RETENTION_DAYS: v.optional(v.string()),
    /** Days a failed webhook event that never applies is kept after its last attempt (default 90). */
    FAILED_EVENT_RETENTION_DAYS: v.optional(v.string()),
    /** The Clerk instance (`ins_…`) webhooks must come from; unset = pin the first verified event's. */
    CLERK_INSTANCE_ID: v.optional(v.string()),
    /** Clerk's Backend API secret key, `sk_…`: backfill, reconcile and fetching missing users/organizations. */
    CLERK_SECRET_KEY: v.optional(v.string()),
    /** Clerk's Backend API base URL (default https://api.clerk.com; tests use a fake on 127.0.0.1). */
    CLERK_API_URL: v.optional(v.string()),
    /** Hours between scheduled reconciles with Clerk; unset or 0 = off (the default). */
    CLERK_RECONCILE_INTERVAL_HOURS: v.optional(v.string()),
    /** A reconcile removing more rows of a kind than this waits for an admin's confirmation (default 100). */
    CLERK_RECONCILE_MAX_REMOVALS: v.optional(v.string()),
    /** … or more than this share of a table, in % (default 10). */
    CLERK_RECONCILE_MAX_REMOVAL_PERCENT: v.optional(v.string()),
  },
});

// The sync engine as a component (packages/clerk-sync): its tables and functions live under
// `components.clerkSync`. Every variable it declares is handed over by reference (never copied).
app.use(clerkSync, {
  env: {
    CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY,
    CLERK_API_URL: app.env.CLERK_API_URL,
    CLERK_INSTANCE_ID: app.env.CLERK_INSTANCE_ID,
    CLERK_JWT_ISSUER_DOMAIN: app.env.CLERK_JWT_ISSUER_DOMAIN,
    WEBHOOK_LOG_RETENTION_DAYS: app.env.WEBHOOK_LOG_RETENTION_DAYS,
    FAILED_EVENT_RETENTION_DAYS: app.env.FAILED_EVENT_RETENTION_DAYS,
    CLERK_RECONCILE_INTERVAL_HOURS: app.env.CLERK_RECONCILE_INTERVAL_HOURS,
    CLERK_RECONCILE_MAX_REMOVALS: app.env.CLERK_RECONCILE_MAX_REMOVALS,
    CLERK_RECONCILE_MAX_REMOVAL_PERCENT: app.env.CLERK_RECONCILE_MAX_REMOVAL_PERCENT,
  },
});

export default app;
