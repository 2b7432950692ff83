import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { envelope, userEvent } from "../../test/clerkEvents";
import { deliver, newBackend, newSvixId, SECRET, type Backend } from "../../test/convex";
import { internal } from "../_generated/api";
import { eventHandlers } from "./registry";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function eventLog(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
}

describe("exactly-once delivery", () => {
  test("a second delivery of the same svix-id is a duplicate and changes nothing", async () => {
    const t = newBackend();
    const svixId = newSvixId();
    const created = userEvent("user.created");
    expect(await deliver(t, created, { svixId })).toEqual({ status: 200, outcome: "applied" });
    // Even a body that differs (it cannot, from Clerk) is not applied twice under one message id.
    const altered = userEvent("user.updated", { first_name: "Eve", updated_at: 1_760_000_000_500 });
    expect(await deliver(t, altered, { svixId })).toEqual({ status: 200, outcome: "duplicate" });

    const users = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(users.map((u) => u.firstName)).toEqual(["Ada"]);
    const log = await eventLog(t);
    expect(log.map((row) => [row.svixId, row.type, row.outcome])).toEqual([
      [svixId, "user.created", "applied"],
      [svixId, "user.created", "duplicate"],
    ]);
  });

  test("the log records type, Clerk ids, envelope timestamp, received time and outcome", async () => {
    const t = newBackend();
    const event = userEvent("user.created", { id: "user_logged" });
    await deliver(t, event);
    const [row] = await eventLog(t);
    expect(row).toMatchObject({
      type: "user.created",
      clerkIds: ["user_logged"],
      timestamp: event.timestamp,
      outcome: "applied",
      attempts: 1,
    });
    expect(row?.receivedAt).toBeGreaterThan(0);
    expect(row?.payload).toBeUndefined();
  });
});

describe("event types Roster does not handle", () => {
  test.each([
    "organizationDomain.someday",
    "totally.unknown",
    "constructor",
    "toString",
    "__proto__",
    "hasOwnProperty",
  ])("%s is logged as ignored and answered 200", async (type) => {
    const t = newBackend();
    const result = await deliver(t, envelope(type, { id: "thing_1", object: "thing" }));
    expect(result).toEqual({ status: 200, outcome: "ignored" });
    const [row] = await eventLog(t);
    expect(row).toMatchObject({ type, outcome: "ignored", clerkIds: ["thing_1"] });
  });
});

describe("an event that fails to apply", () => {
  test("is recorded as failed with its error and payload, answered 500, and applies on Svix's retry once fixed", async () => {
    const t = newBackend();
    const svixId = newSvixId();
    const event = userEvent("user.created", { id: "user_retry" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("database on fire"));

    const first = await deliver(t, event, { svixId });
    expect(first).toEqual({ status: 500, outcome: "failed", error: "database on fire" });
    const [failed] = await eventLog(t);
    expect(failed).toMatchObject({
      svixId,
      type: "user.created",
      outcome: "failed",
      error: "database on fire",
      attempts: 1,
    });
    expect(JSON.parse(failed?.payload ?? "null")).toEqual(event);
    // The failed transaction left no partial writes behind.
    expect(await t.run(async (ctx) => await ctx.db.query("users").collect())).toEqual([]);

    expect((await deliver(t, event, { svixId })).status).toBe(500);
    expect((await eventLog(t))[0]).toMatchObject({ outcome: "failed", attempts: 2 });

    broken.mockRestore();
    expect(await deliver(t, event, { svixId })).toEqual({ status: 200, outcome: "applied" });
    const log = await eventLog(t);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ outcome: "applied", attempts: 3 });
    expect(log[0]?.payload).toBeUndefined();
    expect(log[0]?.error).toBeUndefined();
    expect(await t.run(async (ctx) => await ctx.db.query("users").collect())).toHaveLength(1);
  });

  test("a verified JSON body of the wrong shape is kept as failed with its payload", async () => {
    const t = newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const text = JSON.stringify({ type: "user.created", object: "event" });
    const result = await deliver(t, text);
    expect(result).toMatchObject({ status: 500, outcome: "failed", error: expect.stringContaining('"data"') });
    const [row] = await eventLog(t);
    expect(row).toMatchObject({ outcome: "failed", type: "user.created", payload: text });
  });

  test("is applied by webhooks/log:retryFailed once the cause is fixed", async () => {
    const t = newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("bug"));
    await deliver(t, userEvent("user.created", { id: "user_a" }));
    await deliver(t, userEvent("user.created", { id: "user_b" }));
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({ retried: 2, applied: 0, stillFailing: 2 });

    broken.mockRestore();
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({ retried: 2, applied: 2, stillFailing: 0 });
    const users = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(users.map((u) => u.clerkId).sort()).toEqual(["user_a", "user_b"]);
    expect((await eventLog(t)).map((row) => row.outcome)).toEqual(["applied", "applied"]);
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({ retried: 0, applied: 0, stillFailing: 0 });
  });
});
