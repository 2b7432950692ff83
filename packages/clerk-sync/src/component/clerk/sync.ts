/**
 * Backfill and reconcile from Clerk's Backend API.
 *
 *   npx convex run clerk/sync:backfill              # copy users, organizations, roles, memberships
 *   npx convex run clerk/sync:reconcile             # the same, then remove what Clerk no longer has
 *   npx convex run clerk/sync:status                # progress of the latest runs
 *   npx convex run clerk/sync:resume                # continue the latest run from its cursor
 *   npx convex run clerk/sync:cancel                # stop it (it can be resumed)
 *   npx convex run clerk/sync:confirm               # let a reconcile that stopped at its cap remove
 *
 * Every step first checks that CLERK_SECRET_KEY and CLERK_API_URL reach the same Clerk instance as
 * CLERK_JWT_ISSUER_DOMAIN (resumed or not), so a key pasted between steps cannot reach a removal.
 * A reconcile removes nothing while it sweeps: it collects the rows Clerk says are gone, counts them
 * per kind, and past its cap (CLERK_RECONCILE_MAX_REMOVALS / _PERCENT) waits for a confirmation.
 * What it removes leaves a provisional tombstone at the removed row's version: a newer webhook
 * snapshot, or a fresh read from Clerk (backfill, fetch-missing), restores the row; an older one never.
 *
 * A run is a row in `clerkSyncRuns` and a chain of scheduled steps: each step reads one page
 * from Clerk (an action) and applies it with its cursor in one mutation, which schedules the
 * next step. A crash between steps loses nothing: the cursor is stored, the watchdog resumes the
 * run, and a page read twice applies the same versions twice, which changes nothing.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api.js";
import type { Id } from "../_generated/dataModel.js";
import { internalAction, internalQuery, type ActionCtx, type MutationCtx } from "../_generated/server.js";
import { internalMutation, type ChangeSource } from "../lib/hooks.js";
import { clerkApiUrl, clerkIssuerHost, reconcileIntervalHours, requireClerkSecretKey } from "../env.js";
import { ClerkApi, ClerkApiError, CLERK_MAX_IDS, type ClerkKind } from "./api.js";
import { applyClerkObjects, removeClerkObjects, sweepPageOf, type SweptRow } from "./apply.js";
import { recordRolesListed } from "../model/roles.js";
import { classifyFailure } from "./failures.js";
import { LIST_START, pageRequest, readPage, vListCursor } from "./paging.js";
import {
  activeRun,
  awaitingRun,
  cancelRun,
  confirmRun,
  failRun,
  findRun,
  initialRemoval,
  isStalled,
  kindOfPhase,
  latestRuns,
  liveRun,
  MAX_AUTO_RESUMES,
  MAX_TRANSIENT_FAILURES,
  nextPhase,
  overCap,
  resumeRun,
  scheduleStep,
  startRun,
  vRunView,
  WATCHDOG_INTERVAL_MS,
  type SyncRun,
} from "./runs.js";
import { vClerkKind, vListKind, vSyncRun } from "./schema.js";

const vRunId = v.id("clerkSyncRuns");
const vKind = vClerkKind;
const vRunDoc = v.object({ _id: vRunId, _creationTime: v.number(), ...vSyncRun });
const startArgs = { pageSize: v.optional(v.number()) };
const vSweptRow = v.object({
  clerkId: v.string(),
  organizationId: v.optional(v.string()),
  userId: v.optional(v.string()),
});

// ---- Starting, resuming, cancelling (npx convex run; admins use clerk/admin.ts) ----

/** A run's changes come from its mode: "backfill" or "reconcile" (the run is read once, and the handler reads it anyway). */
async function runSource(ctx: MutationCtx, args: { runId?: Id<"clerkSyncRuns"> }): Promise<ChangeSource> {
  const run = args.runId === undefined ? await activeRun(ctx) : await ctx.db.get("clerkSyncRuns", args.runId);
  return run?.mode === "reconcile" ? "reconcile" : "backfill";
}

/** Copies every user, organization, role and membership from Clerk, newer-wins. Returns the run id. */
export const backfill = internalMutation({
  args: startArgs,
  returns: vRunId,
  source: "backfill",
  handler: async (ctx, { pageSize }) => await startRun(ctx, "backfill", "cli", pageSize),
});

