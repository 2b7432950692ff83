import { defineApp } from "convex/server";
import { v } from "convex/values";
import clerkSync from "convex-clerk-sync/convex.config";

// The app's environment variables, all optional so a first `npx convex dev` deploys before they are set.
const app = defineApp({
  env: {
    /** The Clerk webhook endpoint's signing secret, `whsec_…` (read by the route `clerk.registerRoutes` mounts). */
    CLERK_WEBHOOK_SIGNING_SECRET: v.optional(v.string()),
    /** Clerk's Frontend API URL, the issuer of the "convex" JWT template (auth.config.ts). */
    CLERK_JWT_ISSUER_DOMAIN: v.optional(v.string()),
    /** Clerk's Backend API secret key, `sk_…`: backfill, reconcile, fetching rows a webhook missed. */
    CLERK_SECRET_KEY: v.optional(v.string()),
  },
});

// The component reads its variables only as the app hands them over, by reference.
app.use(clerkSync, {
  env: {
    CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY,
    CLERK_JWT_ISSUER_DOMAIN: app.env.CLERK_JWT_ISSUER_DOMAIN,
  },
});

export default app;
