/** `process`, named through a variable: bundlers replace a literal `process.env` with `{}`. */
const PROCESS = "process";

/**
 * The component's environment, as Convex's generated `env` reads it (`process.env`, where Convex
 * puts the variables the app hands over), but read at each use rather than bound when a module
 * loads, and never spelled `process.env` (a bundler for the browser bakes that in as `{}`): a host
 * that sets up `process` itself (the playground's worker) is seen.
 */
const env: Record<string, string | undefined> = new Proxy(
  {},
  { get: (_target, name) => (typeof name === "string" ? environmentVariable(name) : undefined) },
);

/** One variable of the deployment's environment, read now (undefined where there is no `process`). */
export function environmentVariable(name: string): string | undefined {
  return (globalThis as unknown as Record<string, { env: Record<string, string | undefined> } | undefined>)[PROCESS]
    ?.env[name];
}

/**
 * Every environment variable the component reads, read here and nowhere else. They are declared in
 * the component's convex.config.ts; the app hands each over by reference
 * (`app.use(clerkSync, { env: { X: app.env.X } })`), so they are set on the app's deployment with
 * `npx convex env set NAME value`. The webhook signing secret is the app's alone: its route
 * verifies (client/routes.ts).
 */

/** Thrown when a required variable is missing; the message says what to run. */
export class MissingEnvError extends Error {}

const DEFAULT_LOG_RETENTION_DAYS = 30;

/**
 * How many days settled webhook events stay in the event log (`WEBHOOK_LOG_RETENTION_DAYS`,
 * default 30). Failed events are kept until they apply.
 */
export function webhookLogRetentionDays(): number {
  const raw = env.WEBHOOK_LOG_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_LOG_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    console.error(
      `WEBHOOK_LOG_RETENTION_DAYS=${JSON.stringify(raw)} is not a positive number of days; ` +
        `using ${DEFAULT_LOG_RETENTION_DAYS}. Fix it with \`npx convex env set WEBHOOK_LOG_RETENTION_DAYS 30\`.`,
    );
    return DEFAULT_LOG_RETENTION_DAYS;
  }
  return days;
}

const DEFAULT_FAILED_RETENTION_DAYS = 90;

/**
 * How many days a failed webhook event (and the payload kept to retry it) is kept after its last
 * attempt when it never applies (`FAILED_EVENT_RETENTION_DAYS`, default 90); then it is pruned.
 */
export function failedEventRetentionDays(): number {
  const raw = env.FAILED_EVENT_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_FAILED_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    console.error(
      `FAILED_EVENT_RETENTION_DAYS=${JSON.stringify(raw)} is not a positive number of days; ` +
        `using ${DEFAULT_FAILED_RETENTION_DAYS}. Fix it with \`npx convex env set FAILED_EVENT_RETENTION_DAYS 90\`.`,
    );
    return DEFAULT_FAILED_RETENTION_DAYS;
  }
  return days;
}

/**
 * The Clerk instance webhooks must come from (`CLERK_INSTANCE_ID`, `ins_…`), or null when unset:
 * then the first verified event's `instance_id` is pinned instead.
 */
export function clerkInstanceId(): string | null {
  const raw = (env.CLERK_INSTANCE_ID ?? "").trim();
  return raw === "" ? null : raw;
}

/**
 * Clerk's Backend API secret key (`CLERK_SECRET_KEY`, `sk_test_…`/`sk_live_…`), or null when it is
 * not set. Backfill, reconcile and fetching users or organizations an event names but Convex has
 * never seen all need it; without it they are off.
 */
export function clerkSecretKey(): string | null {
  const raw = (env.CLERK_SECRET_KEY ?? "").trim();
  return raw === "" ? null : raw;
}

