import { describe, expect, test } from "vitest";
import { userEvent } from "../../test/clerkEvents";
import { newBackend, newSvixId, type Backend } from "../../test/convex";
import { applyEvent, recordFailure } from "./ingest";

async function eventLog(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
}

// recordFailure runs in a transaction of its own after the apply mutation threw (invariant 4).
describe("recordFailure", () => {
  test("a first failure is kept with its type, error and exact payload", async () => {
    const t = newBackend();
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
      payload,
    });
    expect(rows[0]?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  test("a body that is not JSON is kept with an empty type", async () => {
    const t = newBackend();
    await t.run(async (ctx) => await recordFailure(ctx, newSvixId(), "{not json", "event: the body is not JSON"));
    expect((await eventLog(t))[0]).toMatchObject({ type: "", payload: "{not json" });
  });

  test("the error is cut to 2,000 characters; one of exactly 2,000 is kept whole", async () => {
    const t = newBackend();
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
    const t = newBackend();
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
      payload: '{"type":"user.updated"}',
      // The type stays the one first logged.
      type: "user.created",
    });
    expect(rows[0]?.receivedAt).toBeGreaterThan(first!.receivedAt);
  });

  test("a concurrent delivery that applied the message meanwhile: the failure records nothing", async () => {
    const t = newBackend();
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
    expect(rows[0]?.payload).toBeUndefined();
  });
});

describe("applyEvent on what a verified body can hold", () => {
  test("a body that is not JSON throws a PayloadError and writes nothing", async () => {
    const t = newBackend();
    await expect(t.run(async (ctx) => await applyEvent(ctx, newSvixId(), "{not json"))).rejects.toThrow(
      "event: the body is not JSON",
    );
    expect(await eventLog(t)).toEqual([]);
  });

  test("an event type Roster does not handle, without data.id, is logged as ignored with no Clerk id", async () => {
    const t = newBackend();
    const svixId = newSvixId();
    const body = JSON.stringify({ type: "totally.unknown", data: { object: "thing" }, timestamp: 1_760_000_000_000 });
    expect(await t.run(async (ctx) => await applyEvent(ctx, svixId, body))).toBe("ignored");
    expect(await eventLog(t)).toMatchObject([{ svixId, type: "totally.unknown", outcome: "ignored", clerkIds: [] }]);
  });
});
