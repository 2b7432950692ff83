/**
 * The client's configuration, read from `import.meta.env.VITE_*` once at start-up. Every problem
 * is reported with what to set, so a missing key shows a clear screen instead of a spinner.
 */

export type AppConfig = { clerkPublishableKey: string; convexUrl: string };
export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** The Clerk Frontend API host a publishable key names (`pk_test_<base64 "host$">`), or null. */
export function clerkFrontendApiOf(publishableKey: string): string | null {
  const match = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/.exec(publishableKey);
  if (!match?.[2]) return null;
  try {
    const decoded = atob(match[2].replace(/-/g, "+").replace(/_/g, "/"));
    return decoded.endsWith("$") && decoded.length > 1 ? decoded.slice(0, -1) : null;
  } catch {
    return null;
  }
}

/** True for a Convex deployment URL: `https://<name>.convex.cloud`, or a local `http://127.0.0.1:<port>`. */
export function isConvexUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:")
      return parsed.hostname.endsWith(".convex.cloud") || parsed.hostname.endsWith(".convex.dev");
    return parsed.protocol === "http:" && ["127.0.0.1", "localhost", "0.0.0.0"].includes(parsed.hostname);
  } catch {
    return false;
  }
}

/** Checks the two variables the client needs. */
export function readConfig(env: Record<string, string | boolean | undefined>): ConfigResult {
  const problems: string[] = [];
  const clerkKey = typeof env.VITE_CLERK_PUBLISHABLE_KEY === "string" ? env.VITE_CLERK_PUBLISHABLE_KEY.trim() : "";
  const convexUrl = typeof env.VITE_CONVEX_URL === "string" ? env.VITE_CONVEX_URL.trim() : "";

  if (clerkKey === "") {
    problems.push(
      "VITE_CLERK_PUBLISHABLE_KEY is not set. Copy the publishable key (pk_test_…) from Clerk's dashboard → API keys into .env.local.",
    );
  } else if (clerkFrontendApiOf(clerkKey) === null) {
    problems.push(
      "VITE_CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (it should start with pk_test_ or pk_live_). Copy it again from Clerk's dashboard → API keys.",
    );
  }
  if (convexUrl === "") {
    problems.push(
      "VITE_CONVEX_URL is not set. Run `npm run setup:convex` once: it creates a deployment and writes the URL to .env.local.",
    );
  } else if (!isConvexUrl(convexUrl)) {
    problems.push(
      `VITE_CONVEX_URL (${convexUrl}) is not a Convex deployment URL (https://<name>.convex.cloud). Run \`npm run setup:convex\` to write the right one.`,
    );
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, config: { clerkPublishableKey: clerkKey, convexUrl } };
}
