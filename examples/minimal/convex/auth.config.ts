import type { AuthConfig } from "convex/server";

// Clerk issues the token from its JWT template named "convex"; Convex checks it against this issuer.
export default {
  providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" }],
} satisfies AuthConfig;
