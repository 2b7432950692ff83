import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { INSTANCE_ID, userEvent } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import { computeSyncHealth } from "../model/eventLog.js";

const DEV_INSTANCE = "ins_2devInstanceOther000000000";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function fromInstance(instanceId: string, overrides: Record<string, unknown> = {}) {
  return {
    ...userEvent("user.updated", { updated_at: 1_760_000_100_000, first_name: "Eve", ...overrides }),
    instance_id: instanceId,
  };
}

/** Sync health as the engine computes it (Roster's admin page gates who may read it). */
async function health(t: Backend) {
  return await t.run(async (ctx) => await computeSyncHealth(ctx, Date.now()));
}

describe("the Clerk instance", () => {
  test("is pinned by the first verified event, and an event from another instance is not applied", async () => {
    const t = await newBackend();
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await t.query(internal.webhooks.instance.pinned, {})).toBeNull();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({
      instanceId: INSTANCE_ID,
      source: "first_event",
      pinnedAt: expect.any(Number),
    });
    expect(info).toHaveBeenCalledWith(expect.stringContaining(INSTANCE_ID));

    // A dev instance wired to this deployment: answered 2xx (Svix would disable the endpoint), not applied.
    expect(await deliver(t, fromInstance(DEV_INSTANCE), { svixId: "msg_foreign" })).toEqual({
      status: 200,
      outcome: "foreign",
    });
    const user = await t.run(async (ctx) => await ctx.db.query("users").unique());
    expect(user?.firstName).toBe("Ada");
    const row = await t.run(
      async (ctx) =>
        await ctx.db
          .query("webhookEvents")
          .withIndex("by_svixId", (q) => q.eq("svixId", "msg_foreign"))
          .unique(),
    );
    expect(row).toMatchObject({ outcome: "foreign", type: "user.updated", instanceId: DEV_INSTANCE, clerkIds: [] });
    expect(row?.error).toContain(DEV_INSTANCE);
    expect(warned).toHaveBeenCalledWith(expect.stringContaining(DEV_INSTANCE));
    // Its payload is kept, as a failed event's, to apply once the pin is corrected.
    expect(
      (await t.run(async (ctx) => await ctx.db.query("failedPayloads").collect())).map((kept) => kept.svixId),
    ).toEqual(["msg_foreign"]);
    // Redelivered, it is checked again: still foreign, still one row, still not applied.
    expect(await deliver(t, fromInstance(DEV_INSTANCE), { svixId: "msg_foreign" })).toMatchObject({
      outcome: "foreign",
    });
    expect(
      await t.run(async (ctx) =>
        (await ctx.db.query("webhookEvents").collect()).filter((logged) => logged.svixId === "msg_foreign"),
      ),
    ).toMatchObject([{ outcome: "foreign", attempts: 2 }]);

    // Sync health shows the pinned instance and warns about the foreign event.
    expect(await health(t)).toMatchObject({
      instance: { instanceId: INSTANCE_ID, source: "first_event" },
      foreignTotal: 1,
      lastForeign: { instanceId: DEV_INSTANCE, at: expect.any(Number) },
    });

    // The pinned instance's own events still apply, and the pin is written only once.
    expect(await deliver(t, fromInstance(INSTANCE_ID))).toEqual({ status: 200, outcome: "applied" });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkInstance").collect())).toHaveLength(1);
  });

  test("CLERK_INSTANCE_ID pins it before any event, and nothing is written to pin it", async () => {
    vi.stubEnv("CLERK_INSTANCE_ID", DEV_INSTANCE);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await newBackend();
    expect(await t.query(internal.webhooks.instance.pinned, {})).toEqual({
      instanceId: DEV_INSTANCE,
      source: "env",
      pinnedAt: null,
    });
    expect(await deliver(t, userEvent("user.created"))).toEqual({ status: 200, outcome: "foreign" });
    expect(await deliver(t, fromInstance(DEV_INSTANCE))).toEqual({ status: 200, outcome: "applied" });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkInstance").collect())).toEqual([]);
  });

  test("an event without an instance_id cannot be checked: it applies and pins nothing", async () => {
    const t = await newBackend();
    const event: Record<string, unknown> = userEvent("user.created");
    delete event.instance_id;
    expect(await deliver(t, event)).toEqual({ status: 200, outcome: "applied" });
    expect(await t.query(internal.webhooks.instance.pinned, {})).toBeNull();
  });

  test("sync health says when no instance is pinned and nothing is foreign", async () => {
    vi.spyOn(console, "info").mockImplementation(() => {});
    const t = await newBackend();
    expect(await health(t)).toMatchObject({ instance: null, foreignTotal: 0, lastForeign: null });
  });
});