/**
 * A backfill, then removes the rows Clerk no longer has. Returns the run id. `maxRemovals` and
 * `maxRemovalPercent` override the cap of this run (CLERK_RECONCILE_MAX_REMOVALS / _PERCENT).
 */
export const reconcile = internalMutation({
  args: { ...startArgs, maxRemovals: v.optional(v.number()), maxRemovalPercent: v.optional(v.number()) },
  returns: vRunId,
  source: "reconcile",
  handler: async (ctx, { pageSize, maxRemovals, maxRemovalPercent }) =>
    await startRun(ctx, "reconcile", "cli", pageSize, { maxRows: maxRemovals, maxPercent: maxRemovalPercent }),
});

/** Lets a reconcile waiting at its cap (the waiting one when no id is given) remove what it found. */
export const confirm = internalMutation({
  args: { runId: v.optional(vRunId) },
  returns: vRunId,
  source: runSource,
  handler: async (ctx, { runId }) => {
    const run = runId ? await findRun(ctx, runId) : await awaitingRun(ctx);
    if (run === null)
      throw new ConvexError({ code: "NOTHING_TO_CONFIRM", message: "No reconcile is waiting for a confirmation." });
    await confirmRun(ctx, run, "cli");
    return run._id;
  },
});

/** Continues a run (the latest when no id is given) from its stored cursor. */
export const resume = internalMutation({
  args: { runId: v.optional(vRunId) },
  returns: vRunId,
  source: runSource,
  handler: async (ctx, { runId }) => {
    const run = await findRun(ctx, runId);
    await resumeRun(ctx, run);
    return run._id;
  },
});

/**
 * Stops a run (the running or waiting one when no id is given); `resume` continues it later. A
 * reconcile waiting for a confirmation is cancelled for good and removes nothing.
 */
export const cancel = internalMutation({
  args: { runId: v.optional(vRunId) },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId }) => {
    const run = runId ? await findRun(ctx, runId) : ((await activeRun(ctx)) ?? (await awaitingRun(ctx)));
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
  source: "reconcile",
  handler: async (ctx) => {
    const hours = reconcileIntervalHours();
    if (hours === null) return null;
    if ((await activeRun(ctx)) || (await awaitingRun(ctx))) return null;
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
      await ctx.runMutation(internal.clerk.sync.recordFailure, { runId, generation, ...classifyFailure(error) });
    }
    return null;
  },
});

