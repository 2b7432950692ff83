/**
 * Backfill and reconcile from Clerk's Backend API.
 *
 *   npx convex run clerk/sync:backfill              # copy users, organizations, memberships
 *   npx convex run clerk/sync:reconcile             # the same, then remove what Clerk no longer has
 *   npx convex run clerk/sync:status                # progress of the latest runs
 *   npx convex run clerk/sync:resume                # continue the latest run from its cursor
 *   npx convex run clerk/sync:cancel                # stop it (it can be resumed)
 *
 * A run is a row in `clerkSyncRuns` and a chain of scheduled steps: each step reads one page
 * from Clerk (an action) and applies it with its cursor in one mutation, which schedules the
 * next step. A crash between steps loses nothing: the cursor is stored, the watchdog resumes the
 * run, and a page read twice applies the same versions twice, which changes nothing.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import {
  internalAction,
  internalMutation,
  internalQuery,
  type ActionCtx,
  type MutationCtx,
} from "../_generated/server";
import { clerkApiUrl, clerkIssuerHost, reconcileIntervalHours, requireClerkSecretKey } from "../env";
import { ClerkApi, ClerkApiError, ClerkRateLimitError, CLERK_MAX_IDS, type ClerkKind } from "./api";
import { applyClerkObjects, removeClerkObjects, sweepPageOf, type SweptRow } from "./apply";
import { LIST_START, pageRequest, readPage, vListCursor } from "./paging";
import {
  activeRun,
  cancelRun,
  failRun,
  findRun,
  isStalled,
  kindOfPhase,
  latestRuns,
  liveRun,
  MAX_AUTO_RESUMES,
  MAX_TRANSIENT_FAILURES,
  nextPhase,
  resumeRun,
  scheduleStep,
  startRun,
  vRunView,
  WATCHDOG_INTERVAL_MS,
  type SyncRun,
} from "./runs";
import { vSyncRun } from "./schema";

const vRunId = v.id("clerkSyncRuns");
const vKind = v.union(v.literal("users"), v.literal("organizations"), v.literal("memberships"));
const vRunDoc = v.object({ _id: vRunId, _creationTime: v.number(), ...vSyncRun });
const startArgs = { pageSize: v.optional(v.number()) };

// ---- Starting, resuming, cancelling (npx convex run; admins use clerk/admin.ts) ----

/** Copies every user, organization and membership from Clerk, newer-wins. Returns the run id. */
export const backfill = internalMutation({
  args: startArgs,
  returns: vRunId,
  handler: async (ctx, { pageSize }) => await startRun(ctx, "backfill", "cli", pageSize),
});

/** A backfill, then removes the rows Clerk no longer has. Returns the run id. */
export const reconcile = internalMutation({
  args: startArgs,
  returns: vRunId,
  handler: async (ctx, { pageSize }) => await startRun(ctx, "reconcile", "cli", pageSize),
});

/** Continues a run (the latest when no id is given) from its stored cursor. */
export const resume = internalMutation({
  args: { runId: v.optional(vRunId) },
  returns: vRunId,
  handler: async (ctx, { runId }) => {
    const run = await findRun(ctx, runId);
    await resumeRun(ctx, run);
    return run._id;
  },
});

/** Stops a run (the running one when no id is given); `resume` continues it later. */
export const cancel = internalMutation({
  args: { runId: v.optional(vRunId) },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const run = runId ? await findRun(ctx, runId) : await activeRun(ctx);
    if (run) await cancelRun(ctx, run);
    return null;
  },
});

/** The latest runs with their progress. */
export const status = internalQuery({
  args: { limit: v.optional(v.number()) },
  returns: v.array(vRunView),
  handler: async (ctx, { limit }) => await latestRuns(ctx, Math.max(1, Math.min(limit ?? 5, 50))),
});

/**
 * Run hourly by crons.ts: starts a reconcile when CLERK_RECONCILE_INTERVAL_HOURS is set and the
 * last one started at least that long ago. Off by default.
 */
