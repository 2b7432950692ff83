import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { captureConsole } from "../../../../../test/console.js";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import { pruneEventLog, pruneFailedEvents } from "./log.js";

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_800_000_000_000;
const OLD = NOW - 91 * DAY;

beforeEach(() => {
  vi.stubEnv("FAILED_EVENT_RETENTION_DAYS", "90");
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function fillFailed(t: Backend, count: number, receivedAt: number, type = "user.updated") {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i += 1) {
      const svixId = `msg_f${String(i).padStart(2, "0")}`;
      await ctx.db.insert("webhookEvents", {
        svixId,
        type,
        clerkIds: [],
        timestamp: null,
        receivedAt: receivedAt + i,
        firstFailedAt: receivedAt + i,
        outcome: "failed",
        attempts: 1,
        error: "bug",
      });
      await ctx.db.insert("failedPayloads", { svixId, payload: "{}" });
    }
  });
}

describe("pruneFailedEvents", () => {
  test("names the pruned events with their type in its log line", async () => {
    const t = await newBackend();
    const warned = captureConsole("warn");
    await fillFailed(t, 2, OLD);
    expect(await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 10))).toEqual({ deleted: 2, more: false });
    expect(warned()).toEqual([
      "Pruned 2 failed or foreign webhook event(s) that never applied within 90 days (FAILED_EVENT_RETENTION_DAYS); " +
        "they and their payloads are deleted and can no longer be retried: msg_f00 (user.updated, failed), msg_f01 (user.updated, failed)",
    ]);
  });

  test('an event without a type is named "(no type)"', async () => {
    const t = await newBackend();
    const warned = captureConsole("warn");
    await fillFailed(t, 1, OLD, "");
    await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 10));
    expect(warned()[0]).toMatch(/: msg_f00 \(no type, failed\)$/);
  });

  test("names at most ten, then an ellipsis", async () => {
    const t = await newBackend();
    const warned = captureConsole("warn");
    await fillFailed(t, 11, OLD);
    expect(await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 20))).toEqual({ deleted: 11, more: false });
    const line = warned()[0]!;
    expect(line).toMatch(/^Pruned 11 failed/);
    expect(line).toContain("msg_f09 (user.updated, failed), …");
    expect(line).not.toContain("msg_f10");
  });

  test("exactly ten are all named, without an ellipsis", async () => {
    const t = await newBackend();
    const warned = captureConsole("warn");
    await fillFailed(t, 10, OLD);
    await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 20));
    expect(warned()[0]).toMatch(/msg_f09 \(user\.updated, failed\)$/);
  });

  test("a full batch says more may be due; nothing to prune logs nothing", async () => {
    const t = await newBackend();
    const warned = captureConsole("warn");
    await fillFailed(t, 3, OLD);
    expect(await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 3))).toEqual({ deleted: 3, more: true });
    expect(await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 3))).toEqual({ deleted: 0, more: false });
    expect(warned()).toHaveLength(1);
  });

  test("keeps what is within the retention, and other events' payloads", async () => {
    const t = await newBackend();
    captureConsole("warn");
    await fillFailed(t, 1, NOW - 89 * DAY);
    await t.run(async (ctx) => await ctx.db.insert("failedPayloads", { svixId: "msg_other", payload: "{}" }));
    expect(await t.run(async (ctx) => await pruneFailedEvents(ctx, NOW, 10))).toEqual({ deleted: 0, more: false });
    const left = await t.run(async (ctx) => (await ctx.db.query("failedPayloads").collect()).map((row) => row.svixId));
    expect(left).toEqual(["msg_f00", "msg_other"]);
  });
});

describe("pruneEventLog", () => {
  test("old foreign rows stay, as failed ones do: their payloads are kept until the failed-event retention", async () => {
    const t = await newBackend();
    vi.stubEnv("WEBHOOK_LOG_RETENTION_DAYS", "30");
    await t.run(async (ctx) => {
      for (const outcome of ["foreign", "applied", "failed"] as const) {
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_${outcome}`,
          type: "user.updated",
          clerkIds: [],
          timestamp: null,
          receivedAt: NOW - 31 * DAY,
          outcome,
          attempts: 1,
        });
      }
    });
    expect(await t.run(async (ctx) => await pruneEventLog(ctx, NOW, 10))).toEqual({ deleted: 1, more: false });
    const left = await t.run(async (ctx) => (await ctx.db.query("webhookEvents").collect()).map((row) => row.outcome));
    expect(left).toEqual(["foreign", "failed"]);
  });
});
