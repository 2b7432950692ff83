/**
 * The queue's rows (lib/queue.ts), called directly: what the same work scheduled over a row keeps,
 * that a schedule which changes nothing writes nothing, how often failed work is tried before it
 * stalls, how a resume batches, and when the sweep takes a pending row's run for lost.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { Doc } from "../_generated/dataModel.js";
import { internal } from "../_generated/api.js";
import type { Work } from "../workSchema.js";
import {
  finishWork,
  keepFailed,
  LOST_RUN_AFTER_MS,
  MAX_WORK_ATTEMPTS,
  RESUME_BATCH,
  resumeStalled,
  scheduleWork,
  workKey,
} from "./queue.js";

const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

const ADDRESSES = ["ada@example.com", "ada@lovelace.dev"];

function userCascade(addresses?: string[]): Work {
  return { kind: "cascade", parent: "user", clerkId: "user_ada", ...(addresses === undefined ? {} : { addresses }) };
}

/** A row of `work` as the queue stores it, `status` and `attempts` given (no scheduled run: a test's own). */
async function seedRow(
  t: Backend,
  work: Work,
  { status = "pending", attempts = 1 }: { status?: "pending" | "stalled"; attempts?: number } = {},
): Promise<Doc<"pendingWork">> {
  return await t.run(async (ctx) => {
    const id = await ctx.db.insert("pendingWork", {
      key: workKey(work),
      work,
      status,
      attempts,
      nextAttemptAt: Date.now() - 1,
      lastError: "refused",
    });
    return (await ctx.db.get("pendingWork", id))!;
  });
}

async function rows(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("pendingWork").collect());
}

/** The runs of queued rows scheduled so far. */
async function runs(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === "work:run"),
  );
}

/** Schedules `work` in a transaction of its own; the documents that transaction wrote. */
async function schedule(t: Backend, work: Work): Promise<number> {
  return await t.run(async (ctx) => {
    await scheduleWork(ctx, work);
    return (await ctx.meta.getTransactionMetrics()).documentsWritten.used;
  });
}

describe("the same work scheduled over its row", () => {
  test("a user's cascade keeps the addresses its row holds when a later delete carries none", async () => {
    const t = await newBackend();
    await seedRow(t, userCascade(ADDRESSES));
    await schedule(t, userCascade());
    expect((await rows(t)).map((row) => row.work)).toEqual([userCascade(ADDRESSES)]);
    // Nor do other addresses replace them: the first delete read them from the user's row.
    await schedule(t, userCascade(["other@example.com"]));
    expect((await rows(t)).map((row) => row.work)).toEqual([userCascade(ADDRESSES)]);
  });

  test.each([
    ["no addresses", undefined],
    ["an empty list", []],
  ])("a cascade whose row holds %s takes the later schedule's addresses", async (_, held) => {
    const t = await newBackend();
    await seedRow(t, userCascade(held));
    await schedule(t, userCascade(ADDRESSES));
    expect((await rows(t)).map((row) => row.work)).toEqual([userCascade(ADDRESSES)]);
  });

  test("a user's memberships at another cursor than the row's are followed again from the first page", async () => {
    const t = await newBackend();
    await seedRow(t, { kind: "followUser", userId: "user_ada", cursor: "page2" });
    await schedule(t, { kind: "followUser", userId: "user_ada", cursor: "page5" });
    expect((await rows(t)).map((row) => row.work)).toEqual([{ kind: "followUser", userId: "user_ada", cursor: null }]);
  });

  test("a user's memberships are followed from the newer schedule's cursor", async () => {
    const t = await newBackend();
    await seedRow(t, { kind: "followUser", userId: "user_ada", cursor: "older" });
    await schedule(t, { kind: "followUser", userId: "user_ada", cursor: null });
    expect((await rows(t)).map((row) => row.work)).toEqual([{ kind: "followUser", userId: "user_ada", cursor: null }]);
  });

  test("the work a pending row already holds writes nothing; different work is one write", async () => {
    const t = await newBackend();
    const follow: Work = { kind: "followUser", userId: "user_ada", cursor: "page2" };
    const before = await seedRow(t, follow);
    expect(await schedule(t, follow)).toBe(0);
    expect(await rows(t)).toEqual([before]);
    expect(await schedule(t, { ...follow, cursor: "page3" })).toBe(1);
    expect(await schedule(t, userCascade(ADDRESSES))).toBe(0); // no row yet: a scheduled attempt, no write
  });

  test("a stalled row starts again with every try and a run; a pending one keeps its tries and its run", async () => {
    const t = await newBackend();
    const stalled = await seedRow(t, userCascade(ADDRESSES), { status: "stalled", attempts: MAX_WORK_ATTEMPTS });
    await schedule(t, userCascade());
    const [row] = await rows(t);
    expect(row).toMatchObject({ _id: stalled._id, status: "pending", attempts: 0, nextAttemptAt: Date.now() });
    expect(row!.work).toEqual(userCascade(ADDRESSES));
    const [run] = await runs(t);
    expect(run).toMatchObject({ _id: row!.scheduledId, args: [{ workId: row!._id }], state: { kind: "pending" } });

    await schedule(t, userCascade());
    expect(await rows(t)).toEqual([row]);
    expect(await runs(t)).toHaveLength(1);
  });

  test("a failure kept while a row of the same work is queued goes into that row", async () => {
    const t = await newBackend();
    const pending = await seedRow(t, userCascade(ADDRESSES), { attempts: 3 });
    await t.run(async (ctx) => await keepFailed(ctx, userCascade(), "refused again"));
    expect(await rows(t)).toEqual([pending]);
  });
});

