/**
 * The durable work queue (lib/queue.ts, work.ts): scheduled work that calls the app's hook is tried
 * again with backoff while the hook refuses it, then waits stalled (sync health shows it) until an
 * operator resumes it or the hourly sweep tries once more; a success ends its row in its own
 * transaction. One row per distinct work, written at most once per batch.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkId,
  clerkUserCharles,
  DAY,
  membershipEvent,
  ORG,
  organizationDeleted,
  organizationEvent,
  publicUserData,
  T0,
  userDeleted,
  userEvent,
} from "../../../../test/clerkEvents.js";
import {
  deliver,
  newBackend,
  SECRET,
  seedInBatches,
  setHook,
  type Backend,
} from "../../../../test/component/backend.js";
import { HOOK_REFUSED } from "../../../../test/component/hooks.js";
import { api, internal } from "./_generated/api.js";
import { CASCADE_BATCH_SIZE } from "./cascades.js";
import { MAX_WORK_ATTEMPTS, RESUME_BATCH, scheduleWork, WORK_BACKOFF_MS } from "./lib/queue.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function queued(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("pendingWork").collect());
}

async function memberships(t: Backend) {
  return await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).map((row) => row.clerkId));
}

/** The runs of queued work scheduled so far, and their states. */
async function runs(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === "work:run"),
  );
}

/** Lets `ms` pass and runs what fell due (one try of each queued work due by then). */
async function after(t: Backend, ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await t.finishInProgressScheduledFunctions();
}

async function finish(t: Backend) {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 1_000);
}

/** Charles, a member of ORG, is deleted (the hook accepting): his membership's removal is queued. */
async function charlesDeleted(t: Backend) {
  await deliver(t, userEvent("user.created", clerkUserCharles()));
  await deliver(
    t,
    membershipEvent("organizationMembership.created", {
      id: "orgmem_charles",
      public_user_data: publicUserData(clerkUserCharles()),
      role: "org:member",
    }),
  );
  await deliver(t, userDeleted(CHARLES, T0 + DAY));
}

describe("a refused try", () => {
  test("is tried again after 1 s, 10 s, …; once the hook accepts, the work applies and its row is gone", async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesDeleted(t);
    await setHook(t, "reject");
    // (convex-test dates the delete's transaction, and so its run, a millisecond on.)
    await after(t, 1);
    const [first] = await queued(t);
    expect(first).toMatchObject({
      key: `cascade:user:${CHARLES}`,
      status: "pending",
      attempts: 1,
      lastError: expect.stringContaining(HOOK_REFUSED),
    });
    const failedAt = Date.now();
    expect(first!.nextAttemptAt - failedAt).toBeGreaterThanOrEqual(WORK_BACKOFF_MS[0]);
    expect(first!.nextAttemptAt - failedAt).toBeLessThan(WORK_BACKOFF_MS[0] + 10);
    // Not before its wait.
    await after(t, WORK_BACKOFF_MS[0] - 10);
    expect((await queued(t))[0]?.attempts).toBe(1);
    await after(t, 20);
    const [second] = await queued(t);
    expect(second).toMatchObject({ attempts: 2, status: "pending" });
    expect(second!.nextAttemptAt - Date.now()).toBeGreaterThan(WORK_BACKOFF_MS[1] - 20);
    expect(await memberships(t)).toEqual(["orgmem_charles"]);

    await setHook(t, "record");
    await after(t, WORK_BACKOFF_MS[1] + 10);
    expect(await memberships(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
    expect((await runs(t)).map((job) => job.state.kind)).toEqual(["success", "success", "success"]);
  });

  test(`stalls after ${MAX_WORK_ATTEMPTS} tries; sync health counts it with the first error until a resume applies it`, async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesDeleted(t);
    await setHook(t, "reject");
    await finish(t);
    expect(await runs(t)).toHaveLength(MAX_WORK_ATTEMPTS);
    const [row] = await queued(t);
    expect(row).toMatchObject({ status: "stalled", attempts: MAX_WORK_ATTEMPTS });
    expect(row?.scheduledId).toBeUndefined();
    const health = await t.query(api.operator.syncHealth, {});
    expect(health.stalledWork).toEqual({
      count: 1,
      firstError: expect.stringContaining(HOOK_REFUSED),
      since: row?.nextAttemptAt,
    });

    // A resume while the hook still refuses: every try again, then stalled again.
    expect(await t.mutation(api.operator.resumeWork, {})).toEqual({ resumed: 1, more: false });
    await finish(t);
    expect(await runs(t)).toHaveLength(2 * MAX_WORK_ATTEMPTS);
    expect((await t.query(api.operator.syncHealth, {})).stalledWork.count).toBe(1);

    await setHook(t, "record");
    await t.mutation(api.operator.resumeWork, {});
    await finish(t);
    expect(await memberships(t)).toEqual([]);
    expect((await t.query(api.operator.syncHealth, {})).stalledWork).toEqual({
      count: 0,
      firstError: null,
      since: null,
    });
    expect(await t.mutation(api.operator.resumeWork, {})).toEqual({ resumed: 0, more: false });
  });

  test("the hourly sweep gives stalled work one more try, and restarts pending work whose run was lost", async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesDeleted(t);
    await setHook(t, "reject");
    await finish(t);
    const before = (await runs(t)).length;
    // Still refused: one try, stalled again at once.
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 1, restarted: 0 });
    await finish(t);
    expect((await runs(t)).length).toBe(before + 1);
    expect((await queued(t))[0]).toMatchObject({ status: "stalled" });

    await setHook(t, "record");
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 1, restarted: 0 });
    await finish(t);
    expect(await memberships(t)).toEqual([]);

    // A pending row whose run is gone (an action stopped mid-way) is restarted once it is late.
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await t.run(async (ctx) => {
      const [row] = await ctx.db.query("pendingWork").collect();
      await ctx.scheduler.cancel(row!.scheduledId!);
    });
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 0 });
    vi.advanceTimersByTime(20 * 60_000);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 1 });
    await finish(t);
    expect(await memberships(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
  });

  test(`a resume of more than ${RESUME_BATCH} stalled works restarts them in batches`, async () => {
    const t = await newBackend({}, { hook: "reject" });
    const count = RESUME_BATCH + 5;
    await t.run(async (ctx) => {
      for (let i = 0; i < count; i += 1)
        await ctx.db.insert("pendingWork", {
          key: `followUser:${clerkId("user", "w", i)}`,
          work: { kind: "followUser", userId: clerkId("user", "w", i), cursor: null },
          status: "stalled",
          attempts: MAX_WORK_ATTEMPTS,
          nextAttemptAt: Date.now() - 1,
        });
    });
    expect(await t.mutation(api.operator.resumeWork, {})).toEqual({ resumed: RESUME_BATCH, more: true });
    await finish(t);
    // No user rows: nothing to follow, so each applies at once.
    expect(await queued(t)).toEqual([]);
  });
});

