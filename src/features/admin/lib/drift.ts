/**
 * The drift watch (the clerkSync component's hourly comparison with Clerk, `drift` in sync health)
 * in plain words, with what to check when it finds something: one place for the admin page's
 * sync-health card and `npm run doctor` (scripts/doctor/diagnose.ts), so both say the same.
 */
import type { DriftStatus } from "../../../../packages/clerk-sync/src/component/clerk/driftSchema";

export type { DriftStatus };
export type DriftState = DriftStatus["state"];

/** Where Clerk's endpoint must point (convex/http.ts mounts the route there), when the deployment's own URL is not known. */
export const WEBHOOK_URL_PLACEHOLDER = "https://<deployment>.convex.site/clerk-webhook";

/** Each state as the admin reads it; `quiet` ones need nothing done. */
export const DRIFT_STATES: Record<DriftState, { label: string; quiet: boolean }> = {
  off: { label: "Off", quiet: true },
  unchecked: { label: "Not checked yet", quiet: true },
  in_step: { label: "In step with Clerk", quiet: true },
  behind: { label: "Behind Clerk", quiet: false },
  webhooks_silent: { label: "Webhooks silent", quiet: false },
  could_not_check: { label: "Could not check", quiet: false },
};

/** One thing to check, and the command or value that goes with it. */
export type DriftCheckItem = { check: string; code?: string };

/**
 * What to check when Clerk changed and no webhook arrived: the route, the signing secret, the
 * endpoint's URL (`webhookUrl`: the deployment's own, when known).
 */
export function silentChecks(webhookUrl: string | null): DriftCheckItem[] {
  return [
    {
      check:
        "Is the webhook route mounted? convex/http.ts must call clerk.registerRoutes(http, …), and that version must be deployed.",
    },
    {
      check:
        "Is the signing secret current? CLERK_WEBHOOK_SIGNING_SECRET must be the endpoint's Signing Secret in Clerk's dashboard (Configure → Webhooks → the endpoint); rolling it there needs the new one here.",
      code: "npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…",
    },
    {
      check: "Is the endpoint's URL this deployment's? In Clerk's dashboard (Configure → Webhooks) it must be:",
      code: webhookUrl ?? WEBHOOK_URL_PLACEHOLDER,
    },
  ];
}

/** What to check when Clerk's Backend API did not answer the drift watch, or refused its key. */
export const COULD_NOT_CHECK_CHECKS: DriftCheckItem[] = [
  {
    check:
      "Is CLERK_SECRET_KEY a current secret key of this Clerk instance (not rolled or deleted in Clerk's dashboard → Configure → API keys)?",
    code: "npx convex env set CLERK_SECRET_KEY sk_…",
  },
  {
    check:
      "Does Clerk answer (status.clerk.com)? An outage or a rate limit passes by itself: the next hourly check tells.",
  },
];

/**
 * What the last check found that differs, one sentence each (from the check's own figures):
 * Clerk's newest user change the component lacks, and counts that differ. `at` formats a time.
 */
export function driftFindings(drift: DriftStatus, at: (ms: number) => string): string[] {
  const findings: string[] = [];
  if (drift.users !== null && !drift.users.inStep)
    findings.push(
      `Clerk changed user ${drift.users.clerkId} at ${at(drift.users.updatedAt)}, and that change is missing here.`,
    );
  for (const kind of ["organizations", "memberships"] as const) {
    const probe = drift[kind];
    if (probe !== null && probe.local !== null && probe.local !== probe.clerk)
      findings.push(`Clerk has ${probe.clerk} ${kind}, this deployment ${probe.local}.`);
  }
  return findings;
}

/** When the last webhook arrived, as the last check saw it. */
export function lastWebhookSaid(drift: DriftStatus, at: (ms: number) => string): string {
  return drift.lastWebhookAt === null
    ? "No webhook has ever arrived."
    : `The last webhook arrived at ${at(drift.lastWebhookAt)}.`;
}
