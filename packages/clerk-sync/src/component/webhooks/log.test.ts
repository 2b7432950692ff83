import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { userEvent } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, seedInBatches, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import crons from "../crons.js";
import { FAILED_PRUNE_BATCH_SIZE, PRUNE_BATCH_SIZE } from "./log.js";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function outcomes(t: Backend) {
  return (await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect())).map((row) => row.outcome).sort();
}

/** Fills the log directly with `count` settled rows received now. */
async function fillLog(t: Backend, count: number) {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i += 1) {
      await ctx.db.insert("webhookEvents", {
        svixId: `msg_fill${i}`,
        type: "user.updated",
        clerkIds: [],
        timestamp: null,
        receivedAt: Date.now(),
        outcome: "applied",
        attempts: 1,
      });
    }
  });
}

describe("event log retention", () => {
  test("a daily cron prunes the log", () => {
    const jobs = Object.values((crons as unknown as { crons: Record<string, { name: string }> }).crons);
    expect(jobs.map((job) => job.name)).toContain("webhooks/log:prune");
  });

  test("deletes settled rows older than 30 days, keeps newer ones and every failed one", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi
      .spyOn((await import("./registry.js")).eventHandlers, "user.updated")
      .mockRejectedValue(new Error("bug"));
    await deliver(t, userEvent("user.created", { id: "user_old" }));
    await deliver(t, userEvent("user.updated", { id: "user_old", updated_at: 1_760_000_000_001 }));
    broken.mockRestore();
    vi.advanceTimersByTime(29 * DAY);
    await deliver(t, userEvent("user.created", { id: "user_new" }));
    vi.advanceTimersByTime(2 * DAY);

    expect(await t.mutation(internal.webhooks.log.prune, {})).toEqual({ deleted: 1, more: false });
    expect(await outcomes(t)).toEqual(["applied", "failed"]);
  });

  test("honours WEBHOOK_LOG_RETENTION_DAYS", async () => {
    vi.stubEnv("WEBHOOK_LOG_RETENTION_DAYS", "7");
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    vi.advanceTimersByTime(6 * DAY);
    expect((await t.mutation(internal.webhooks.log.prune, {})).deleted).toBe(0);
    vi.advanceTimersByTime(2 * DAY);
    expect((await t.mutation(internal.webhooks.log.prune, {})).deleted).toBe(1);
  });

  test("falls back to 30 days, with a log line, when the setting is not a number", async () => {
    vi.stubEnv("WEBHOOK_LOG_RETENTION_DAYS", "a month");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    vi.advanceTimersByTime(29 * DAY);
    expect((await t.mutation(internal.webhooks.log.prune, {})).deleted).toBe(0);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("WEBHOOK_LOG_RETENTION_DAYS"));
  });

  test("works in bounded batches that schedule the next until none are left", async () => {
    const t = await newBackend();
    await fillLog(t, 25);
    vi.advanceTimersByTime(31 * DAY);
    expect(await t.mutation(internal.webhooks.log.prune, { batchSize: 10 })).toEqual({ deleted: 10, more: true });
    expect(await outcomes(t)).toHaveLength(15);
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await outcomes(t)).toEqual([]);
  });

  test("never takes more than its batch size in one mutation", async () => {
    const t = await newBackend();
    await fillLog(t, 3);
    vi.advanceTimersByTime(31 * DAY);
    expect((await t.mutation(internal.webhooks.log.prune, { batchSize: 10_000 })).deleted).toBe(3);
    expect(PRUNE_BATCH_SIZE).toBeLessThanOrEqual(1_000);
  });
});

/** Fills the log directly with `count` failed events received now, each with a kept payload. */
async function fillFailed(t: Backend, count: number, payload = "{}") {
  await seedInBatches(
    t,
    count,
    async (ctx, i) => {
      await ctx.db.insert("webhookEvents", {
        svixId: `msg_failed${i}`,
        type: "user.updated",
        clerkIds: [],
        timestamp: null,
        receivedAt: Date.now(),
        firstFailedAt: Date.now(),
        outcome: "failed",
        attempts: 1,
        error: "bug",
      });
      await ctx.db.insert("failedPayloads", { svixId: `msg_failed${i}`, payload });
    },
    16,
  );
}

