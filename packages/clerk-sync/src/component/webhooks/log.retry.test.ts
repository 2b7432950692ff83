import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { userEvent } from "../../../../../test/clerkEvents.js";
import { captureConsole } from "../../../../../test/console.js";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import type { Id } from "../_generated/dataModel.js";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A failed event; its payload kept unless `kept` is false. */
async function failed(t: Backend, svixId: string, userId: string, kept = true) {
  await t.run(async (ctx) => {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: "user.created",
      clerkIds: [],
      timestamp: null,
      receivedAt: Date.now() - 1_000,
      firstFailedAt: Date.now() - 1_000,
      outcome: "failed",
      attempts: 1,
      error: "bug",
    });
    if (kept) {
      await ctx.db.insert("failedPayloads", {
        svixId,
        payload: JSON.stringify(userEvent("user.created", { id: userId })),
      });
    }
  });
}

async function outcomeOf(t: Backend, svixId: string) {
  return await t.run(
    async (ctx) =>
      (await ctx.db
        .query("webhookEvents")
        .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
        .first())!.outcome,
  );
}

async function scheduled(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect())
      .filter((job) => job.state.kind === "pending")
      .map((job) => ({ name: job.name, args: job.args })),
  );
}

async function newRun(t: Backend, status: "running" | "completed", cursor: string | null = null) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("webhookRetryRuns", {
        status,
        startedBy: "user_admin",
        startedAt: Date.now(),
        updatedAt: Date.now(),
        finishedAt: null,
        cutoff: Date.now(),
        total: 1,
        totalCapped: false,
        retried: 0,
        applied: 0,
        stillFailing: 0,
        skipped: 0,
        cursor,
        error: null,
      }),
  );
}

async function runOf(t: Backend, runId: Id<"webhookRetryRuns">) {
  return (await t.run(async (ctx) => await ctx.db.get("webhookRetryRuns", runId)))!;
}

describe("retryFailed", () => {
  test("retries at most `limit` failed events, oldest first", async () => {
    const t = await newBackend();
    await failed(t, "msg_a", "user_a");
    vi.advanceTimersByTime(10);
    await failed(t, "msg_b", "user_b");
    expect(await t.action(internal.webhooks.log.retryFailed, { limit: 1 })).toEqual({
      retried: 1,
      applied: 1,
      stillFailing: 0,
      foreign: 0,
    });
    expect([await outcomeOf(t, "msg_a"), await outcomeOf(t, "msg_b")]).toEqual(["applied", "failed"]);
  });
});

describe("retryOne", () => {
  test("an event whose payload is gone is skipped, nothing applied", async () => {
    const t = await newBackend();
    await failed(t, "msg_gone", "user_gone", false);
    expect(await t.action(internal.webhooks.log.retryOne, { svixId: "msg_gone" })).toEqual({
      retried: 0,
      applied: 0,
      stillFailing: 0,
      skipped: 1,
      foreign: 0,
    });
    expect(await outcomeOf(t, "msg_gone")).toBe("failed");
  });
});

describe("retry runs", () => {
  test("the last batch completes the run and schedules no other", async () => {
    const t = await newBackend();
    await failed(t, "msg_a", "user_a");
    vi.advanceTimersByTime(1_000);
    const runId = await newRun(t, "running");
    await t.action(internal.webhooks.log.retryBatch, { runId });
    expect(await runOf(t, runId)).toMatchObject({ status: "completed", retried: 1, applied: 1 });
    expect(await scheduled(t)).toEqual([]);
  });

  test("failRetry marks a running run failed, its error cut to 2,000 characters", async () => {
    const t = await newBackend();
    const runId = await newRun(t, "running");
    await t.mutation(internal.webhooks.log.failRetry, { runId, error: "x".repeat(2_500) });
    const run = await runOf(t, runId);
    expect(run.status).toBe("failed");
    expect(run.error).toBe("x".repeat(2_000));
  });

  test("failRetry cuts the error on a character boundary: no half of a surrogate pair is stored", async () => {
    const t = await newBackend();
    const runId = await newRun(t, "running");
    // 1,999 characters, then an emoji (two UTF-16 code units) across the 2,000th.
    await t.mutation(internal.webhooks.log.failRetry, { runId, error: `${"x".repeat(1_999)}\u{1F600}tail` });
    expect((await runOf(t, runId)).error).toBe("x".repeat(1_999));
  });

  test("a batch that throws stops the run with its error and a log line", async () => {
    const t = await newBackend();
    const errors = captureConsole("error");
    const runId = await newRun(t, "running", "not a cursor");
    await t.action(internal.webhooks.log.retryBatch, { runId });
    const run = await runOf(t, runId);
    expect(run.status).toBe("failed");
    expect(run.error).toBeTruthy();
    expect(errors()).toEqual([`Retry run ${runId} stopped: ${run.error}`]);
  });
});

describe("pruneFailed", () => {
  test("the next batch is scheduled with the same batch size", async () => {
    const t = await newBackend();
    vi.spyOn(console, "warn").mockImplementation(() => {});
    for (let i = 0; i < 3; i++) await failed(t, `msg_${i}`, `user_${i}`);
    vi.advanceTimersByTime(91 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, { batchSize: 2 })).toEqual({ deleted: 2, more: true });
    expect(await scheduled(t)).toEqual([{ name: "webhooks/log:pruneFailed", args: [{ batchSize: 2 }] }]);
  });

  test("an expired failed event without a kept payload is pruned too", async () => {
    const t = await newBackend();
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await failed(t, "msg_bare", "user_bare", false);
    vi.advanceTimersByTime(91 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, {})).toEqual({ deleted: 1, more: false });
    expect(await t.run(async (ctx) => (await ctx.db.query("webhookEvents").collect()).length)).toBe(0);
  });
});
