/**
 * The durable work queue (lib/queue.ts, work.ts): a cascade or a user's membership pages runs as
 * scheduled attempts that write no queue row while they succeed; a batch the app's hook refuses is
 * rolled back and kept as a row, tried again with backoff, then waits stalled (sync health shows it)
 * until an operator resumes it or the hourly sweep tries once more; a success ends its row in its
 * own transaction. One row per distinct work, written at most once per batch.
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
  hookCalls,
  newBackend,
  SECRET,
  seedInBatches,
  setHook,
  type Backend,
} from "../../../../test/component/backend.js";
import { HOOK_REFUSED, REFUSED_MARK } from "../../../../test/component/hooks.js";
import { api, internal } from "./_generated/api.js";
import type { Doc, Id } from "./_generated/dataModel.js";
import { CASCADE_BATCH_SIZE } from "./cascades.js";
import { LOST_ATTEMPT_WINDOW_MS } from "./work.js";
import { MAX_WORK_ATTEMPTS, RESUME_BATCH, scheduleWork, WORK_BACKOFF_MS } from "./lib/queue.js";
import { MEMBER_SEARCH_BATCH, MEMBER_SEARCH_INLINE } from "./model/memberships.js";

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

/** The scheduled functions named `name` so far, and their states. */
async function jobs(t: Backend, name: "work:run" | "work:attempt") {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === name),
  );
}

/** The runs of queued rows scheduled so far (a row's every try after the first). */
async function runs(t: Backend) {
  return await jobs(t, "work:run");
}

/** Every try of a work so far: its first attempt (no row) and the runs of its row. */
async function tries(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter(
      (job) => job.name === "work:run" || job.name === "work:attempt",
    ),
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

/** The `i`th of a batch of ORG's members seeded straight into the table, named by `tag` (`orgmem_<tag><i>`). */
function orgMember(tag: string, i: number) {
  return {
    clerkId: `orgmem_${tag}${i}`,
    clerkVersion: T0,
    organizationId: ORG,
    userId: clerkId("user", tag, i),
    role: "org:member",
    roleName: "Member",
    permissions: [],
    publicUserData: { firstName: `${tag.toUpperCase()}${i}`, lastName: null, imageUrl: null, identifier: null },
    searchText: `${tag}${i}`,
  };
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
  test("is kept as a row, tried again after 1 s, 10 s, …; once the hook accepts, the work applies and its row is gone", async () => {
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
    // Each failed try says in the deployment's log what failed, why, and that it is tried again.
    const logged = vi
      .mocked(console.error)
      .mock.calls.map(([line]) => String(line))
      .filter((line) => line.startsWith(`clerkSync: cascade:user:${CHARLES} failed: `));
    expect(logged).toHaveLength(2);
    for (const line of logged) {
      expect(line).toContain(HOOK_REFUSED);
      expect(line).toMatch(/\. It is tried again later\.$/);
    }
    expect(second!.nextAttemptAt - Date.now()).toBeGreaterThan(WORK_BACKOFF_MS[1] - 20);
    expect(await memberships(t)).toEqual(["orgmem_charles"]);

    await setHook(t, "record");
    await after(t, WORK_BACKOFF_MS[1] + 10);
    expect(await memberships(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
    // The first try was the attempt (it failed, caught, and wrote the row); the row's runs did the rest.
    expect((await jobs(t, "work:attempt")).map((job) => job.state.kind)).toEqual(["success"]);
    expect((await runs(t)).map((job) => job.state.kind)).toEqual(["success", "success"]);
  });

  test(`stalls after ${MAX_WORK_ATTEMPTS} tries; sync health counts it with the first error until a resume applies it`, async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesDeleted(t);
    await setHook(t, "reject");
    await finish(t);
    expect(await tries(t)).toHaveLength(MAX_WORK_ATTEMPTS);
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
    expect(await tries(t)).toHaveLength(2 * MAX_WORK_ATTEMPTS);
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
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 1, restarted: 0, kept: 0 });
    await finish(t);
    expect((await runs(t)).length).toBe(before + 1);
    expect((await queued(t))[0]).toMatchObject({ status: "stalled" });

    await setHook(t, "record");
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 1, restarted: 0, kept: 0 });
    await finish(t);
    expect(await memberships(t)).toEqual([]);

    // A pending row whose run is gone (an action stopped mid-way) is restarted once it is late.
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await setHook(t, "reject");
    await after(t, 1);
    await setHook(t, "record");
    await t.run(async (ctx) => {
      const [row] = await ctx.db.query("pendingWork").collect();
      await ctx.scheduler.cancel(row!.scheduledId!);
    });
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 0, kept: 0 });
    vi.advanceTimersByTime(20 * 60_000);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 1, kept: 0 });
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

