/**
 * Resuming stalled work over many rows and the hourly sweep (work.ts `resumeStalledBatch`, `sweep`):
 * an operator's resume restarts every stalled row, RESUME_BATCH a transaction; the sweep gives each
 * stalled row exactly one more try, however many there are; and it restarts a late pending row only
 * when its scheduled run will not come (ended, canceled, gone, or never recorded), never one whose
 * run is still waiting or running.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { clerkId } from "../../../../test/clerkEvents.js";
import { newBackend, SECRET, type Backend } from "../../../../test/component/backend.js";
import { api, internal } from "./_generated/api.js";
import type { Id } from "./_generated/dataModel.js";
import { LOST_RUN_AFTER_MS, MAX_WORK_ATTEMPTS, RESUME_BATCH, scheduleWork, workKey } from "./lib/queue.js";
import type { Work } from "./workSchema.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  // A fetch runs only when Clerk is configured; every test's Clerk is unreachable or held (stubbed fetch).
  vi.stubEnv("CLERK_SECRET_KEY", "sk_test_sweep");
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function queued(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("pendingWork").collect());
}

/** The scheduled functions named `name` so far, and their states. */
async function jobs(t: Backend, name: "work:run" | "work:resumeStalledBatch") {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === name),
  );
}

/** The row each run so far was scheduled for. */
async function runWorkIds(t: Backend) {
  return (await jobs(t, "work:run")).map((job) => (job.args[0] as { workId: Id<"pendingWork"> }).workId);
}

/** Lets `ms` pass and runs what fell due. */
async function after(t: Backend, ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await t.finishInProgressScheduledFunctions();
}

async function finish(t: Backend) {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 1_000);
}

/** `count` stalled rows, out of tries, stalled a millisecond ago. */
async function insertStalled(t: Backend, count: number, work: (i: number) => Work) {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i += 1)
      await ctx.db.insert("pendingWork", {
        key: workKey(work(i)),
        work: work(i),
        status: "stalled",
        attempts: MAX_WORK_ATTEMPTS,
        nextAttemptAt: Date.now() - 1,
      });
  });
}

/** A user Convex never saw: a fetch of them from Clerk. */
function fetchOf(i: number): Work {
  return { kind: "fetch", object: "user", clerkId: clerkId("user", "s", i) };
}

/** Clerk cannot be reached: every fetch fails with a transient error, so its try fails. */
function clerkUnreachable() {
  vi.stubGlobal("fetch", () => Promise.reject(new TypeError("fetch failed")));
}

describe("an operator's resume", () => {
  test(`of ${2 * RESUME_BATCH + 1} stalled works restarts every one, ${RESUME_BATCH} a transaction`, async () => {
    const t = await newBackend();
    const count = 2 * RESUME_BATCH + 1;
    // No user rows: nothing to follow, so each applies on its first run.
    await insertStalled(t, count, (i) => ({ kind: "followUser", userId: clerkId("user", "w", i), cursor: null }));
    expect(await t.mutation(api.operator.resumeWork, {})).toEqual({ resumed: RESUME_BATCH, more: true });
    await finish(t);
    // The resume's own transaction, then two more: each restarted a batch and scheduled the next while rows were left.
    expect((await jobs(t, "work:resumeStalledBatch")).map((job) => job.state.kind)).toEqual(["success", "success"]);
    const ran = await runWorkIds(t);
    expect(ran).toHaveLength(count);
    expect(new Set(ran).size).toBe(count);
    expect(await queued(t)).toEqual([]);
  });
});

