/**
 * The playground's fixed settings. Nothing here is a secret: the signing secret exists only in
 * this browser tab, between the page that signs and the worker that verifies.
 */

/** Shown on every playground screen; the browser check also greps the app's build for it (it must be absent). */
export const PLAYGROUND_LABEL = "Playground — data lives here only; nothing leaves your machine";
/** The label on a phone, where the bar is one short line. */
export const PLAYGROUND_SHORT_LABEL = "Playground: data stays here";

/** The Svix signing secret the playground's Clerk events are signed with (`whsec_` + base64 of 24 bytes). */
export const PLAYGROUND_SIGNING_SECRET = `whsec_${btoa("roster-playground-secret")}`;

/** The issuer the simulated Clerk's tokens carry (a Clerk Frontend API look-alike that exists nowhere). */
export const PLAYGROUND_ISSUER = "https://playground.clerk.invalid";

/** Where the functions find the simulated Clerk's Backend API (the worker answers it; nothing leaves the tab). */
export const PLAYGROUND_CLERK_API_URL = "https://api.clerk.playground.invalid";
export const PLAYGROUND_CLERK_SECRET_KEY = "sk_test_playgroundOnlyNotAClerkKey000000000";

/** The Convex environment variables of the in-browser deployment. */
export const PLAYGROUND_ENV: Record<string, string> = {
  CLERK_WEBHOOK_SIGNING_SECRET: PLAYGROUND_SIGNING_SECRET,
  CLERK_JWT_ISSUER_DOMAIN: PLAYGROUND_ISSUER,
  CLERK_SECRET_KEY: PLAYGROUND_CLERK_SECRET_KEY,
  CLERK_API_URL: PLAYGROUND_CLERK_API_URL,
};
