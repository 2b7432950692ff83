/**
 * Plain helpers for backfill/reconcile runs: starting, scheduling the next step, resuming,
 * cancelling, and what the admin view shows. The registered functions in sync.ts and admin.ts
 * are thin shells around these.
 */
import { ConvexError, v, type Infer } from "convex/values";
import { internal } from "../_generated/api.js";
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { clerkSecretKey, reconcileRemovalLimits } from "../env.js";
import type { ListKind } from "./api.js";
import { LIST_START } from "./paging.js";
import { PHASES } from "./phases.js";
import { vRemoval, vSyncRun, type PerKind, type Removal, type SyncMode, type SyncPhase } from "./schema.js";

export type SyncRun = Doc<"clerkSyncRuns">;

/** Objects per Clerk request unless the run says otherwise; each page is applied in one mutation. */
export const DEFAULT_PAGE_SIZE = 100;
/** A bound that keeps one page's mutation far below Convex's per-transaction read/write limits. */
export const MAX_PAGE_SIZE = 200;
/** How often the watchdog looks for a run whose step died (a crash or a redeploy mid-step). */
export const WATCHDOG_INTERVAL_MS = 5 * 60_000;
/** Transient Clerk failures (5xx, network) in a row before a run fails. */
export const MAX_TRANSIENT_FAILURES = 8;
/** Automatic resumes of a run whose step keeps dying before it fails. */
export const MAX_AUTO_RESUMES = 5;

/** The phase after `phase` in a run of `mode`, or null when it was the last. */
export function nextPhase(mode: SyncMode, phase: SyncPhase): SyncPhase | null {
  const phases = PHASES[mode];
  return phases[phases.indexOf(phase) + 1] ?? null;
}

/** The Clerk kind a listing or sweep phase works on (null for "count" and "remove"). */
export function kindOfPhase(phase: SyncPhase): ListKind | null {
  switch (phase) {
    case "users":
    case "sweepUsers":
      return "users";
    case "organizations":
    case "sweepOrganizations":
      return "organizations";
    case "roles":
      return "roles";
    case "memberships":
    case "sweepMemberships":
      return "memberships";
    case "count":
    case "remove":
      return null;
  }
}

/** The run that is running, if any (there is at most one). */
export async function activeRun(ctx: QueryCtx): Promise<SyncRun | null> {
  return await ctx.db
    .query("clerkSyncRuns")
    .withIndex("by_status", (q) => q.eq("status", "running"))
    .first();
}

/** Schedules the run's next step after `delayMs` and remembers it, so the watchdog can tell when it died. */
export async function scheduleStep(ctx: MutationCtx, run: SyncRun, delayMs: number): Promise<void> {
  const nextStep = await ctx.scheduler.runAfter(delayMs, internal.clerk.sync.step, {
    runId: run._id,
    generation: run.generation,
  });
  await ctx.db.patch("clerkSyncRuns", run._id, {
    nextStep,
    waitingUntil: delayMs > 0 ? Date.now() + delayMs : null,
    updatedAt: Date.now(),
  });
}

async function scheduleWatchdog(ctx: MutationCtx, runId: Id<"clerkSyncRuns">, generation: number): Promise<void> {
  await ctx.scheduler.runAfter(WATCHDOG_INTERVAL_MS, internal.clerk.sync.watchdog, { runId, generation });
}

/** The run waiting for an admin to confirm its removals, if any (there is at most one). */
export async function awaitingRun(ctx: QueryCtx): Promise<SyncRun | null> {
  return await ctx.db
    .query("clerkSyncRuns")
    .withIndex("by_status", (q) => q.eq("status", "awaitingConfirmation"))
    .first();
}

const NO_ROWS: PerKind = { users: 0, organizations: 0, memberships: 0 };

/** A reconcile's cap on removals: the environment's (CLERK_RECONCILE_MAX_…), unless the run says otherwise. */
export type RemovalLimits = { maxRows?: number; maxPercent?: number };