export const reconcileIfDue = internalMutation({
  args: {},
  returns: v.union(v.id("clerkSyncRuns"), v.null()),
  handler: async (ctx) => {
    const hours = reconcileIntervalHours();
    if (hours === null) return null;
    if (await activeRun(ctx)) return null;
    const last = await ctx.db
      .query("clerkSyncRuns")
      .withIndex("by_mode", (q) => q.eq("mode", "reconcile"))
      .order("desc")
      .first();
    if (last && Date.now() - last.startedAt < hours * 60 * 60 * 1000) return null;
    try {
      return await startRun(ctx, "reconcile", "schedule");
    } catch (error) {
      console.error(
        `The scheduled reconcile with Clerk did not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  },
});

// ---- The steps ----

export const currentRun = internalQuery({
  args: { runId: vRunId, generation: v.number() },
  returns: v.union(vRunDoc, v.null()),
  handler: async (ctx, { runId, generation }) => await liveRun(ctx, runId, generation),
});

/** One step of a run: one page read from Clerk and recorded, or the step's failure. */
export const step = internalAction({
  args: { runId: vRunId, generation: v.number() },
  returns: v.null(),
  handler: async (ctx, { runId, generation }) => {
    const run = await ctx.runQuery(internal.clerk.sync.currentRun, { runId, generation });
    if (run === null) return null; // finished, cancelled, or superseded by a resume
    try {
      const api = new ClerkApi({ secretKey: requireClerkSecretKey(), baseUrl: clerkApiUrl() });
      await runStep(ctx, api, run);
    } catch (error) {
      await ctx.runMutation(internal.clerk.sync.recordFailure, { runId, generation, ...classify(error) });
    }
    return null;
  },
});

async function runStep(ctx: ActionCtx, api: ClerkApi, run: SyncRun): Promise<void> {
  const base = { runId: run._id, generation: run.generation };
  const kind = kindOfPhase(run.phase);
  if (kind === null) {
    await checkSameInstance(api);
    const [users, organizations, memberships] = [
      await api.count("users"),
      await api.count("organizations"),
      await api.count("memberships"),
    ];
    await ctx.runMutation(internal.clerk.sync.recordCount, {
      ...base,
      totals: { users: users ?? 0, organizations: organizations ?? 0, memberships: memberships ?? 0 },
    });
    return;
  }
  if (run.phase === kind) {
    const request = pageRequest(run.list, run.pageSize);
    const { items } = await api.listPage(kind, request.offset, request.limit);
    const read = readPage(run.list, request, items, run.pageSize);
    await ctx.runMutation(internal.clerk.sync.recordPage, {
      ...base,
      kind,
      // JSON text: metadata keys Convex forbids in values ($x, _x) travel unchanged.
      items: read.kind === "page" ? JSON.stringify(read.fresh) : "[]",
      cursor: read.cursor,
      done: read.kind === "page" && read.done,
    });
    return;
  }
  const page = await ctx.runQuery(internal.clerk.sync.sweepPage, {
    kind,
    cursor: run.sweepCursor,
    numItems: Math.min(run.pageSize, CLERK_MAX_IDS),
  });
  const gone = await goneFromClerk(api, kind, page.rows);
  await ctx.runMutation(internal.clerk.sync.recordSweep, {
    ...base,
    kind,
    checked: page.rows.length,
    gone,
    cursor: page.continueCursor,
    done: page.isDone,
  });
}

/**
 * Refuses to go on when CLERK_SECRET_KEY belongs to another Clerk instance than the one users
 * sign in with (CLERK_JWT_ISSUER_DOMAIN): a backfill would copy strangers in, and a reconcile would
 * find none of Roster's rows in Clerk and remove them all.
 */
async function checkSameInstance(api: ClerkApi): Promise<void> {
  const issuer = clerkIssuerHost();
  if (issuer === null) {
    console.warn(
      "CLERK_JWT_ISSUER_DOMAIN is not set: cannot check that CLERK_SECRET_KEY belongs to the same Clerk instance.",
    );
    return;
  }
  const hosts = await api.frontendApiHosts();
  if (hosts.size > 0 && !hosts.has(issuer)) {
    throw new Error(
      `CLERK_SECRET_KEY belongs to another Clerk instance (${[...hosts].join(", ")}) than CLERK_JWT_ISSUER_DOMAIN (${issuer}); ` +
        `nothing was written. Copy the secret key of ${issuer} (Clerk dashboard → API keys) and run \`npx convex env set CLERK_SECRET_KEY sk_…\`, then resume.`,
    );
  }
}

/** The rows of a sweep page whose Clerk object no longer exists (asked by id, so nothing is inferred). */
async function goneFromClerk(api: ClerkApi, kind: ClerkKind, rows: SweptRow[]): Promise<string[]> {
  if (kind !== "memberships") {
    const existing = await api.existingIds(
      kind,
      rows.map((row) => row.clerkId),
    );
    return rows.filter((row) => !existing.has(row.clerkId)).map((row) => row.clerkId);
  }
  const byOrganization = new Map<string, SweptRow[]>();
  for (const row of rows) {
    const organizationId = row.organizationId ?? "";
    byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), row]);
  }
  const gone: string[] = [];
  for (const [organizationId, members] of byOrganization) {
    const existing = await api.existingMemberships(
      organizationId,
      members.map((m) => m.userId ?? ""),
    );
    gone.push(...members.filter((m) => existing === null || !existing.has(m.clerkId)).map((m) => m.clerkId));
  }
  return gone;
}