describe("one row per work", () => {
  test("two schedules of the same cascade share one row and one run", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: T0 });
      const first = await scheduleWork(ctx, { kind: "cascade", parent: "organization", clerkId: ORG });
      const second = await scheduleWork(ctx, { kind: "cascade", parent: "organization", clerkId: ORG });
      expect(second).toBe(first);
    });
    expect(await queued(t)).toHaveLength(1);
    expect(await runs(t)).toHaveLength(1);
    await finish(t);
    expect(await queued(t)).toEqual([]);
  });

  test("a newer rename follows the memberships again from its own cursor", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await scheduleWork(ctx, { kind: "followUser", userId: ADA, cursor: "later" });
      await scheduleWork(ctx, { kind: "followUser", userId: ADA, cursor: "earlier" });
    });
    expect((await queued(t)).map((row) => row.work)).toEqual([{ kind: "followUser", userId: ADA, cursor: "earlier" }]);
  });

  test("a cascade over many batches keeps one row (never re-inserted), one run per batch, gone at the end", async () => {
    const t = await newBackend({ documentsRead: 1_000, documentsWritten: 500 }, { hook: "record" });
    const members = 3 * CASCADE_BATCH_SIZE + 10;
    await deliver(t, membershipEvent("organizationMembership.created"));
    await seedInBatches(
      t,
      members,
      async (ctx, i) =>
        await ctx.db.insert("memberships", {
          clerkId: `orgmem_w${i}`,
          clerkVersion: T0,
          organizationId: ORG,
          userId: clerkId("user", "w", i),
          role: "org:member",
          roleName: "Member",
          permissions: [],
          publicUserData: { firstName: `W${i}`, lastName: null, imageUrl: null, identifier: null },
          searchText: `w${i}`,
        }),
      400,
    );
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    const [row] = await queued(t);
    await finish(t);
    const batches = Math.floor((members + 1) / CASCADE_BATCH_SIZE) + 1;
    // One run per batch, every one of the same row: never re-inserted (a new row would be a new id).
    const all = await runs(t);
    expect(all).toHaveLength(batches);
    expect(new Set(all.map((job) => (job.args[0] as { workId: string }).workId))).toEqual(new Set([row!._id]));
    expect(await queued(t)).toEqual([]);
    expect(await memberships(t)).toEqual([]);
  });
});