async function runStep(ctx: ActionCtx, api: ClerkApi, run: SyncRun): Promise<void> {
  const base = { runId: run._id, generation: run.generation };
  // Every step, the first or a resumed one: a key or URL changed since the last step stops here.
  await checkSameInstance(api, run.mode);
  if (run.phase === "count") {
    const [users, organizations, roles, memberships] = [
      await api.count("users"),
      await api.count("organizations"),
      await api.count("roles"),
      await api.count("memberships"),
    ];
    await ctx.runMutation(internal.clerk.sync.recordCount, {
      ...base,
      totals: {
        users: users ?? 0,
        organizations: organizations ?? 0,
        roles: roles ?? 0,
        memberships: memberships ?? 0,
      },
    });
    return;
  }
  if (run.phase === "remove") {
    const batch = await ctx.runQuery(internal.clerk.sync.candidatePage, {
      runId: run._id,
      numItems: Math.min(run.pageSize, CLERK_MAX_IDS),
    });
    // Asked again: time may have passed since the sweep (a confirmation), and Clerk may have them back.
    const gone: Record<ClerkKind, string[]> = { users: [], organizations: [], memberships: [] };
    for (const kind of ["memberships", "organizations", "users"] as const) {
      const rows = batch.filter((candidate) => candidate.kind === kind);
      gone[kind] = (await goneFromClerk(api, kind, rows)).map((row) => row.clerkId);
    }
    await ctx.runMutation(internal.clerk.sync.recordRemoval, {
      ...base,
      candidates: batch.map((candidate) => candidate._id),
      gone,
      done: batch.length === 0,
    });
    return;
  }
  const kind = kindOfPhase(run.phase);
  if (kind === null) throw new Error(`phase ${run.phase} has no kind`);
  // A listing phase is named for its kind; roles have no sweep phase.
  if (kind === "roles" || run.phase === kind) {
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
 * Refuses to go on unless CLERK_SECRET_KEY and CLERK_API_URL answer as Clerk for the instance users
 * sign in with (CLERK_JWT_ISSUER_DOMAIN): a backfill would copy strangers in, and a reconcile would
 * find none of Roster's rows in Clerk. A reconcile cannot run without CLERK_JWT_ISSUER_DOMAIN.
 */
async function checkSameInstance(api: ClerkApi, mode: SyncRun["mode"]): Promise<void> {
  const issuer = clerkIssuerHost();
  if (issuer === null) {
    const message =
      "CLERK_JWT_ISSUER_DOMAIN is not set: cannot check that CLERK_SECRET_KEY belongs to the same Clerk instance.";
    if (mode === "reconcile")
      throw new Error(`${message} A reconcile removes rows, so it stops. Set CLERK_JWT_ISSUER_DOMAIN, then resume.`);
    console.warn(message);
  }
  // Throws unless the answer is a Clerk instance's list of domains (a wrong CLERK_API_URL stops here).
  const hosts = await api.frontendApiHosts();
  if (issuer !== null && !hosts.has(issuer)) {
    throw new Error(
      `CLERK_SECRET_KEY belongs to another Clerk instance (${[...hosts].join(", ")}) than CLERK_JWT_ISSUER_DOMAIN (${issuer}); ` +
        `nothing was written. Copy the secret key of ${issuer} (Clerk dashboard → API keys) and run \`npx convex env set CLERK_SECRET_KEY sk_…\`, then resume.`,
    );
  }
}

/**
 * The rows whose Clerk object is gone, as Clerk itself says: a user or organization its by-id list
 * leaves out AND a direct lookup answers "not found" for; a membership its organization no longer
 * lists, or whose organization a direct lookup confirms gone. An error (401/403, a 404 that is not
 * Clerk's) stops the step: it never means "all gone".
 */
async function goneFromClerk(api: ClerkApi, kind: ClerkKind, rows: SweptRow[]): Promise<SweptRow[]> {
  if (rows.length === 0) return [];
  if (kind !== "memberships") {
    const existing = await api.existingIds(
      kind,
      rows.map((row) => row.clerkId),
    );
    const gone: SweptRow[] = [];
    for (const row of rows.filter((r) => !existing.has(r.clerkId))) {
      if ((await api.getOne(kind, row.clerkId)) === null) gone.push(row);
    }
    return gone;
  }
  const byOrganization = new Map<string, SweptRow[]>();
  for (const row of rows) {
    const organizationId = row.organizationId ?? "";
    byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), row]);
  }
  const gone: SweptRow[] = [];
  for (const [organizationId, members] of byOrganization) {
    const existing = await api.existingMemberships(
      organizationId,
      members.map((m) => m.userId ?? ""),
    );
    if (existing === null) {
      // Clerk's 404 for the list: the members are gone only if the organization itself is.
      if ((await api.getOne("organizations", organizationId)) !== null) {
        throw new ClerkApiError(
          `Clerk answered 404 for the memberships of ${organizationId}, yet has the organization; nothing was removed.`,
          404,
          false,
        );
      }
      gone.push(...members);
    } else {
      gone.push(...members.filter((m) => !existing.has(m.clerkId)));
    }
  }
  return gone;
}

/** One page of a reconcile's candidates (memberships first, then organizations, then users). */
export const candidatePage = internalQuery({
  args: { runId: vRunId, numItems: v.number() },
  returns: v.array(
    v.object({
      _id: v.id("clerkSyncCandidates"),
      kind: vKind,
      clerkId: v.string(),
      organizationId: v.optional(v.string()),
      userId: v.optional(v.string()),
    }),
  ),
  handler: async (ctx, { runId, numItems }) => {
    const page = await ctx.db
      .query("clerkSyncCandidates")
      .withIndex("by_run_and_kind_and_clerkId", (q) => q.eq("runId", runId))
      .take(Math.max(1, Math.min(numItems, CLERK_MAX_IDS)));
    return page.map(({ _id, kind, clerkId, organizationId, userId }) => ({
      _id,
      kind,
      clerkId,
      ...(organizationId === undefined ? {} : { organizationId }),
      ...(userId === undefined ? {} : { userId }),
    }));
  },
});