export const sweepPage = internalQuery({
  args: { kind: vKind, cursor: v.union(v.string(), v.null()), numItems: v.number() },
  returns: v.object({
    rows: v.array(
      v.object({ clerkId: v.string(), organizationId: v.optional(v.string()), userId: v.optional(v.string()) }),
    ),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { kind, cursor, numItems }) => await sweepPageOf(ctx, kind, cursor, numItems),
});

/** Moves a run to its next phase (fresh cursors), or completes it, and schedules what follows. */
async function advance(ctx: MutationCtx, run: SyncRun, done: boolean): Promise<void> {
  const now = Date.now();
  if (done) {
    const phase = nextPhase(run.mode, run.phase);
    if (phase === null) {
      await ctx.db.patch("clerkSyncRuns", run._id, {
        status: "completed",
        nextStep: null,
        waitingUntil: null,
        failures: 0,
        error: null,
        updatedAt: now,
        finishedAt: now,
      });
      console.log(`Clerk ${run.mode} ${run._id} completed: ${JSON.stringify(run.counts)}`);
      return;
    }
    await ctx.db.patch("clerkSyncRuns", run._id, { phase, list: LIST_START, sweepCursor: null });
  }
  await ctx.db.patch("clerkSyncRuns", run._id, { failures: 0, autoResumes: 0, error: null });
  await scheduleStep(ctx, run, 0);
}

export const recordCount = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    totals: v.object({ users: v.number(), organizations: v.number(), memberships: v.number() }),
  },
  returns: v.null(),
  handler: async (ctx, { runId, generation, totals }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    await ctx.db.patch("clerkSyncRuns", runId, { totals });
    await advance(ctx, run, true);
    return null;
  },
});

/** Applies one page of Clerk objects and moves the cursor past it, in one transaction. */
export const recordPage = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    kind: vKind,
    items: v.string(),
    cursor: vListCursor,
    done: v.boolean(),
  },
  returns: v.null(),
  handler: async (ctx, { runId, generation, kind, items, cursor, done }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    const objects = JSON.parse(items) as Array<Record<string, unknown>>;
    const tally = await applyClerkObjects(ctx, kind, objects);
    const counts = {
      ...run.counts,
      seen: { ...run.counts.seen, [kind]: run.counts.seen[kind] + objects.length },
      changed: run.counts.changed + tally.changed,
      unchanged: run.counts.unchanged + tally.unchanged,
      stale: run.counts.stale + tally.stale,
      invalid: run.counts.invalid + tally.invalid,
    };
    await ctx.db.patch("clerkSyncRuns", runId, { list: cursor, counts });
    await advance(ctx, { ...run, counts }, done);
    return null;
  },
});

