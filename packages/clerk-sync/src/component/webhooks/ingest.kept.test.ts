import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, INSTANCE_ID, userEvent } from "../../../../../test/clerkEvents.js";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { Doc } from "../_generated/dataModel.js";
import { applyEvent, recordFailure, retainablePayload, storableText } from "./ingest.js";
import { eventHandlers } from "./registry.js";

// How ingestion keeps failed and foreign events: one log row per event whatever it goes through,
// the first-failure time that retention counts from, and the payload with the users it names.

const OTHER_INSTANCE = "ins_2otherInstance00000000000";
const T = 1_780_000_000_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A user.updated for user `id` (no address: the subjects kept are the id alone) from `instanceId`. */
function fromInstance(instanceId: string, id = "user_2eve") {
  const event = userEvent("user.updated", { id, email_addresses: [] }, { timestamp: T - 5_000 });
  return JSON.stringify({ ...event, instance_id: instanceId });
}

async function rows(t: Backend): Promise<Array<Doc<"webhookEvents">>> {
  return await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
}

async function subjects(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("failedPayloadSubjects").collect()).map((row) => `${row.svixId} ${row.subject}`).sort(),
  );
}

/** Pins INSTANCE_ID (the first event's). */
async function pinned(t: Backend) {
  await t.run(async (ctx) => await applyEvent(ctx, "msg_pin", JSON.stringify(userEvent("user.created", { id: ADA }))));
}

/** A log row as older code wrote it: no family, no first-failure time. */
async function legacyRow(t: Backend, svixId: string, outcome: "failed" | "foreign", receivedAt: number) {
  await t.run(async (ctx) => {
    await ctx.db.insert("webhookEvents", {
      svixId,
      type: "user.updated",
      clerkIds: [],
      timestamp: null,
      receivedAt,
      outcome,
      attempts: 3,
      error: "old",
    });
  });
}

describe("a foreign event", () => {
  test("is logged with the envelope's type, family and timestamp, when it came first, and the users it names", async () => {
    const t = await newBackend();
    await pinned(t);
    expect(await t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)))).toBe("foreign");
    const row = (await rows(t)).find((logged) => logged.svixId === "msg_f");
    expect(row).toMatchObject({
      type: "user.updated",
      family: "user",
      clerkIds: [],
      timestamp: T - 5_000,
      receivedAt: T,
      firstFailedAt: T,
      outcome: "foreign",
      attempts: 1,
      instanceId: OTHER_INSTANCE,
    });
    expect(row?.error).toBe(
      `From Clerk instance ${OTHER_INSTANCE}, not ${INSTANCE_ID} (the one this deployment is pinned to): not applied; kept until the pin is corrected.`,
    );
    expect(await subjects(t)).toEqual(["msg_f user_2eve"]);
  });

  test("redelivered later keeps its first time and counts the attempt; applied once pinned, it clears what it kept", async () => {
    const t = await newBackend();
    await pinned(t);
    await t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)));
    vi.advanceTimersByTime(60_000);
    await t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)));
    expect((await rows(t)).filter((row) => row.svixId === "msg_f")).toMatchObject([
      { outcome: "foreign", attempts: 2, firstFailedAt: T, receivedAt: T + 60_000 },
    ]);

    vi.stubEnv("CLERK_INSTANCE_ID", OTHER_INSTANCE);
    expect(await t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)))).toBe("applied");
    const row = (await rows(t)).find((logged) => logged.svixId === "msg_f")!;
    expect(row).toMatchObject({ outcome: "applied", attempts: 3, clerkIds: ["user_2eve"] });
    expect(row.instanceId).toBeUndefined();
    expect(row.firstFailedAt).toBeUndefined();
    expect(row.error).toBeUndefined();
    expect(await subjects(t)).toEqual([]);
    expect(await t.run(async (ctx) => await ctx.db.query("failedPayloads").collect())).toEqual([]);
  });

  test("a row logged before families and first-failure times gets both, from its last delivery", async () => {
    const t = await newBackend();
    await pinned(t);
    await legacyRow(t, "msg_old", "failed", T - 10_000);
    await t.run(async (ctx) => await applyEvent(ctx, "msg_old", fromInstance(OTHER_INSTANCE)));
    expect((await rows(t)).find((row) => row.svixId === "msg_old")).toMatchObject({
      outcome: "foreign",
      family: "user",
      firstFailedAt: T - 10_000,
      attempts: 4,
      instanceId: OTHER_INSTANCE,
    });
  });

  test("that fails once its instance is pinned becomes failed (no instance), keeping its first time", async () => {
    const t = await newBackend();
    await pinned(t);
    await t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)));
    vi.stubEnv("CLERK_INSTANCE_ID", OTHER_INSTANCE);
    vi.advanceTimersByTime(1_000);
    vi.spyOn(eventHandlers, "user.updated").mockRejectedValue(new Error("bug"));
    await expect(t.run(async (ctx) => await applyEvent(ctx, "msg_f", fromInstance(OTHER_INSTANCE)))).rejects.toThrow(
      "bug",
    );
    await t.run(async (ctx) => await recordFailure(ctx, "msg_f", fromInstance(OTHER_INSTANCE), "bug"));
    const row = (await rows(t)).find((logged) => logged.svixId === "msg_f")!;
    expect(row).toMatchObject({
      outcome: "failed",
      attempts: 2,
      firstFailedAt: T,
      receivedAt: T + 1_000,
      error: "bug",
    });
    expect(row.instanceId).toBeUndefined();
  });
});