export const sweepPage = internalQuery({
  args: { kind: vKind, cursor: v.union(v.string(), v.null()), numItems: v.number() },
  returns: v.object({
    rows: v.array(
      v.object({ clerkId: v.string(), organizationId: v.optional(v.string()), userId: v.optional(v.string()) }),
    ),
    continueCursor: v.union(v.string(), v.null()),
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
    if (phase === "remove" && run.removal) {
      // Nothing is removed yet: past the cap, an app admin decides (clerk/admin.ts, clerk/sync:confirm).
      const over = overCap(run.removal);
      if (over.length > 0) {
        await ctx.db.patch("clerkSyncRuns", run._id, {
          status: "awaitingConfirmation",
          removal: { ...run.removal, confirmation: "pending" },
          nextStep: null,
          waitingUntil: null,
          failures: 0,
          error: null,
          updatedAt: now,
        });
        console.warn(
          `Clerk reconcile ${run._id} would remove ${JSON.stringify(run.removal.found)} of ${JSON.stringify(run.removal.checked)} rows, ` +
            `past its cap (${run.removal.maxRows} rows or ${run.removal.maxPercent} % of ${over.join(", ")}): waiting for a confirmation ` +
            "(admin page, or `npx convex run clerk/sync:confirm` / `clerk/sync:cancel`).",
        );
        return;
      }
      await ctx.db.patch("clerkSyncRuns", run._id, { removal: { ...run.removal, confirmation: "notNeeded" } });
    }
  }
  await ctx.db.patch("clerkSyncRuns", run._id, { failures: 0, autoResumes: 0, error: null });
  await scheduleStep(ctx, run, 0);
}

export const recordCount = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    totals: v.object({ users: v.number(), organizations: v.number(), roles: v.number(), memberships: v.number() }),
  },
  returns: v.null(),
  source: runSource,
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
    kind: vListKind,
    items: v.string(),
    cursor: vListCursor,
    done: v.boolean(),
  },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId, generation, kind, items, cursor, done }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    const objects = JSON.parse(items) as Array<Record<string, unknown>>;
    const tally = await applyClerkObjects(ctx, kind, objects);
    const counts = {
      ...run.counts,
      seen: { ...run.counts.seen, [kind]: (run.counts.seen[kind] ?? 0) + objects.length },
      changed: run.counts.changed + tally.changed,
      unchanged: run.counts.unchanged + tally.unchanged,
      stale: run.counts.stale + tally.stale,
      invalid: run.counts.invalid + tally.invalid,
    };
    await ctx.db.patch("clerkSyncRuns", runId, { list: cursor, counts });
    // Every role Clerk has is in Roster now: a key none of them holds grants nothing (model/roles.ts).
    if (kind === "roles" && done) await recordRolesListed(ctx, counts.seen.roles ?? 0, Date.now());
    await advance(ctx, { ...run, counts }, done);
    return null;
  },
});

/**
 * Records the rows a sweep page found gone from Clerk as candidates (nothing is removed yet) and
 * moves the sweep cursor, in one transaction.
 */
export const recordSweep = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    kind: vKind,
    checked: v.number(),
    gone: v.array(vSweptRow),
    cursor: v.union(v.string(), v.null()),
    done: v.boolean(),
  },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId, generation, kind, checked, gone, cursor, done }) => {
    const live = await liveRun(ctx, runId, generation);
    if (live === null) return null;
    const run = { ...live, removal: live.removal ?? initialRemoval({}) };
    let found = 0;
    for (const row of gone) {
      const known = await ctx.db
        .query("clerkSyncCandidates")
        .withIndex("by_run_and_kind_and_clerkId", (q) =>
          q.eq("runId", runId).eq("kind", kind).eq("clerkId", row.clerkId),
        )
        .first();
      if (known) continue;
      await ctx.db.insert("clerkSyncCandidates", { runId, kind, ...row });
      found += 1;
    }
    const removal = {
      ...run.removal,
      checked: { ...run.removal.checked, [kind]: run.removal.checked[kind] + checked },
      found: { ...run.removal.found, [kind]: run.removal.found[kind] + found },
    };
    const counts = { ...run.counts, checked: run.counts.checked + checked };
    await ctx.db.patch("clerkSyncRuns", runId, { sweepCursor: cursor, counts, removal });
    await advance(ctx, { ...run, counts, removal }, done);
    return null;
  },
});