/** Removes the rows a sweep page found gone from Clerk and moves the sweep cursor, in one transaction. */
export const recordSweep = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    kind: vKind,
    checked: v.number(),
    gone: v.array(v.string()),
    cursor: v.string(),
    done: v.boolean(),
  },
  returns: v.null(),
  handler: async (ctx, { runId, generation, kind, checked, gone, cursor, done }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    const removed = await removeClerkObjects(ctx, kind, gone, Date.now());
    if (removed > 0) console.log(`Clerk reconcile ${runId}: removed ${removed} ${kind} Clerk no longer has`);
    const counts = { ...run.counts, checked: run.counts.checked + checked, removed: run.counts.removed + removed };
    await ctx.db.patch("clerkSyncRuns", runId, { sweepCursor: cursor, counts });
    await advance(ctx, { ...run, counts }, done);
    return null;
  },
});

const vFailure = {
  /** rateLimited: wait and continue. transient: back off and retry (bounded). fatal: stop; resume once fixed. */
  failure: v.union(v.literal("rateLimited"), v.literal("transient"), v.literal("fatal")),
  message: v.string(),
  retryAfterMs: v.number(),
};

function classify(error: unknown): {
  failure: "rateLimited" | "transient" | "fatal";
  message: string;
  retryAfterMs: number;
} {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ClerkRateLimitError)
    return { failure: "rateLimited", message, retryAfterMs: error.retryAfterMs };
  if (error instanceof ClerkApiError && error.transient) return { failure: "transient", message, retryAfterMs: 0 };
  return { failure: "fatal", message, retryAfterMs: 0 };
}

/** A step's failure: wait out a rate limit, back off from a transient error, or fail the run. */
export const recordFailure = internalMutation({
  args: { runId: vRunId, generation: v.number(), ...vFailure },
  returns: v.null(),
  handler: async (ctx, { runId, generation, failure, message, retryAfterMs }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    if (failure === "rateLimited") {
      await ctx.db.patch("clerkSyncRuns", runId, { error: message });
      await scheduleStep(ctx, run, retryAfterMs);
      return null;
    }
    const failures = run.failures + 1;
    if (failure === "fatal" || failures > MAX_TRANSIENT_FAILURES) {
      await failRun(ctx, run, failure === "fatal" ? message : `${message} (${failures} failures in a row)`);
      return null;
    }
    await ctx.db.patch("clerkSyncRuns", runId, { failures, error: message });
    await scheduleStep(ctx, run, Math.min(2 ** failures * 1000, 5 * 60_000));
    return null;
  },
});

/**
 * Checks every few minutes that a running run still has a live step; when its step died (a crash,
 * a redeploy mid-step), resumes it from the stored cursor. Stops with the run.
 */
export const watchdog = internalMutation({
  args: { runId: vRunId, generation: v.number() },
  returns: v.null(),
  handler: async (ctx, { runId, generation }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    const { stalled, reason } = await isStalled(ctx, run);
    if (!stalled) {
      await ctx.scheduler.runAfter(WATCHDOG_INTERVAL_MS, internal.clerk.sync.watchdog, { runId, generation });
      return null;
    }
    if (run.autoResumes >= MAX_AUTO_RESUMES) {
      await failRun(
        ctx,
        run,
        `The run stopped ${run.autoResumes + 1} times in a row (${reason}); resume it once the cause is fixed.`,
      );
      return null;
    }
    console.warn(`Clerk ${run.mode} ${runId} stalled (${reason}); resuming from its cursor.`);
    await resumeRun(ctx, run, true);
    return null;
  },
});