describe("the hourly sweep", () => {
  test("gives a stalled work exactly one more try: failing again, it stalls at once, out of tries", async () => {
    const t = await newBackend();
    clerkUnreachable();
    await insertStalled(t, 1, fetchOf);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 1, restarted: 0, kept: 0 });
    expect((await queued(t))[0]).toMatchObject({ status: "pending", attempts: MAX_WORK_ATTEMPTS - 1 });
    await finish(t);
    expect(await runWorkIds(t)).toHaveLength(1);
    expect((await queued(t))[0]).toMatchObject({
      status: "stalled",
      attempts: MAX_WORK_ATTEMPTS,
      lastError: expect.stringContaining("could not be reached"),
    });
  });

  test(`with more than ${RESUME_BATCH} stalled works gives the rest the same one more try, in the next transaction`, async () => {
    const t = await newBackend();
    clerkUnreachable();
    const count = RESUME_BATCH + 1;
    await insertStalled(t, count, fetchOf);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: RESUME_BATCH, restarted: 0, kept: 0 });
    await finish(t);
    expect((await jobs(t, "work:resumeStalledBatch")).map((job) => job.state.kind)).toEqual(["success"]);
    // One try each (the sweep's batch and the rest alike), and each stalled again at once.
    const ran = await runWorkIds(t);
    expect(ran).toHaveLength(count);
    expect(new Set(ran).size).toBe(count);
    const rows = await queued(t);
    expect(rows).toHaveLength(count);
    for (const row of rows) expect(row).toMatchObject({ status: "stalled", attempts: MAX_WORK_ATTEMPTS });
  });

  test("restarts a late pending work whose run will not come, and leaves one whose run is waiting or running", async () => {
    const t = await newBackend();
    // Clerk holds the running fetch until released, then fails it.
    let fetching = false;
    let releaseFetch!: () => void;
    const released = new Promise<void>((resolve) => (releaseFetch = resolve));
    vi.stubGlobal("fetch", async () => {
      fetching = true;
      await released;
      throw new TypeError("fetch failed");
    });

    // Runs that ended: one that returned (its row gone meanwhile), one that died (convex-test fails
    // a run whose arguments do not validate), one canceled.
    const ended = await t.run(async (ctx) => {
      const gone = await ctx.db.insert("pendingWork", {
        key: workKey(fetchOf(0)),
        work: fetchOf(0),
        status: "pending",
        attempts: 0,
        nextAttemptAt: Date.now(),
      });
      await ctx.db.delete("pendingWork", gone);
      const canceled = await ctx.scheduler.runAfter(0, internal.work.run, { workId: gone });
      await ctx.scheduler.cancel(canceled);
      return {
        success: await ctx.scheduler.runAfter(0, internal.work.run, { workId: gone }),
        failed: await ctx.scheduler.runAfter(0, internal.work.run, { workId: "not an id" as Id<"pendingWork"> }),
        canceled,
      };
    });
    await after(t, 0);
    const states = await t.run(async (ctx) => ({
      success: (await ctx.db.system.get("_scheduled_functions", ended.success))?.state.kind,
      failed: (await ctx.db.system.get("_scheduled_functions", ended.failed))?.state.kind,
      canceled: (await ctx.db.system.get("_scheduled_functions", ended.canceled))?.state.kind,
    }));
    expect(states).toEqual({ success: "success", failed: "failed", canceled: "canceled" });

    // A fetch whose run is in progress (Clerk has not answered yet).
    await t.run(async (ctx) => await scheduleWork(ctx, fetchOf(1)));
    // (convex-test dates the scheduling transaction, and so the run, a millisecond or two on.)
    for (let ms = 0; !fetching && ms < 10; ms += 1) await vi.advanceTimersByTimeAsync(1);
    expect(fetching).toBe(true);
    // A fetch whose run waits (convex-test runs it only when timers advance).
    await t.run(async (ctx) => await scheduleWork(ctx, fetchOf(2)));
    // Rows whose runs ended, one whose run's record is gone (convex-test ids: a counter, then the
    // table; none has this counter), and one with no run recorded.
    const [someJob] = await jobs(t, "work:run");
    const missing = someJob!._id.replace(/^[0-9]+/, (digits) =>
      "9".repeat(digits.length),
    ) as Id<"_scheduled_functions">;
    const lost = [ended.success, ended.failed, ended.canceled, missing, undefined];
    await t.run(async (ctx) => {
      for (const [n, scheduledId] of lost.entries()) {
        const work = fetchOf(3 + n);
        await ctx.db.insert("pendingWork", {
          key: workKey(work),
          work,
          status: "pending",
          attempts: 2,
          nextAttemptAt: Date.now(),
          ...(scheduledId === undefined ? {} : { scheduledId }),
        });
      }
    });
    const before = new Map((await queued(t)).map((row) => [row.key, row]));
    expect(before.size).toBe(7);
    const runStates = await t.run(
      async (ctx) =>
        await Promise.all(
          [fetchOf(1), fetchOf(2)].map(
            async (work) =>
              (await ctx.db.system.get("_scheduled_functions", before.get(workKey(work))!.scheduledId!))?.state.kind,
          ),
        ),
    );
    expect(runStates).toEqual(["inProgress", "pending"]);

    // Late enough that a run due then is lost unless it is still waiting or running (no timer fires).
    const sweptAt = Date.now() + LOST_RUN_AFTER_MS + 60_000;
    vi.setSystemTime(sweptAt);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 5, kept: 0 });
    const pendingRuns = new Set(
      (await jobs(t, "work:run")).filter((job) => job.state.kind === "pending").map((job) => job._id),
    );
    for (const row of await queued(t)) {
      const old = before.get(row.key)!;
      if (row.key === workKey(fetchOf(1)) || row.key === workKey(fetchOf(2))) {
        expect(row, row.key).toEqual(old);
        continue;
      }
      // Restarted: a new run now, its tries kept.
      expect(row, row.key).toMatchObject({ status: "pending", attempts: 2 });
      expect(row.scheduledId, row.key).not.toBe(old.scheduledId);
      expect(pendingRuns.has(row.scheduledId!), row.key).toBe(true);
      expect(row.nextAttemptAt, row.key).toBeGreaterThanOrEqual(sweptAt);
    }

    releaseFetch();
    await t.finishInProgressScheduledFunctions();
  });

  test(`looks up no run for a late pending work that has none recorded: ${RESUME_BATCH} of them cost no index read each`, async () => {
    // Real Convex refuses a lookup with no id (the one-argument form of db.get takes the table's name
    // for the id); convex-test answers null, so what shows a lookup here is its index read.
    const t = await newBackend({ databaseQueries: RESUME_BATCH / 2 });
    await t.run(async (ctx) => {
      for (let i = 0; i < RESUME_BATCH; i += 1)
        await ctx.db.insert("pendingWork", {
          key: workKey(fetchOf(i)),
          work: fetchOf(i),
          status: "pending",
          attempts: 0,
          nextAttemptAt: Date.now(),
        });
    });
    vi.setSystemTime(Date.now() + LOST_RUN_AFTER_MS + 60_000);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: RESUME_BATCH, kept: 0 });
    expect(await runWorkIds(t)).toHaveLength(RESUME_BATCH);
  });
});
