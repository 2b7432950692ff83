import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import type { Outcome } from "../schema.js";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function logRow(t: Backend, svixId: string, outcome: Outcome, extra: { payload?: string } = {}) {
  await t.run(async (ctx) => {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: "user.updated",
      clerkIds: [],
      timestamp: null,
      receivedAt: Date.now(),
      outcome,
      attempts: 1,
      ...extra,
    });
  });
}

describe("event log retention, per outcome", () => {
  test("old applied, duplicate, stale and ignored rows are pruned; failed ones are kept", async () => {
    const t = await newBackend();
    for (const outcome of ["applied", "duplicate", "stale", "ignored"] as const)
      await logRow(t, `msg_${outcome}`, outcome);
    await logRow(t, "msg_failed", "failed", { payload: "{}" });
    vi.advanceTimersByTime(31 * DAY);
    expect(await t.mutation(internal.webhooks.log.prune, {})).toEqual({ deleted: 4, more: false });
    const left = await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(left.map((row) => row.svixId)).toEqual(["msg_failed"]);
  });

  test("the next batch is scheduled with the same batch size", async () => {
    const t = await newBackend();
    for (let i = 0; i < 5; i += 1) await logRow(t, `msg_${i}`, "applied");
    vi.advanceTimersByTime(31 * DAY);
    expect(await t.mutation(internal.webhooks.log.prune, { batchSize: 2 })).toEqual({ deleted: 2, more: true });
    const scheduled = await t.run(async (ctx) => await ctx.db.system.query("_scheduled_functions").collect());
    expect(scheduled.map((job) => [job.name, job.args])).toEqual([["webhooks/log:prune", [{ batchSize: 2 }]]]);
  });
});

describe("failed events for the retry tool", () => {
  test("failedEventIds lists only failed events", async () => {
    const t = await newBackend();
    await logRow(t, "msg_failed", "failed");
    await logRow(t, "msg_applied", "applied");
    expect(await t.query(internal.webhooks.log.failedEventIds, { limit: 10 })).toEqual(["msg_failed"]);
  });

  test("failedPayload reads the payloads table, then a payload kept on a failed row before that table, else null", async () => {
    const t = await newBackend();
    await logRow(t, "msg_kept", "failed");
    await t.run(async (ctx) => {
      await ctx.db.insert("failedPayloads", { svixId: "msg_kept", payload: '{"type":"user.created"}' });
    });
    await logRow(t, "msg_legacy", "failed", { payload: '{"type":"user.updated"}' });
    await logRow(t, "msg_applied", "applied", { payload: '{"type":"user.deleted"}' });
    await logRow(t, "msg_none", "failed");
    const payload = (svixId: string) => t.query(internal.webhooks.log.failedPayload, { svixId });
    expect(await payload("msg_kept")).toBe('{"type":"user.created"}');
    expect(await payload("msg_legacy")).toBe('{"type":"user.updated"}');
    expect(await payload("msg_applied")).toBeNull();
    expect(await payload("msg_none")).toBeNull();
    expect(await payload("msg_unknown")).toBeNull();
  });
});
