/**
 * Facts about a Roster deployment the developer tools share: where its webhook endpoint is, and
 * which Clerk events it handles.
 */
// The clerkSync component's handler registry (the engine moved into packages/clerk-sync).
import { eventHandlers } from "../../packages/clerk-sync/src/component/webhooks/registry";
import { isClerkEventType, type ClerkEventType } from "../../test/clerkEvents";
import type { EnvValues } from "./env";

/** The webhook route (convex/http.ts). */
export const WEBHOOK_PATH = "/clerk-webhook";

/**
 * The Clerk event types Roster applies (the component's webhook handler registry) that Clerk's catalog lists,
 * sorted: what to subscribe the endpoint to in Clerk's dashboard.
 */
export const HANDLED_EVENT_TYPES: readonly ClerkEventType[] = Object.keys(eventHandlers)
  .filter(isClerkEventType)
  .sort();

/**
 * The HTTP actions origin (`https://<name>.convex.site`) of the deployment `.env.local` names:
 * `VITE_CONVEX_SITE_URL` / `CONVEX_SITE_URL` when the Convex CLI wrote one, else derived from
 * `VITE_CONVEX_URL` (`.convex.cloud` → `.convex.site`; a local deployment serves HTTP actions on
 * the port after its API port). An `error` says what is missing or unreadable.
 */
export function siteOriginOf(env: EnvValues): { origin: string } | { error: string } {
  const explicit = env.VITE_CONVEX_SITE_URL ?? env.CONVEX_SITE_URL;
  if (explicit) {
    try {
      return { origin: new URL(explicit).origin };
    } catch {
      return { error: `VITE_CONVEX_SITE_URL (${explicit}) is not a URL.` };
    }
  }
  const cloud = env.VITE_CONVEX_URL;
  if (!cloud) return { error: "VITE_CONVEX_URL is not set in .env.local." };
  let url: URL;
  try {
    url = new URL(cloud);
  } catch {
    return { error: `VITE_CONVEX_URL (${cloud}) is not a URL.` };
  }
  if (url.protocol === "https:" && url.hostname.endsWith(".convex.cloud")) {
    return { origin: `https://${url.hostname.replace(/\.convex\.cloud$/, ".convex.site")}` };
  }
  if (url.protocol === "http:" && ["127.0.0.1", "localhost", "0.0.0.0"].includes(url.hostname) && url.port !== "") {
    return { origin: `http://127.0.0.1:${Number(url.port) + 1}` };
  }
  return { error: `VITE_CONVEX_URL (${cloud}) is not a Convex deployment URL (https://<name>.convex.cloud).` };
}

/** The full webhook URL to paste into Clerk's dashboard, or the reason it cannot be told. */
export function webhookUrlOf(env: EnvValues): { url: string } | { error: string } {
  const site = siteOriginOf(env);
  return "origin" in site ? { url: `${site.origin}${WEBHOOK_PATH}` } : site;
}

/** The deployment name in `CONVEX_DEPLOYMENT` (`dev:happy-otter-123` → `happy-otter-123`), or null. */
export function deploymentNameOf(env: EnvValues): string | null {
  const raw = env.CONVEX_DEPLOYMENT?.trim();
  if (!raw) return null;
  return raw.split(":").at(-1) ?? null;
}