async function failedLeft(t: Backend) {
  return await t.run(async (ctx) => ({
    events: (await ctx.db.query("webhookEvents").collect()).length,
    payloads: (await ctx.db.query("failedPayloads").collect()).length,
  }));
}

describe("failed-event retention", () => {
  test("a daily cron prunes expired failed events", () => {
    const jobs = Object.values((crons as unknown as { crons: Record<string, { name: string }> }).crons);
    expect(jobs.map((job) => job.name)).toContain("webhooks/log:pruneFailed");
  });

  test("keeps a failed event 90 days after its first failure, then deletes it and its payload with a log line", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn((await import("./registry.js")).eventHandlers, "user.created").mockRejectedValue(new Error("bug"));
    await deliver(t, userEvent("user.created", { id: "user_old" }), { svixId: "msg_old" });
    vi.advanceTimersByTime(60 * DAY);
    await deliver(t, userEvent("user.created", { id: "user_new" }), { svixId: "msg_new" });
    vi.advanceTimersByTime(29 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, {})).toEqual({ deleted: 0, more: false });
    expect(warned).not.toHaveBeenCalled();

    vi.advanceTimersByTime(2 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, {})).toEqual({ deleted: 1, more: false });
    expect(warned).toHaveBeenCalledWith(
      expect.stringMatching(/Pruned 1 failed or foreign webhook event.*90 days.*msg_old \(user\.created, failed\)/),
    );
    const left = await t.run(async (ctx) => ({
      events: (await ctx.db.query("webhookEvents").collect()).map((row) => row.svixId),
      payloads: (await ctx.db.query("failedPayloads").collect()).map((row) => row.svixId),
    }));
    expect(left).toEqual({ events: ["msg_new"], payloads: ["msg_new"] });
    // The settled-log prune never touches failed events, however old.
    vi.advanceTimersByTime(365 * DAY);
    await t.mutation(internal.webhooks.log.prune, {});
    expect((await failedLeft(t)).events).toBe(1);
  });

  test("honours FAILED_EVENT_RETENTION_DAYS", async () => {
    vi.stubEnv("FAILED_EVENT_RETENTION_DAYS", "7");
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await newBackend();
    await fillFailed(t, 1);
    vi.advanceTimersByTime(6 * DAY);
    expect((await t.mutation(internal.webhooks.log.pruneFailed, {})).deleted).toBe(0);
    vi.advanceTimersByTime(2 * DAY);
    expect((await t.mutation(internal.webhooks.log.pruneFailed, {})).deleted).toBe(1);
    expect(await failedLeft(t)).toEqual({ events: 0, payloads: 0 });
  });

  test("falls back to 90 days, with a log line, when the setting is not a number", async () => {
    vi.stubEnv("FAILED_EVENT_RETENTION_DAYS", "-3");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    await fillFailed(t, 1);
    vi.advanceTimersByTime(89 * DAY);
    expect((await t.mutation(internal.webhooks.log.pruneFailed, {})).deleted).toBe(0);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("FAILED_EVENT_RETENTION_DAYS"));
  });

  test("works in batches small enough for 256 KiB payloads, scheduling the next until none are left", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await newBackend();
    // Payloads near the 256 KiB a webhook may carry: a batch reads each once and deletes it.
    await fillFailed(t, FAILED_PRUNE_BATCH_SIZE + 5, JSON.stringify({ data: { note: "x".repeat(255 * 1024) } }));
    vi.advanceTimersByTime(91 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, { batchSize: 1_000 })).toEqual({
      deleted: FAILED_PRUNE_BATCH_SIZE,
      more: true,
    });
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await failedLeft(t)).toEqual({ events: 0, payloads: 0 });
  });
});