describe("a failed event", () => {
  test("a legacy failed row failing again takes its last delivery as its first-failure time and gets a family", async () => {
    const t = await newBackend();
    await legacyRow(t, "msg_old", "failed", T - 10_000);
    await t.run(async (ctx) => await recordFailure(ctx, "msg_old", fromInstance(INSTANCE_ID), "again"));
    expect((await rows(t))[0]).toMatchObject({
      outcome: "failed",
      family: "user",
      firstFailedAt: T - 10_000,
      receivedAt: T,
      attempts: 4,
    });
    expect(await subjects(t)).toEqual(["msg_old user_2eve"]);
  });

  test("a settled event is left alone by a late failure record; the same payload again writes nothing new", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyEvent(ctx, "msg_ok", fromInstance(INSTANCE_ID)));
    await t.run(async (ctx) => await recordFailure(ctx, "msg_ok", fromInstance(INSTANCE_ID), "late"));
    expect((await rows(t))[0]).toMatchObject({ outcome: "applied", attempts: 1 });
    expect(await subjects(t)).toEqual([]);

    await t.run(async (ctx) => await recordFailure(ctx, "msg_bad", fromInstance(INSTANCE_ID, "user_2a"), "one"));
    await t.run(async (ctx) => await recordFailure(ctx, "msg_bad", fromInstance(INSTANCE_ID, "user_2a"), "two"));
    expect((await subjects(t)).filter((row) => row.startsWith("msg_bad"))).toEqual(["msg_bad user_2a"]);
    // Other bytes for the same message replace the payload and the users it names.
    await t.run(async (ctx) => await recordFailure(ctx, "msg_bad", fromInstance(INSTANCE_ID, "user_2b"), "three"));
    expect((await subjects(t)).filter((row) => row.startsWith("msg_bad"))).toEqual(["msg_bad user_2b"]);
  });
});

describe("retainablePayload", () => {
  test("a body that is not JSON names no one and has no type or timestamp", () => {
    expect(retainablePayload("{not json")).toEqual({ payload: "{not json", type: "", timestamp: null, subjects: [] });
  });

  test("the envelope's timestamp and the users named come with the stripped text", () => {
    const body = JSON.stringify({ type: "user.updated", timestamp: 42, data: { id: "user_2x", private_metadata: {} } });
    expect(retainablePayload(body)).toEqual({
      payload: JSON.stringify({ type: "user.updated", timestamp: 42, data: { id: "user_2x" } }),
      type: "user.updated",
      timestamp: 42,
      subjects: ["user_2x"],
    });
  });
});

describe("storableText at a surrogate pair", () => {
  test("a pair that ends exactly at the cut stays whole", () => {
    expect(storableText("\u{1F600}x", 2)).toBe("\u{1F600}");
  });

  test.each([
    ["the lowest high surrogate", "a\uD800\uDC00"],
    ["the highest high surrogate", "a\uDBFF\uDFFF"],
  ])("a pair cut in half (%s) loses its first half too", (_label, text) => {
    expect(storableText(text, 2)).toBe("a");
  });
});

describe("what a failure keeps of a body", () => {
  test("a body without private metadata is kept byte for byte (its spacing too)", () => {
    const body = '{ "type": "user.updated",  "data": { "id": "user_2x" } }';
    expect(retainablePayload(body).payload).toBe(body);
  });

  test("JSON without a type is logged with an empty type", () => {
    expect(retainablePayload('{"data":{}}')).toMatchObject({ type: "", timestamp: null, subjects: [] });
  });
});

describe("a duplicate of an event logged before families", () => {
  test("gets the family of its type", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("webhookEvents", {
        svixId: "msg_old_applied",
        type: "organizationMembership.created",
        clerkIds: [],
        timestamp: null,
        receivedAt: 1,
        outcome: "applied",
        attempts: 1,
      });
    });
    expect(await t.run(async (ctx) => await applyEvent(ctx, "msg_old_applied", "{}"))).toBe("duplicate");
    expect((await rows(t)).map((row) => [row.outcome, row.family])).toEqual([
      ["applied", undefined],
      ["duplicate", "organizationMembership"],
    ]);
  });
});