describe("a row only on failure", () => {
  test.each(["user", "organization"] as const)(
    "%s.deleted writes no queue row: its transaction leaves none, and the cascade completes",
    async (parent) => {
      const t = await newBackend({}, { hook: "record" });
      await charlesDeleted(t);
      if (parent === "organization") {
        await deliver(t, membershipEvent("organizationMembership.created"));
        await deliver(t, organizationDeleted(ORG, T0 + DAY));
      }
      expect(await queued(t)).toEqual([]);
      expect((await jobs(t, "work:attempt")).map((job) => job.state.kind)).toEqual(
        parent === "user" ? ["pending"] : ["pending", "pending"],
      );
      await finish(t);
      expect(await memberships(t)).toEqual([]);
      expect(await queued(t)).toEqual([]);
      expect(await runs(t)).toEqual([]);
    },
  );

  test("a batch the hook refuses midway is rolled back and kept as a row with its error; the retry finishes it", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, membershipEvent("organizationMembership.created"));
    const refused = `orgmem_${REFUSED_MARK}`;
    // After the first membership in the batch (the index orders by user id).
    await t.run(async (ctx) => {
      await ctx.db.insert("memberships", {
        clerkId: refused,
        clerkVersion: T0,
        organizationId: ORG,
        userId: "user_zz",
        role: "org:member",
        roleName: "Member",
        permissions: [],
        publicUserData: { firstName: "Zed", lastName: null, imageUrl: null, identifier: null },
        searchText: "zed",
      });
    });
    const before = (await memberships(t)).sort();
    expect(before).toHaveLength(2);
    await setHook(t, "refuseMarked");
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await after(t, 1);
    // The first membership's delete (and the hook's record of it) went back with the refused one's.
    expect((await memberships(t)).sort()).toEqual(before);
    expect((await hookCalls(t)).filter((call) => call.table === "memberships" && call.op === "delete")).toEqual([]);
    const [row] = await queued(t);
    expect(row).toMatchObject({
      key: `cascade:organization:${ORG}`,
      work: { kind: "cascade", parent: "organization", clerkId: ORG },
      status: "pending",
      attempts: 1,
      lastError: expect.stringContaining(HOOK_REFUSED),
    });
    expect(row!.nextAttemptAt - Date.now()).toBeGreaterThan(WORK_BACKOFF_MS[0] - 10);

    await setHook(t, "record");
    await after(t, WORK_BACKOFF_MS[0] + 10);
    expect(await memberships(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
  });

  test("a batch that reads past the transaction's limit fails alone: the attempt still has the reads to keep it", async () => {
    const limit = 150;
    const t = await newBackend({ documentsRead: limit }, { hook: "record" });
    await deliver(t, membershipEvent("organizationMembership.created"));
    await seedInBatches(
      t,
      CASCADE_BATCH_SIZE,
      async (ctx, i) => await ctx.db.insert("memberships", orgMember("r", i)),
      100,
    );
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    // The same work queued meanwhile (another try that failed): keeping the failure reads its row.
    const rowId = await t.run(
      async (ctx) =>
        await ctx.db.insert("pendingWork", {
          key: `cascade:organization:${ORG}`,
          work: { kind: "cascade", parent: "organization", clerkId: ORG },
          status: "pending",
          attempts: 1,
          nextAttemptAt: Date.now() + DAY,
        }),
    );
    await after(t, 1);
    // The batch (200 memberships to read) went back; the attempt caught it and ended.
    expect((await jobs(t, "work:attempt")).map((job) => job.state.kind)).toEqual(["success"]);
    const kept = await t.run(async (ctx) =>
      Promise.all(
        ["orgmem_r0", `orgmem_r${CASCADE_BATCH_SIZE - 1}`].map(
          async (id) =>
            (await ctx.db
              .query("memberships")
              .withIndex("by_clerkId", (q) => q.eq("clerkId", id))
              .unique()) !== null,
        ),
      ),
    );
    expect(kept).toEqual([true, true]);
    expect((await hookCalls(t)).filter((call) => call.table === "memberships")).toHaveLength(1);
    expect((await queued(t)).map((row) => row._id)).toEqual([rowId]);
  });

  test("a cascade over many batches (the work's batchSize) writes no row: one attempt per batch", async () => {
    const t = await newBackend({}, { hook: "record" });
    const members = 7;
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: T0 });
      for (let i = 0; i < members; i += 1) await ctx.db.insert("memberships", orgMember("w", i));
      await scheduleWork(ctx, { kind: "cascade", parent: "organization", clerkId: ORG, batchSize: 2 });
    });
    await finish(t);
    expect(await memberships(t)).toEqual([]);
    const attempts = await jobs(t, "work:attempt");
    // 2, 2, 2, then 1 and nothing left.
    expect(attempts.map((job) => job.state.kind)).toEqual(["success", "success", "success", "success"]);
    expect(attempts.every((job) => (job.args[0] as { work: { batchSize?: number } }).work.batchSize === 2)).toBe(true);
    // A row comes with a run: none was ever written.
    expect(await runs(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
  });

  /** Charles and `count` memberships of his, seeded past the webhook (within the test's limits). */
  async function charlesWithMemberships(t: Backend, count: number) {
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await seedInBatches(
      t,
      count,
      async (ctx, i) =>
        await ctx.db.insert("memberships", {
          clerkId: `orgmem_c${i}`,
          clerkVersion: T0,
          organizationId: clerkId("org", "c", i),
          userId: CHARLES,
          role: "org:member",
          roleName: "Member",
          permissions: [],
          publicUserData: { firstName: "Charles", lastName: "Babbage", imageUrl: null, identifier: null },
          searchText: "charles babbage",
        }),
      400,
    );
  }

  async function lastNames(t: Backend) {
    return new Set(
      await t.run(async (ctx) =>
        (await ctx.db.query("memberships").collect()).map((row) => row.publicUserData.lastName),
      ),
    );
  }

  test("a rename's later membership pages write no row: one attempt a page, each with the next cursor", async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesWithMemberships(t, MEMBER_SEARCH_INLINE + 2 * MEMBER_SEARCH_BATCH + 5);
    await deliver(t, userEvent("user.updated", clerkUserCharles({ last_name: "Difference", updated_at: T0 + DAY })));
    expect(await queued(t)).toEqual([]);
    await finish(t);
    expect(await lastNames(t)).toEqual(new Set(["Difference"]));
    const attempts = await jobs(t, "work:attempt");
    expect(attempts).toHaveLength(3);
    const cursors = attempts.map((job) => (job.args[0] as { work: { cursor: string | null } }).work.cursor);
    expect(new Set(cursors).size).toBe(3);
    expect(await runs(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
  });

  test("two renames in a row end with the newest name on every membership", async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesWithMemberships(t, MEMBER_SEARCH_INLINE + MEMBER_SEARCH_BATCH + 5);
    await deliver(t, userEvent("user.updated", clerkUserCharles({ last_name: "Older", updated_at: T0 + DAY })));
    await deliver(t, userEvent("user.updated", clerkUserCharles({ last_name: "Newest", updated_at: T0 + 2 * DAY })));
    await finish(t);
    expect(await lastNames(t)).toEqual(new Set(["Newest"]));
    expect(await queued(t)).toEqual([]);
  });
});