/** A reconcile's removals before its sweeps (also for a reconcile started before the cap existed). */
export function initialRemoval(limits: RemovalLimits): Removal {
  const defaults = reconcileRemovalLimits();
  const maxRows = limits.maxRows ?? defaults.maxRows;
  const maxPercent = limits.maxPercent ?? defaults.maxPercent;
  if (!Number.isFinite(maxRows) || maxRows < 0 || !Number.isFinite(maxPercent) || maxPercent < 0 || maxPercent > 100) {
    throw new ConvexError({
      code: "BAD_REMOVAL_LIMITS",
      message: "maxRemovals must be 0 or more, and maxRemovalPercent from 0 to 100.",
    });
  }
  return {
    maxRows,
    maxPercent,
    checked: NO_ROWS,
    found: NO_ROWS,
    removed: NO_ROWS,
    confirmation: null,
    decidedBy: null,
  };
}

/**
 * The kinds whose removals go past the cap: more than `maxRows` rows, or more than `maxPercent`
 * % of the rows the sweep checked.
 */
export function overCap(removal: Removal): Array<keyof PerKind> {
  return (["users", "organizations", "memberships"] as const).filter((kind) => {
    const found = removal.found[kind];
    return found > removal.maxRows || found * 100 > removal.maxPercent * removal.checked[kind];
  });
}

/**
 * Starts a backfill or reconcile and returns its id. A ConvexError says why it cannot start:
 * `CLERK_SECRET_KEY_MISSING`, or `SYNC_RUNNING` (resume, confirm or cancel that run first).
 */
