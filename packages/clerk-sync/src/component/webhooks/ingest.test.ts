import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { envelope, userEvent } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, newSvixId, SECRET, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import { MAX_ERROR_LENGTH, storableText } from "./ingest.js";
import { eventHandlers } from "./registry.js";

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

async function keptPayloads(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("failedPayloads").collect());
}

describe("exactly-once delivery", () => {
  test("a second delivery of the same svix-id is a duplicate and changes nothing", async () => {
    const t = await newBackend();
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
    const t = await newBackend();
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
    const t = await newBackend();
    const result = await deliver(t, envelope(type, { id: "thing_1", object: "thing" }));
    expect(result).toEqual({ status: 200, outcome: "ignored" });
    const [row] = await eventLog(t);
    expect(row).toMatchObject({ type, outcome: "ignored", clerkIds: ["thing_1"] });
  });
});

describe("an event that fails to apply", () => {
  test("is recorded as failed with its error and payload, answered 500, and applies on Svix's retry once fixed", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    const event = userEvent("user.created", { id: "user_retry" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("database on fire"));

    const first = await deliver(t, event, { svixId });
    expect(first).toEqual({ status: 500, outcome: "failed", error: expect.not.stringContaining("database on fire") });
    const [failed] = await eventLog(t);
    expect(failed).toMatchObject({
      svixId,
      type: "user.created",
      outcome: "failed",
      error: "database on fire",
      attempts: 1,
    });
    // The log row holds no payload: it is kept in a table of its own.
    expect(failed?.payload).toBeUndefined();
    const kept = await keptPayloads(t);
    expect(kept.map((row) => row.svixId)).toEqual([svixId]);
    const { private_metadata: _private, unsafe_metadata: _unsafe, ...publicData } = event.data;
    expect(JSON.parse(kept[0]?.payload ?? "null")).toEqual({ ...event, data: publicData });
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
    expect(await keptPayloads(t)).toEqual([]);
    expect(await t.run(async (ctx) => await ctx.db.query("users").collect())).toHaveLength(1);
  });

  test("a verified JSON body of the wrong shape is kept as failed with its payload", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const text = JSON.stringify({ type: "user.created", object: "event" });
    const result = await deliver(t, text);
    expect(result).toMatchObject({ status: 500, outcome: "failed" });
    const [row] = await eventLog(t);
    expect(row).toMatchObject({ outcome: "failed", type: "user.created" });
    expect(row?.error).toContain('"data"');
    expect((await keptPayloads(t)).map((kept) => kept.payload)).toEqual([text]);
  });

  test("keeps the payload without private_metadata and unsafe_metadata, at any depth", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(eventHandlers, "organizationMembership.created").mockRejectedValue(new Error("bug"));
    const event = envelope("organizationMembership.created", {
      id: "orgmem_1",
      private_metadata: { salary: "secret-1" },
      organization: { id: "org_1", private_metadata: { plan: "secret-2" }, public_metadata: { ok: 1 } },
      public_user_data: { user_id: "user_1", unsafe_metadata: { note: "secret-3" } },
      list: [{ private_metadata: "secret-4", keep: "yes" }],
    });
    await deliver(t, event);
    const [kept] = await keptPayloads(t);
    expect(kept?.payload).not.toMatch(/secret-|private_metadata|unsafe_metadata/);
    expect(JSON.parse(kept?.payload ?? "null")).toEqual({
      ...event,
      data: {
        id: "orgmem_1",
        organization: { id: "org_1", public_metadata: { ok: 1 } },
        public_user_data: { user_id: "user_1" },
        list: [{ keep: "yes" }],
      },
    });
    expect(JSON.stringify(await eventLog(t))).not.toContain("secret-");
  });

  test("keeps an error cut on a character boundary, with no unpaired surrogate halves", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    // A lone surrogate half near the start, and an emoji (two UTF-16 code units) straddling the cut.
    const prefix = "bad \uD800 ";
    const message = `${prefix}${"x".repeat(MAX_ERROR_LENGTH - 1 - prefix.length)}😀 tail`;
    expect(message.charCodeAt(MAX_ERROR_LENGTH - 1)).toBe(0xd83d);
    vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error(message));
    await deliver(t, userEvent("user.created"));
    const [row] = await eventLog(t);
    const error = row?.error ?? "";
    expect(error).toHaveLength(MAX_ERROR_LENGTH - 1);
    // encodeURIComponent throws on an unpaired surrogate half.
    expect(() => encodeURIComponent(error)).not.toThrow();
    expect(error.startsWith("bad \uFFFD")).toBe(true);
  });
});

describe("storableText", () => {
  test.each([
    ["short text unchanged", "héllo 😀", 10, "héllo 😀"],
    ["a pair cut in half loses its high half", "ab😀", 3, "ab"],
    ["a pair that fits is kept", "ab😀", 4, "ab😀"],
    ["a lone high half becomes U+FFFD", "a\uD83Db", 10, "a\uFFFDb"],
    ["a lone low half becomes U+FFFD", "a\uDE00b", 10, "a\uFFFDb"],
  ])("%s", (_label, text, max, expected) => {
    const stored = storableText(text, max);
    expect(stored).toBe(expected);
    expect(() => encodeURIComponent(stored)).not.toThrow();
  });

  test("is applied by webhooks/log:retryFailed once the cause is fixed", async () => {
    const t = await newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("bug"));
    await deliver(t, userEvent("user.created", { id: "user_a" }));
    await deliver(t, userEvent("user.created", { id: "user_b" }));
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({
      retried: 2,
      applied: 0,
      stillFailing: 2,
      foreign: 0,
    });

    broken.mockRestore();
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({
      retried: 2,
      applied: 2,
      stillFailing: 0,
      foreign: 0,
    });
    const users = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(users.map((u) => u.clerkId).sort()).toEqual(["user_a", "user_b"]);
    expect((await eventLog(t)).map((row) => row.outcome)).toEqual(["applied", "applied"]);
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({
      retried: 0,
      applied: 0,
      stillFailing: 0,
      foreign: 0,
    });
  });
});