describe("one row per work", () => {
  test("a schedule of work already queued joins its row (no second row, no attempt); the row's run does it", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await setHook(t, "reject");
    await after(t, 1);
    const [row] = await queued(t);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    await t.run(async (ctx) => {
      await scheduleWork(ctx, { kind: "cascade", parent: "organization", clerkId: ORG });
      await scheduleWork(ctx, { kind: "cascade", parent: "organization", clerkId: ORG });
    });
    expect((await queued(t)).map((queuedRow) => queuedRow._id)).toEqual([row!._id]);
    expect(await jobs(t, "work:attempt")).toHaveLength(1);
    await setHook(t, "record");
    await finish(t);
    expect(await queued(t)).toEqual([]);
    expect(await memberships(t)).toEqual([]);
  });

  test("a rename over a waiting row of the user's pages follows every page again (a cursor does not say which chain is behind)", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("pendingWork", {
        key: `followUser:${ADA}`,
        work: { kind: "followUser", userId: ADA, cursor: "later" },
        status: "stalled",
        attempts: MAX_WORK_ATTEMPTS,
        nextAttemptAt: Date.now() - 1,
      });
      await scheduleWork(ctx, { kind: "followUser", userId: ADA, cursor: "earlier" });
    });
    expect((await queued(t)).map((row) => [row.work, row.status, row.attempts])).toEqual([
      [{ kind: "followUser", userId: ADA, cursor: null }, "pending", 0],
    ]);
  });

  test("a failed cascade over many batches keeps one row (never re-inserted), one run per batch, gone at the end", async () => {
    const t = await newBackend({ documentsRead: 1_000, documentsWritten: 500 }, { hook: "record" });
    const members = 3 * CASCADE_BATCH_SIZE + 10;
    await deliver(t, membershipEvent("organizationMembership.created"));
    await seedInBatches(t, members, async (ctx, i) => await ctx.db.insert("memberships", orgMember("w", i)), 400);
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await setHook(t, "reject");
    await after(t, 1);
    const [row] = await queued(t);
    await setHook(t, "record");
    await finish(t);
    const batches = Math.floor((members + 1) / CASCADE_BATCH_SIZE) + 1;
    // The first batch's refused attempt, then one run per batch, every one of the same row: never re-inserted.
    expect(await jobs(t, "work:attempt")).toHaveLength(1);
    const all = await runs(t);
    expect(all).toHaveLength(batches);
    expect(new Set(all.map((job) => (job.args[0] as { workId: string }).workId))).toEqual(new Set([row!._id]));
    expect(await queued(t)).toEqual([]);
    expect(await memberships(t)).toEqual([]);
  });
});