export async function startRun(
  ctx: MutationCtx,
  mode: SyncMode,
  startedBy: string,
  pageSize = DEFAULT_PAGE_SIZE,
  limits: RemovalLimits = {},
): Promise<Id<"clerkSyncRuns">> {
  if (clerkSecretKey() === null) {
    throw new ConvexError({
      code: "CLERK_SECRET_KEY_MISSING",
      message:
        "CLERK_SECRET_KEY is not set on this deployment. Copy the secret key from Clerk's dashboard (API keys) and run `npx convex env set CLERK_SECRET_KEY sk_…`.",
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ConvexError({
      code: "BAD_PAGE_SIZE",
      message: `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`,
    });
  }
  const running = await activeRun(ctx);
  if (running) {
    throw new ConvexError({
      code: "SYNC_RUNNING",
      runId: running._id,
      message: `A ${running.mode} is already running (${running._id}); resume or cancel it first.`,
    });
  }
  const waiting = await awaitingRun(ctx);
  if (waiting) {
    throw new ConvexError({
      code: "SYNC_RUNNING",
      runId: waiting._id,
      message: `Reconcile ${waiting._id} is waiting for a confirmation of its removals; confirm or cancel it first.`,
    });
  }
  const removal = mode === "reconcile" ? initialRemoval(limits) : undefined;
  const now = Date.now();
  const runId = await ctx.db.insert("clerkSyncRuns", {
    mode,
    status: "running",
    phase: "count",
    pageSize,
    list: LIST_START,
    sweepCursor: null,
    counts: {
      seen: { users: 0, organizations: 0, roles: 0, memberships: 0 },
      changed: 0,
      unchanged: 0,
      stale: 0,
      invalid: 0,
      checked: 0,
      removed: 0,
    },
    totals: null,
    generation: 0,
    nextStep: null,
    waitingUntil: null,
    failures: 0,
    autoResumes: 0,
    error: null,
    startedBy,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
    ...(removal ? { removal } : {}),
  });
  const run = await ctx.db.get("clerkSyncRuns", runId);
  if (run === null) throw new Error("the run just inserted is missing");
  await scheduleStep(ctx, run, 0);
  await scheduleWatchdog(ctx, runId, run.generation);
  return runId;
}

/** The run a step or a record belongs to, when it is still running at this generation; else null. */
export async function liveRun(ctx: QueryCtx, runId: Id<"clerkSyncRuns">, generation: number): Promise<SyncRun | null> {
  const run = await ctx.db.get("clerkSyncRuns", runId);
  return run !== null && run.status === "running" && run.generation === generation ? run : null;
}

/** The run named, or the latest one when no id is given; a ConvexError when there is none. */
export async function findRun(ctx: QueryCtx, runId?: Id<"clerkSyncRuns">): Promise<SyncRun> {
  const run = runId
    ? await ctx.db.get("clerkSyncRuns", runId)
    : await ctx.db.query("clerkSyncRuns").order("desc").first();
  if (run === null)
    throw new ConvexError({
      code: "NO_SUCH_RUN",
      message: runId ? `No run ${runId}.` : "No backfill or reconcile has run yet.",
    });
  return run;
}

/**
 * Continues a run from its stored cursor: one that failed, was cancelled, or whose step died.
 * Steps scheduled before the resume do nothing (the generation moves on). Completed runs cannot
 * be resumed: start a new one.
 */
export async function resumeRun(ctx: MutationCtx, run: SyncRun, auto = false): Promise<void> {
  if (run.status === "completed") {
    throw new ConvexError({ code: "RUN_COMPLETED", message: `Run ${run._id} has completed; start a new one.` });
  }
  if (run.status === "awaitingConfirmation") {
    throw new ConvexError({
      code: "NEEDS_CONFIRMATION",
      message: `Reconcile ${run._id} waits for a confirmation of its removals: confirm or cancel it.`,
    });
  }
  if (run.removal?.confirmation === "cancelled") {
    throw new ConvexError({
      code: "RUN_CANCELLED",
      message: `Its removals were cancelled, so reconcile ${run._id} cannot go on; start a new one.`,
    });
  }
  const running = (await activeRun(ctx)) ?? (await awaitingRun(ctx));
  if (running && running._id !== run._id) {
    throw new ConvexError({
      code: "SYNC_RUNNING",
      runId: running._id,
      message: `Run ${running._id} is ${running.status === "running" ? "running" : "waiting for a confirmation"}; cancel it first.`,
    });
  }
  const generation = run.generation + 1;
  await ctx.db.patch("clerkSyncRuns", run._id, {
    status: "running",
    generation,
    failures: 0,
    autoResumes: auto ? run.autoResumes + 1 : 0,
    error: null,
    finishedAt: null,
  });
  const resumed = { ...run, status: "running" as const, generation };
  await scheduleStep(ctx, resumed, 0);
  await scheduleWatchdog(ctx, run._id, generation);
}

/**
 * Stops a running run where it is; it can be resumed later. A reconcile waiting for a confirmation
 * is cancelled for good: it removes nothing, and its candidates are dropped.
 */
export async function cancelRun(ctx: MutationCtx, run: SyncRun, by = "cli"): Promise<void> {
  if (run.status === "awaitingConfirmation" && run.removal) {
    const now = Date.now();
    await ctx.db.patch("clerkSyncRuns", run._id, {
      status: "cancelled",
      removal: { ...run.removal, confirmation: "cancelled", decidedBy: by },
      updatedAt: now,
      finishedAt: now,
    });
    console.log(`Clerk reconcile ${run._id}: removals cancelled by ${by}; nothing was removed.`);
    await ctx.scheduler.runAfter(0, internal.clerk.sync.dropCandidates, { runId: run._id });
    return;
  }
  if (run.status !== "running") return;
  if (run.nextStep) await cancelIfPending(ctx, run.nextStep);
  const now = Date.now();
  await ctx.db.patch("clerkSyncRuns", run._id, {
    status: "cancelled",
    nextStep: null,
    waitingUntil: null,
    updatedAt: now,
    finishedAt: now,
  });
}

async function cancelIfPending(ctx: MutationCtx, jobId: Id<"_scheduled_functions">): Promise<void> {
  const job = await ctx.db.system.get("_scheduled_functions", jobId);
  if (job?.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

/**
 * Confirms the removals of a reconcile that stopped at its cap, and continues it: the remove phase
 * asks Clerk about each candidate again before removing it.
 */
export async function confirmRun(ctx: MutationCtx, run: SyncRun, by: string): Promise<void> {
  if (run.status !== "awaitingConfirmation" || !run.removal) {
    throw new ConvexError({
      code: "NOTHING_TO_CONFIRM",
      message: `Run ${run._id} is not waiting for a confirmation (it is ${run.status}).`,
    });
  }
  const generation = run.generation + 1;
  await ctx.db.patch("clerkSyncRuns", run._id, {
    status: "running",
    generation,
    failures: 0,
    autoResumes: 0,
    error: null,
    finishedAt: null,
    removal: { ...run.removal, confirmation: "confirmed", decidedBy: by },
  });
  console.log(`Clerk reconcile ${run._id}: removals confirmed by ${by}: ${JSON.stringify(run.removal.found)}`);
  await scheduleStep(ctx, { ...run, status: "running", generation }, 0);
  await scheduleWatchdog(ctx, run._id, generation);
}

/** True when the run is running but no step is pending or in progress: it crashed or was lost. */
export async function isStalled(ctx: QueryCtx, run: SyncRun): Promise<{ stalled: boolean; reason: string | null }> {
  if (run.status !== "running") return { stalled: false, reason: null };
  const job = run.nextStep ? await ctx.db.system.get("_scheduled_functions", run.nextStep) : null;
  if (job === null) return { stalled: true, reason: "its next step is missing" };
  switch (job.state.kind) {
    case "pending":
    case "inProgress":
      return { stalled: false, reason: null };
    case "failed":
      return { stalled: true, reason: `its step failed: ${job.state.error}` };
    case "canceled":
      return { stalled: true, reason: "its step was cancelled" };
    case "success":
      return { stalled: true, reason: "its step ended without scheduling the next" };
  }
}

/** Marks a run failed; it keeps its cursor, so `resume` continues from there once the cause is fixed. */
export async function failRun(ctx: MutationCtx, run: SyncRun, error: string): Promise<void> {
  console.error(`Clerk ${run.mode} ${run._id} failed in phase ${run.phase}: ${error}`);
  const now = Date.now();
  await ctx.db.patch("clerkSyncRuns", run._id, {
    status: "failed",
    error,
    nextStep: null,
    waitingUntil: null,
    updatedAt: now,
    finishedAt: now,
  });
}

/** What the admin view and `clerk/sync:status` show about a run. */
export const vRunView = v.object({
  runId: v.id("clerkSyncRuns"),
  mode: vSyncRun.mode,
  status: vSyncRun.status,
  phase: vSyncRun.phase,
  counts: vSyncRun.counts,
  totals: vSyncRun.totals,
  /** Clerk objects not read yet (from the counts taken at the start); null before counting. */
  remaining: v.union(v.number(), v.null()),
  /** True while running with no live step: the watchdog (or a resume) will continue it. */
  stalled: v.boolean(),
  waitingUntil: vSyncRun.waitingUntil,
  error: vSyncRun.error,
  startedBy: vSyncRun.startedBy,
  startedAt: vSyncRun.startedAt,
  updatedAt: vSyncRun.updatedAt,
  finishedAt: vSyncRun.finishedAt,
  /** Reconcile only: the cap, what the sweeps found gone per kind, whether it needs a confirmation. */
  removal: v.union(vRemoval, v.null()),
});
export type RunView = Infer<typeof vRunView>;

const LISTING: ListKind[] = ["users", "organizations", "roles", "memberships"];

/** How many Clerk objects are still to read: kinds already listed count 0. */
export function remainingOf(run: SyncRun): number | null {
  if (run.totals === null) return null;
  const totals = run.totals;
  const current = LISTING.indexOf(run.phase as ListKind);
  const listed = run.status === "completed" || (current === -1 && run.phase !== "count");
  if (listed) return 0;
  return LISTING.reduce((sum, kind, index) => {
    if (current !== -1 && index < current) return sum;
    // Runs counted before roles were listed have no `roles`: nothing to wait for.
    return sum + Math.max(0, (totals[kind] ?? 0) - (run.counts.seen[kind] ?? 0));
  }, 0);
}

/** A run as the admin view shows it. */
export async function viewRun(ctx: QueryCtx, run: SyncRun): Promise<RunView> {
  const { stalled } = await isStalled(ctx, run);
  return {
    runId: run._id,
    mode: run.mode,
    status: run.status,
    phase: run.phase,
    counts: run.counts,
    totals: run.totals,
    remaining: remainingOf(run),
    stalled,
    waitingUntil: run.waitingUntil,
    error: run.error,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    removal: run.removal ?? null,
  };
}

/** The latest runs, newest first. */
export async function latestRuns(ctx: QueryCtx, limit: number): Promise<RunView[]> {
  const runs = await ctx.db.query("clerkSyncRuns").order("desc").take(limit);
  return await Promise.all(runs.map((run) => viewRun(ctx, run)));
}