describe("a fetch", () => {
  test("gets its row, with no error and no tries used, and its run", async () => {
    const t = await newBackend();
    const work: Work = { kind: "fetch", object: "user", clerkId: "user_ada" };
    await t.run(async (ctx) => await scheduleWork(ctx, work, 5_000));
    const [row] = await rows(t);
    expect(row).toMatchObject({ key: workKey(work), work, status: "pending", attempts: 0, nextAttemptAt: T0 + 5_000 });
    expect(Object.keys(row!)).not.toContain("lastError");
    expect((await runs(t)).map((job) => job._id)).toEqual([row!.scheduledId]);
  });
});

describe("finishWork", () => {
  test("removes the row, and a row already gone is no error", async () => {
    const t = await newBackend();
    const row = await seedRow(t, userCascade());
    await t.run(async (ctx) => await finishWork(ctx, row._id));
    expect(await rows(t)).toEqual([]);
    await expect(
      t.run(async (ctx) => {
        await finishWork(ctx, row._id);
        return "ended";
      }),
    ).resolves.toBe("ended");
  });
});

describe("tries", () => {
  test("failed work stalls on its 6th failed try (the first, then one after each of 5 waits), not before", async () => {
    expect(MAX_WORK_ATTEMPTS).toBe(6);
    const t = await newBackend();
    // The first try is the attempt, whose failure writes the row (one try used).
    await t.run(async (ctx) => await keepFailed(ctx, userCascade(), "refused"));
    const [row] = await rows(t);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1)
      outcomes.push(await t.mutation(internal.work.failed, { workId: row!._id, error: "refused" }));
    expect(outcomes).toEqual(["retrying", "retrying", "retrying", "retrying", "stalled"]);
    expect((await rows(t))[0]).toMatchObject({ status: "stalled", attempts: 6 });
  });
});

describe("resumeStalled", () => {
  async function seedStalled(t: Backend, count: number) {
    await t.run(async (ctx) => {
      for (let i = 0; i < count; i += 1)
        await ctx.db.insert("pendingWork", {
          key: `followUser:user_${i}`,
          work: { kind: "followUser", userId: `user_${i}`, cursor: null },
          status: "stalled",
          attempts: MAX_WORK_ATTEMPTS,
          nextAttemptAt: Date.now() - 1,
        });
    });
  }

  test(`exactly ${RESUME_BATCH} stalled rows are one batch with none left`, async () => {
    const t = await newBackend();
    await seedStalled(t, RESUME_BATCH);
    expect(await t.run(async (ctx) => await resumeStalled(ctx, Date.now(), 0))).toEqual({
      resumed: RESUME_BATCH,
      more: false,
    });
  });

  test(`${RESUME_BATCH + 1} stalled rows leave one for the next batch`, async () => {
    const t = await newBackend();
    await seedStalled(t, RESUME_BATCH + 1);
    expect(await t.run(async (ctx) => await resumeStalled(ctx, Date.now(), 0))).toEqual({
      resumed: RESUME_BATCH,
      more: true,
    });
    expect((await rows(t)).filter((row) => row.status === "stalled")).toHaveLength(1);
  });
});

describe("the sweep", () => {
  test("takes a pending row's run for lost only once the row is 15 minutes late", async () => {
    expect(LOST_RUN_AFTER_MS).toBe(15 * 60_000);
    const t = await newBackend();
    // A pending row with no scheduled run (its action stopped mid-way), due now.
    const row = await seedRow(t, userCascade());
    await t.run(async (ctx) => await ctx.db.patch("pendingWork", row._id, { nextAttemptAt: Date.now() }));
    vi.advanceTimersByTime(15 * 60_000);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 0, kept: 0 });
    vi.advanceTimersByTime(1_000);
    expect(await t.mutation(internal.work.sweep, {})).toEqual({ resumed: 0, restarted: 1, kept: 0 });
  });
});