describe("a row's functions, on what they find", () => {
  type Fields = Partial<Doc<"pendingWork">>;
  const CASCADE = { kind: "cascade", parent: "user", clerkId: CHARLES } as const;

  async function row(t: Backend, fields: Fields = {}): Promise<Id<"pendingWork">> {
    return await t.run(
      async (ctx) =>
        await ctx.db.insert("pendingWork", {
          key: `cascade:user:${CHARLES}`,
          work: CASCADE,
          status: "pending",
          attempts: 0,
          nextAttemptAt: Date.now(),
          ...fields,
        }),
    );
  }

  async function read(t: Backend, workId: Id<"pendingWork">) {
    return await t.run(async (ctx) => await ctx.db.get("pendingWork", workId));
  }

  test("a stalled row or one gone is absent to run, perform and failed: nothing is tried or changed", async () => {
    const t = await newBackend({}, { hook: "record" });
    await charlesDeleted(t);
    await finish(t);
    const stalled = await row(t, { status: "stalled", attempts: MAX_WORK_ATTEMPTS, lastError: "refused" });
    const gone = await row(t, { key: "cascade:user:user_gone" });
    await t.run(async (ctx) => await ctx.db.delete("pendingWork", gone));
    const before = await read(t, stalled);
    for (const workId of [stalled, gone]) {
      expect(await t.action(internal.work.run, { workId })).toBe("absent");
      expect(await t.mutation(internal.work.perform, { workId })).toBe("absent");
      expect(await t.mutation(internal.work.failed, { workId, error: "again" })).toBe("absent");
    }
    expect(await read(t, stalled)).toEqual(before);
    expect(await read(t, gone)).toBeNull();
  });

  test("failed: the next try after the table's wait (or Clerk's Retry-After when longer), and stalled on the last", async () => {
    const t = await newBackend({}, { hook: "record" });
    const workId = await row(t, { attempts: 1 });
    const now = Date.now();
    expect(await t.mutation(internal.work.failed, { workId, error: "refused" })).toBe("retrying");
    // (convex-test dates each transaction a millisecond or so past the last.)
    const waited = async () => ((await read(t, workId))?.nextAttemptAt ?? 0) - now;
    expect(await read(t, workId)).toMatchObject({ attempts: 2, lastError: "refused" });
    expect(await waited()).toBeGreaterThanOrEqual(WORK_BACKOFF_MS[1]);
    expect(await waited()).toBeLessThan(WORK_BACKOFF_MS[1] + 10);
    expect(await t.mutation(internal.work.failed, { workId, error: "slow down", retryAfterMs: 90_000 })).toBe(
      "retrying",
    );
    expect(await read(t, workId)).toMatchObject({ attempts: 3 });
    expect(await waited()).toBeGreaterThanOrEqual(90_000);
    expect(await waited()).toBeLessThan(90_010);
    await t.run(async (ctx) => await ctx.db.patch("pendingWork", workId, { attempts: MAX_WORK_ATTEMPTS - 1 }));
    expect(await t.mutation(internal.work.failed, { workId, error: "still refused" })).toBe("stalled");
    const stalled = await read(t, workId);
    expect(stalled).toMatchObject({ status: "stalled", attempts: MAX_WORK_ATTEMPTS, lastError: "still refused" });
    expect(stalled).not.toHaveProperty("scheduledId");
  });

  test("a batch of a row that leaves more clears the row's tries and error and schedules its next run", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_2",
        public_user_data: publicUserData(clerkUserCharles()),
      }),
    );
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    const workId = await row(t, {
      key: `cascade:organization:${ORG}`,
      work: { kind: "cascade", parent: "organization", clerkId: ORG, batchSize: 1 },
      attempts: 3,
      lastError: "refused",
    });
    expect(await t.mutation(internal.work.perform, { workId })).toBe("more");
    const after = await read(t, workId);
    expect(after).toMatchObject({ status: "pending", attempts: 0 });
    expect(Math.abs(after!.nextAttemptAt - Date.now())).toBeLessThan(10);
    expect(after).not.toHaveProperty("lastError");
    expect(after?.scheduledId).toBeDefined();
    // Then batch by batch to the last: done, and the row goes in its transaction.
    let outcome = "more";
    for (let batch = 0; batch < 5 && outcome === "more"; batch++)
      outcome = await t.mutation(internal.work.perform, { workId });
    expect(outcome).toBe("done");
    expect(await read(t, workId)).toBeNull();
  });

  test("a fetch is never run as a batch: perform and step refuse it, saying where it runs", async () => {
    const t = await newBackend({}, { hook: "record" });
    const work = { kind: "fetch", object: "user", clerkId: CHARLES } as const;
    const workId = await row(t, { key: `fetch:user:${CHARLES}`, work });
    const refusal = "clerkSync: a fetch runs in work:run (an action), not in a mutation.";
    await expect(t.mutation(internal.work.perform, { workId })).rejects.toThrow(refusal);
    await expect(t.mutation(internal.work.step, { work })).rejects.toThrow(refusal);
  });
});