/**
 * Removes the candidates of one batch that Clerk still says are gone (provisionally: a newer
 * snapshot restores them) and drops the batch's candidates, in one transaction.
 */
export const recordRemoval = internalMutation({
  args: {
    runId: vRunId,
    generation: v.number(),
    candidates: v.array(v.id("clerkSyncCandidates")),
    gone: v.object({
      users: v.array(v.string()),
      organizations: v.array(v.string()),
      memberships: v.array(v.string()),
    }),
    done: v.boolean(),
  },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId, generation, candidates, gone, done }) => {
    const live = await liveRun(ctx, runId, generation);
    if (live === null) return null;
    const run = { ...live, removal: live.removal ?? initialRemoval({}) };
    const now = Date.now();
    const removed = { ...run.removal.removed };
    for (const kind of ["memberships", "organizations", "users"] as const) {
      removed[kind] += await removeClerkObjects(ctx, kind, gone[kind], now);
    }
    for (const id of candidates) {
      if (await ctx.db.get("clerkSyncCandidates", id)) await ctx.db.delete("clerkSyncCandidates", id);
    }
    const total = removed.users + removed.organizations + removed.memberships;
    const before = run.removal.removed.users + run.removal.removed.organizations + run.removal.removed.memberships;
    if (total > before) console.log(`Clerk reconcile ${runId}: removed ${JSON.stringify(removed)} Clerk no longer has`);
    const removal = { ...run.removal, removed };
    const counts = { ...run.counts, removed: run.counts.removed + (total - before) };
    await ctx.db.patch("clerkSyncRuns", runId, { counts, removal });
    await advance(ctx, { ...run, counts, removal }, done);
    return null;
  },
});

/** Drops the candidates of a reconcile whose removals were cancelled, in bounded batches. */
export const dropCandidates = internalMutation({
  args: { runId: vRunId },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId }) => {
    const batch = await ctx.db
      .query("clerkSyncCandidates")
      .withIndex("by_run_and_kind_and_clerkId", (q) => q.eq("runId", runId))
      .take(CANDIDATE_DROP_BATCH);
    for (const candidate of batch) await ctx.db.delete("clerkSyncCandidates", candidate._id);
    if (batch.length === CANDIDATE_DROP_BATCH)
      await ctx.scheduler.runAfter(0, internal.clerk.sync.dropCandidates, { runId });
    return null;
  },
});

const CANDIDATE_DROP_BATCH = 500;

const vFailure = {
  /**
   * rateLimited: wait and continue. transient: back off and retry (bounded). conflict: a Convex
   * write conflict, back off and retry (never fails the run). fatal: stop; resume once fixed.
   */
  failure: v.union(v.literal("rateLimited"), v.literal("transient"), v.literal("conflict"), v.literal("fatal")),
  message: v.string(),
  retryAfterMs: v.number(),
};

/** A step's failure: wait out a rate limit, back off from a transient error, or fail the run. */
export const recordFailure = internalMutation({
  args: { runId: vRunId, generation: v.number(), ...vFailure },
  returns: v.null(),
  source: runSource,
  handler: async (ctx, { runId, generation, failure, message, retryAfterMs }) => {
    const run = await liveRun(ctx, runId, generation);
    if (run === null) return null;
    if (failure === "rateLimited") {
      await ctx.db.patch("clerkSyncRuns", runId, { error: message });
      await scheduleStep(ctx, run, retryAfterMs);
      return null;
    }
    const failures = run.failures + 1;
    if (failure === "fatal" || (failure === "transient" && failures > MAX_TRANSIENT_FAILURES)) {
      await failRun(ctx, run, failure === "fatal" ? message : `${message} (${failures} failures in a row)`);
      return null;
    }
    await ctx.db.patch("clerkSyncRuns", runId, { failures, error: message });
    await scheduleStep(ctx, run, Math.min(2 ** Math.min(failures, 20) * 1000, 5 * 60_000));
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
  source: runSource,
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
