import { env } from "./_generated/server";

/**
 * Every Convex environment variable Roster's functions read, read here and nowhere else
 * (auth.config.ts reads CLERK_JWT_ISSUER_DOMAIN itself: Convex evaluates that file at deploy
 * time and names the variable if it is missing).
 * They are declared in convex.config.ts. Set them with `npx convex env set NAME value` (or in the
 * Convex dashboard).
 */

/** Thrown when a required variable is missing; the message says what to run. */
export class MissingEnvError extends Error {}

/**
 * The Svix signing secrets for the Clerk webhook endpoint. Several secrets may be given,
 * separated by spaces, while a secret is being rotated.
 */
export function webhookSigningSecrets(): string[] {
  const raw = env.CLERK_WEBHOOK_SIGNING_SECRET ?? "";
  const secrets = raw.split(/\s+/).filter((s) => s.length > 0);
  if (secrets.length === 0) {
    throw new MissingEnvError(
      "CLERK_WEBHOOK_SIGNING_SECRET is not set. Copy the endpoint's signing secret from " +
        "Clerk's dashboard (Webhooks → your endpoint → Signing Secret) and run " +
        "`npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…`.",
    );
  }
  return secrets;
}

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
