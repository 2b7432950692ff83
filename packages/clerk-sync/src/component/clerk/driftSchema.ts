/**
 * The drift watch's stored result (schema.ts `driftChecks`): validators only, so the schema can
 * import them without importing the functions of clerk/drift.ts.
 */
import { v, type Infer } from "convex/values";

/**
 * What the last check found:
 * - `in_step`: what Clerk answered matches the component (or differs only within the grace period);
 * - `behind`: Clerk holds changes the component lacks although webhooks arrive (a failed or lost
 *   event, or changes from before the watch began): a reconcile fixes it;
 * - `webhooks_silent`: Clerk changed and no webhook at all arrived since: the route is unmounted,
 *   the signing secret rotated, or the endpoint's URL is wrong;
 * - `could_not_check`: Clerk's Backend API did not answer (or refused the key): nothing is known.
 */
export const vDriftResult = v.union(
  v.literal("in_step"),
  v.literal("behind"),
  v.literal("webhooks_silent"),
  v.literal("could_not_check"),
);
export type DriftResult = Infer<typeof vDriftResult>;

/** The newest user Clerk has (by `updated_at`) as the last successful check saw it. */
export const vUserProbe = v.object({
  clerkId: v.string(),
  /** Clerk's `updated_at` (ms). */
  updatedAt: v.number(),
  /** True when the component's row has that version, or every field the component keeps. */
  inStep: v.boolean(),
});
export type UserProbe = Infer<typeof vUserProbe>;

/** One kind's count at the last successful check, Clerk's (`total_count`) beside the component's. */
export const vCountProbe = v.object({
  clerk: v.number(),
  /** The component's count, or null when it has more rows than a check counts (MAX_COUNTED). */
  local: v.union(v.number(), v.null()),
  /**
   * While the counts differ: Clerk's count moved after this time (the check before the one that
   * saw it move), so a webhook should have arrived since. null: no move of Clerk's seen (the
   * difference is older than the watch, or there is none).
   */
  changedAfter: v.union(v.number(), v.null()),
  /** When the check that saw Clerk's count move ran; with changedAfter. */
  observedAt: v.union(v.number(), v.null()),
});
export type CountProbe = Infer<typeof vCountProbe>;

export const driftCheckFields = {
  /** When the last check finished (ms). */
  checkedAt: v.number(),
  result: vDriftResult,
  /** Why: what differs and what to do, or why Clerk could not be asked. */
  message: v.string(),
  /** When the last check that reached Clerk finished, or null before any did. */
  lastSuccessAt: v.union(v.number(), v.null()),
  /** The first check that reached Clerk: changes from before it are never called silent. */
  watchingSince: v.union(v.number(), v.null()),
  /** The newest webhook the component had received (any outcome) at the last successful check. */
  lastWebhookAt: v.union(v.number(), v.null()),
  /** null: Clerk has no user (or no successful check yet). */
  users: v.union(vUserProbe, v.null()),
  organizations: v.union(vCountProbe, v.null()),
  memberships: v.union(vCountProbe, v.null()),
};
export const vDriftCheck = v.object(driftCheckFields);
export type DriftCheck = Infer<typeof vDriftCheck>;
