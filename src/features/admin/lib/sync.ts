/** How the admin view tells the story of a backfill or reconcile run (`api.clerk.admin.syncStatus`). */
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";
import { describeError, type ErrorInfo } from "../../../lib/errors";

export type SyncStatus = FunctionReturnType<typeof api.clerk.admin.syncStatus>;
export type SyncRun = SyncStatus["runs"][number];
export type SyncMode = SyncRun["mode"];
export type SyncPhase = SyncRun["phase"];

/** The phases of each mode, in order (the same list the runs follow). */
export { PHASES } from "../../../../packages/clerk-sync/src/component/clerk/phases";

/** A phase as a step name, and as what the run is doing while in it. */
export const PHASE_LABELS: Record<SyncPhase, { step: string; doing: string }> = {
  count: { step: "Count", doing: "Counting what Clerk has" },
  users: { step: "Users", doing: "Reading users from Clerk" },
  organizations: { step: "Organizations", doing: "Reading organizations from Clerk" },
  roles: { step: "Roles", doing: "Reading roles and their permissions from Clerk" },
  memberships: { step: "Memberships", doing: "Reading memberships from Clerk" },
  sweepMemberships: { step: "Check memberships", doing: "Checking Roster's memberships against Clerk" },
  sweepOrganizations: { step: "Check organizations", doing: "Checking Roster's organizations against Clerk" },
  sweepUsers: { step: "Check users", doing: "Checking Roster's users against Clerk" },
  remove: { step: "Remove", doing: "Removing what Clerk no longer has" },
};

export const MODE_LABELS: Record<SyncMode, string> = { backfill: "Backfill", reconcile: "Reconcile" };

/** What a run is doing now, as the admin sees it (running splits into waiting and stalled). */
export type RunState =
  "running" | "waiting" | "stalled" | "completed" | "failed" | "cancelled" | "awaitingConfirmation";

export function runState(run: SyncRun, now: number): RunState {
  if (run.status !== "running") return run.status;
  if (run.stalled) return "stalled";
  return run.waitingUntil !== null && run.waitingUntil > now ? "waiting" : "running";
}

/**
 * Failed, cancelled and stalled runs continue from their cursor (`resumeSync`); a reconcile whose
 * removals were cancelled at the confirmation does not.
 */
export function canResume(run: SyncRun): boolean {
  if (run.removal?.confirmation === "cancelled") return false;
  return run.status === "failed" || run.status === "cancelled" || (run.status === "running" && run.stalled);
}

/** A run that blocks starting another: running, or waiting for a confirmation of its removals. */
export function isActive(run: SyncRun): boolean {
  return run.status === "running" || run.status === "awaitingConfirmation";
}

/** Objects read from Clerk so far, and how many there were when the run counted (null before). */
export function readProgress(run: SyncRun): { seen: number; total: number | null } {
  const { seen } = run.counts;
  const { totals } = run;
  const total = totals === null ? null : totals.users + totals.organizations + (totals.roles ?? 0) + totals.memberships;
  return { seen: seen.users + seen.organizations + (seen.roles ?? 0) + seen.memberships, total };
}

/** Who started a run: the signed-in admin, another admin, the CLI or the scheduled reconcile. */
export function startedByLabel(startedBy: string, viewerId: string): string {
  if (startedBy === viewerId) return "you";
  if (startedBy === "cli") return "the command line";
  if (startedBy === "schedule") return "the schedule";
  return `another admin (${startedBy})`;
}

/** What to say when starting, resuming or cancelling a run fails. */
export function describeSyncError(error: unknown): ErrorInfo {
  const info = describeError(error);
  if (info.code === "NOT_AN_ADMIN")
    return {
      ...info,
      message:
        "Only Roster's administrators can start, resume, confirm or cancel a sync. Your access may have changed in Clerk; reload the page.",
    };
  if (info.code === null && info.title === "Something went wrong")
    return { ...info, message: "Roster could not reach Convex. Check your connection and try again." };
  return info;
}
