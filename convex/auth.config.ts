import type { AuthConfig } from "convex/server";

// Clerk issues the token from its JWT template named "convex"; Convex checks it against
// this issuer. When the variable is missing, `npx convex dev` stops and names it:
// set it with `npx convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-app>.clerk.accounts.dev`.
export default {
  providers: [
    {
      // eslint-disable-next-line @convex-dev/no-process-env -- Convex evaluates auth.config.ts on its own at deploy time and names a missing variable
      domain: process.env.CLERK_JWT_ISSUER_DOMAIN!,
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