describe("an attempt that fails where its own catch cannot keep it", () => {
  /** Charles's cascade attempt fails for good (its hook refuses, and its catch throws too), the hook still refusing. */
  async function attemptLost(t: Backend) {
    await charlesDeleted(t);
    await setHook(t, "reject");
    // Stands in for what no try/catch sees (the attempt out of time): the attempt's catch throws too.
    vi.mocked(console.error).mockImplementation((line: unknown) => {
      if (String(line).startsWith("clerkSync: ")) throw new Error("out of time");
    });
    await after(t, 1);
    vi.mocked(console.error).mockImplementation(() => {});
  }

  test("is found by the hourly sweep among the failed scheduled functions and kept as a row, then done", async () => {
    const t = await newBackend({}, { hook: "record" });
    await attemptLost(t);
    expect((await jobs(t, "work:attempt")).map((job) => job.state.kind)).toEqual(["failed"]);
    expect(await queued(t)).toEqual([]);
    expect(await memberships(t)).toEqual(["orgmem_charles"]);

    await setHook(t, "record");
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 0, kept: 1 });
    expect(await queued(t)).toMatchObject([
      {
        key: `cascade:user:${CHARLES}`,
        attempts: 1,
        // convex-test records no error on a failed scheduled function; Convex does.
        lastError: "the attempt failed where it could not keep itself: no error recorded",
      },
    ]);
    await after(t, WORK_BACKOFF_MS[0] + 10);
    expect(await memberships(t)).toEqual([]);
    expect(await queued(t)).toEqual([]);
    // Found again by the next sweep (its window is two sweeps wide): the work runs once more and finds nothing left.
    expect((await t.mutation(internal.work.sweep, {})).kept).toBe(1);
    await finish(t);
    expect(await queued(t)).toEqual([]);
  });

  test("a failed attempt older than the window is not kept again", async () => {
    const t = await newBackend({}, { hook: "record" });
    await attemptLost(t);
    // Two hours: two hourly sweeps see each failed attempt, the third no longer.
    expect(LOST_ATTEMPT_WINDOW_MS).toBe(2 * 60 * 60_000);
    await vi.advanceTimersByTimeAsync(LOST_ATTEMPT_WINDOW_MS + 1);
    expect((await t.mutation(internal.work.sweep, {})).kept).toBe(0);
  });
});
