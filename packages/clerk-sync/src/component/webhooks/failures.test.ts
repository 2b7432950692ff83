import { describe, expect, test } from "vitest";
import { userEvent } from "../../../../../test/clerkEvents.js";
import { newBackend, newSvixId, type Backend } from "../../../../../test/component/backend.js";
import { applyEvent, recordFailure } from "./ingest.js";

async function eventLog(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
}

/** The payloads kept for failed events (their own table, never read by the log or sync health). */
async function keptPayloads(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("failedPayloads").collect()).map(({ svixId, payload }) => ({ svixId, payload })),
  );
}

// recordFailure runs in a transaction of its own after the apply mutation threw (invariant 4).
describe("recordFailure", () => {
  test("a first failure is kept with its type and error, and its payload less private data in a table of its own", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    const payload = JSON.stringify(userEvent("user.created"));
    const before = Date.now();
    await t.run(async (ctx) => await recordFailure(ctx, svixId, payload, "boom"));
    const rows = await eventLog(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      svixId,
      type: "user.created",
      clerkIds: [],
      timestamp: null,
      outcome: "failed",
      attempts: 1,
      error: "boom",
    });
    expect(rows[0]?.payload).toBeUndefined();
    const event = JSON.parse(payload) as { data: Record<string, unknown> };
    delete event.data.private_metadata;
    delete event.data.unsafe_metadata;
    expect(await keptPayloads(t)).toEqual([{ svixId, payload: JSON.stringify(event) }]);
    expect(rows[0]?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  test("a body that is not JSON is kept with an empty type", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    await t.run(async (ctx) => await recordFailure(ctx, svixId, "{not json", "event: the body is not JSON"));
    expect((await eventLog(t))[0]).toMatchObject({ type: "" });
    expect(await keptPayloads(t)).toEqual([{ svixId, payload: "{not json" }]);
  });

  test("the error is cut to 2,000 characters; one of exactly 2,000 is kept whole", async () => {
    const t = await newBackend();
    const exact = "e".repeat(2_000);
    const longer = `${"x".repeat(2_000)}TAIL`;
    await t.run(async (ctx) => {
      await recordFailure(ctx, "msg_exact", "{}", exact);
      await recordFailure(ctx, "msg_longer", "{}", longer);
    });
    const rows = await eventLog(t);
    expect(rows.find((row) => row.svixId === "msg_exact")?.error).toBe(exact);
    expect(rows.find((row) => row.svixId === "msg_longer")?.error).toBe("x".repeat(2_000));
  });

  test("a failure that fails again counts the attempt and keeps the latest error and payload", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    await t.run(async (ctx) => await recordFailure(ctx, svixId, '{"type":"user.created"}', "first"));
    const [first] = await eventLog(t);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.run(async (ctx) => await recordFailure(ctx, svixId, '{"type":"user.updated"}', "second"));
    const rows = await eventLog(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: "failed",
      attempts: 2,
      error: "second",
      // The type stays the one first logged.
      type: "user.created",
    });
    expect(await keptPayloads(t)).toEqual([{ svixId, payload: '{"type":"user.updated"}' }]);
    expect(rows[0]?.receivedAt).toBeGreaterThan(first!.receivedAt);
  });

  test("a concurrent delivery that applied the message meanwhile: the failure records nothing", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    const applied = {
      svixId,
      type: "user.created",
      clerkIds: ["user_1"],
      timestamp: 1_760_000_000_000,
      receivedAt: 1_760_000_000_100,
      outcome: "applied" as const,
      attempts: 1,
    };
    await t.run(async (ctx) => {
      await ctx.db.insert("webhookEvents", applied);
    });
    await t.run(async (ctx) => await recordFailure(ctx, svixId, "{}", "lost the race"));
    const rows = await eventLog(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(applied);
    expect(rows[0]?.error).toBeUndefined();
    expect(await keptPayloads(t)).toEqual([]);
  });
});

describe("applyEvent on what a verified body can hold", () => {
  test("a body that is not JSON is answered not_json and writes nothing", async () => {
    const t = await newBackend();
    expect(await t.run(async (ctx) => await applyEvent(ctx, newSvixId(), "{not json"))).toBe("not_json");
    expect(await eventLog(t)).toEqual([]);
    expect(await keptPayloads(t)).toEqual([]);
  });

  test("an event type Roster does not handle, without data.id, is logged as ignored with no Clerk id", async () => {
    const t = await newBackend();
    const svixId = newSvixId();
    const body = JSON.stringify({ type: "totally.unknown", data: { object: "thing" }, timestamp: 1_760_000_000_000 });
    expect(await t.run(async (ctx) => await applyEvent(ctx, svixId, body))).toBe("ignored");
    expect(await eventLog(t)).toMatchObject([{ svixId, type: "totally.unknown", outcome: "ignored", clerkIds: [] }]);
  });
});