/** `clerkSecretKey()`, or a MissingEnvError saying how to set it. */
export function requireClerkSecretKey(): string {
  const key = clerkSecretKey();
  if (key === null) {
    throw new MissingEnvError(
      "CLERK_SECRET_KEY is not set, so Roster cannot read Clerk's Backend API. Copy the secret key from " +
        "Clerk's dashboard (Configure → API keys → Secret keys) and run `npx convex env set CLERK_SECRET_KEY sk_…`.",
    );
  }
  return key;
}

const DEFAULT_CLERK_API_URL = "https://api.clerk.com";

/**
 * The base URL of Clerk's Backend API (`CLERK_API_URL`, default https://api.clerk.com), without a
 * trailing slash; requests go to `<base>/v1/…`. Tests point it at a fake API on 127.0.0.1.
 */
export function clerkApiUrl(): string {
  const raw = (env.CLERK_API_URL ?? "").trim();
  if (raw === "") return DEFAULT_CLERK_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MissingEnvError(
      `CLERK_API_URL=${JSON.stringify(raw)} is not a URL. Unset it (\`npx convex env remove CLERK_API_URL\`) to use ${DEFAULT_CLERK_API_URL}.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * How often the scheduled reconcile with Clerk runs (`CLERK_RECONCILE_INTERVAL_HOURS`), or null
 * when it is off (the default: unset, empty or 0).
 */
export function reconcileIntervalHours(): number | null {
  const raw = (env.CLERK_RECONCILE_INTERVAL_HOURS ?? "").trim();
  if (raw === "") return null;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) {
    console.error(
      `CLERK_RECONCILE_INTERVAL_HOURS=${JSON.stringify(raw)} is not a number of hours; the scheduled reconcile is off. ` +
        "Fix it with `npx convex env set CLERK_RECONCILE_INTERVAL_HOURS 24` (or remove it).",
    );
    return null;
  }
  return hours === 0 ? null : hours;
}

/**
 * The host of CLERK_JWT_ISSUER_DOMAIN (the Clerk instance's Frontend API, e.g.
 * `happy-otter-12.clerk.accounts.dev`), or null when it is unset or unreadable. Backfill checks
 * that CLERK_SECRET_KEY belongs to this same instance before writing anything.
 */
export function clerkIssuerHost(): string | null {
  const raw = (env.CLERK_JWT_ISSUER_DOMAIN ?? "").trim();
  if (raw === "") return null;
  try {
    return new URL(raw.includes("://") ? raw : `https://${raw}`).host.toLowerCase();
  } catch {
    return null;
  }
}

const DEFAULT_RECONCILE_MAX_REMOVALS = 100;
const DEFAULT_RECONCILE_MAX_REMOVAL_PERCENT = 10;

function limitFromEnv(name: string, raw: string | undefined, fallback: number, max = Infinity): number {
  const text = (raw ?? "").trim();
  if (text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > max) {
    console.error(
      `${name}=${JSON.stringify(text)} is not a number from 0 to ${max === Infinity ? "…" : max}; using ${fallback}. ` +
        `Fix it with \`npx convex env set ${name} ${fallback}\` (or remove it).`,
    );
    return fallback;
  }
  return value;
}

/**
 * The reconcile's safety cap: a run that would remove more than `maxRows` rows of a kind
 * (`CLERK_RECONCILE_MAX_REMOVALS`, default 100) or more than `maxPercent` % of a table
 * (`CLERK_RECONCILE_MAX_REMOVAL_PERCENT`, default 10) stops and waits for an admin to confirm.
 */
export function reconcileRemovalLimits(): { maxRows: number; maxPercent: number } {
  return {
    maxRows: limitFromEnv(
      "CLERK_RECONCILE_MAX_REMOVALS",
      env.CLERK_RECONCILE_MAX_REMOVALS,
      DEFAULT_RECONCILE_MAX_REMOVALS,
    ),
    maxPercent: limitFromEnv(
      "CLERK_RECONCILE_MAX_REMOVAL_PERCENT",
      env.CLERK_RECONCILE_MAX_REMOVAL_PERCENT,
      DEFAULT_RECONCILE_MAX_REMOVAL_PERCENT,
      100,
    ),
  };
}
