import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { INSTANCE_ID, primaryEmail, userEvent } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import {
  FAKE_FRONTEND_API,
  loopbackFetch,
  startFakeClerkApi,
  type FakeClerkApi,
} from "../../../../../test/fakeClerkApi.js";
import { internal } from "../_generated/api.js";
import { computeSyncHealth } from "../model/eventLog.js";
import { pinProblems } from "./instance.js";
import { eventHandlers } from "./registry.js";

/** The instance CLERK_SECRET_KEY belongs to, as the fake Clerk answers GET /v1/instance. */
const KEY_INSTANCE = "ins_2keyInstanceReal0000000000";
/** Another instance wired to the same endpoint (a dev instance). */
const OTHER_INSTANCE = "ins_2otherInstance00000000000";

let clerk: FakeClerkApi | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("fetch", loopbackFetch);
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await clerk?.close();
  clerk = undefined;
});

/** A fake Clerk whose secret key belongs to KEY_INSTANCE, wired in as CLERK_SECRET_KEY and CLERK_API_URL. */
async function withSecretKey(issuer = FAKE_FRONTEND_API) {
  clerk = await startFakeClerkApi({ users: [], organizations: [], memberships: [], instanceId: KEY_INSTANCE });
  vi.stubEnv("CLERK_SECRET_KEY", clerk.secretKey);
  vi.stubEnv("CLERK_API_URL", clerk.url);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", issuer);
}

/** A user.created from `instanceId` for user `id`. */
function created(instanceId: string, id: string, firstName = "Eve") {
  return {
    ...userEvent("user.created", { id, first_name: firstName, ...primaryEmail(`${id}@example.com`, id) }),
    instance_id: instanceId,
  };
}

async function finish(t: Backend) {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 100);
}

async function userIds(t: Backend) {
  return await t.run(async (ctx) => (await ctx.db.query("users").collect()).map((user) => user.clerkId).sort());
}

async function outcomes(t: Backend) {
  return await t.run(async (ctx) =>
    Object.fromEntries((await ctx.db.query("webhookEvents").collect()).map((row) => [row.svixId, row.outcome])),
  );
}

async function keptIds(t: Backend) {
  return await t.run(async (ctx) => (await ctx.db.query("failedPayloads").collect()).map((kept) => kept.svixId).sort());
}

/** Sync health as the engine computes it (Roster's admin page gates who may read it). */
async function syncHealth(t: Backend) {
  return await t.run(async (ctx) => await computeSyncHealth(ctx, Date.now()));
}

describe("with CLERK_SECRET_KEY set, the pin comes from Clerk", () => {
  test("the first event pins nothing: the instance check asks Clerk (GET /v1/instance) and pins the key's instance", async () => {
    await withSecretKey();
    const t = await newBackend();
    // What `npm run webhook` used to send: the catalog's made-up instance.
    expect(await deliver(t, created(INSTANCE_ID, "user_2madeup"), { svixId: "msg_madeup" })).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await t.query(internal.webhooks.instance.pinned, {})).toBeNull();
    await finish(t);
    expect(clerk!.requests.map((request) => request.path)).toEqual(["/v1/instance", "/v1/domains"]);
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({
      instanceId: KEY_INSTANCE,
      source: "secret_key",
    });
    // The made-up instance's events are foreign now; the key's own apply.
    expect(await deliver(t, created(INSTANCE_ID, "user_2madeup2"))).toMatchObject({ outcome: "foreign" });
    expect(await deliver(t, created(KEY_INSTANCE, "user_2real"))).toMatchObject({ outcome: "applied" });
    // One check was asked for, however many events arrived before it ran.
    expect(await t.run(async (ctx) => (await ctx.db.query("clerkInstanceChecks").collect()).length)).toBe(1);
  });

  test("a pin that disagrees with the key's instance: sync health names it and the fix; repin pins the key's and applies the kept events", async () => {
    const t = await newBackend();
    // Pinned by a made-up instance before the key was set (what `npm run webhook` did).
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await withSecretKey();
    // The real instance's events: answered 200 foreign, and kept.
    await deliver(t, created(KEY_INSTANCE, "user_2real1"), { svixId: "msg_real1" });
    await deliver(t, created(KEY_INSTANCE, "user_2real2"), { svixId: "msg_real2" });
    expect(await keptIds(t)).toEqual(["msg_real1", "msg_real2"]);

    await t.action(internal.webhooks.instance.check, {});
    const health = await syncHealth(t);
    expect(health.instance).toMatchObject({ instanceId: INSTANCE_ID, source: "first_event" });
    expect(health.pin).toMatchObject({ hasSecretKey: true, check: { keyInstanceId: KEY_INSTANCE } });
    expect(health.pin.problems).toHaveLength(1);
    expect(health.pin.problems[0]!.what).toContain(KEY_INSTANCE);
    expect(health.pin.problems[0]!.fix).toContain("npx convex run webhooks/instance:repin");

    expect(await t.action(internal.webhooks.instance.repin, {})).toEqual({
      instanceId: KEY_INSTANCE,
      previous: INSTANCE_ID,
    });
    await finish(t);
    expect(await userIds(t)).toEqual(["user_2madeup", "user_2real1", "user_2real2"]);
    expect(await outcomes(t)).toMatchObject({ msg_real1: "applied", msg_real2: "applied" });
    expect(await keptIds(t)).toEqual([]);
    expect((await syncHealth(t)).pin.problems).toEqual([]);
  });

  test("repin refuses an instance id other than the key's, and a check that cannot reach Clerk", async () => {
    await withSecretKey();
    const t = await newBackend();
    await expect(t.action(internal.webhooks.instance.repin, { instanceId: OTHER_INSTANCE })).rejects.toThrow(
      /belongs to ins_2keyInstanceReal0000000000, not ins_2otherInstance/,
    );
    // The check it made pinned the key's instance (nothing was pinned), never the one named.
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({ instanceId: KEY_INSTANCE });
    clerk!.failNext(2, 401);
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toThrow(/CLERK_SECRET_KEY was refused/);
    // Sync health shows why the check failed, and what to do.
    expect((await t.query(internal.webhooks.instance.status, {})).problems).toEqual([
      {
        what: expect.stringContaining("CLERK_SECRET_KEY was refused"),
        fix: "Check CLERK_SECRET_KEY (and CLERK_API_URL), then run `npx convex run webhooks/instance:check`.",
      },
    ]);
  });

  test("a JWT issuer that is not one of the key's domains is reported, with the fix", async () => {
    await withSecretKey("https://another-otter-34.clerk.accounts.dev");
    const t = await newBackend();
    const status = await t.action(internal.webhooks.instance.check, {});
    expect(status.pinned).toMatchObject({ instanceId: KEY_INSTANCE });
    expect(status.problems).toEqual([
      {
        what: expect.stringContaining("another-otter-34.clerk.accounts.dev"),
        fix: `npx convex env set CLERK_JWT_ISSUER_DOMAIN https://${new URL(FAKE_FRONTEND_API).host}   (or set CLERK_SECRET_KEY to the key of another-otter-34.clerk.accounts.dev)`,
      },
    ]);
  });

  test("CLERK_INSTANCE_ID that disagrees with the key: the fix is to set it, and repin says so", async () => {
    await withSecretKey();
    vi.stubEnv("CLERK_INSTANCE_ID", OTHER_INSTANCE);
    const t = await newBackend();
    const status = await t.action(internal.webhooks.instance.check, {});
    expect(status.problems.map((problem) => problem.fix)).toEqual([
      `npx convex env set CLERK_INSTANCE_ID ${KEY_INSTANCE}, then npx convex run webhooks/instance:repin (applies the kept events)`,
    ]);
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toThrow(
      `npx convex env set CLERK_INSTANCE_ID ${KEY_INSTANCE}`,
    );
  });
});

describe("without CLERK_SECRET_KEY, the operator confirms one of the foreign instances seen", () => {
  test("repin lists them; confirming one pins it and applies its kept events", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await deliver(t, created(KEY_INSTANCE, "user_2real1"), { svixId: "msg_real1" });
    await deliver(t, created(OTHER_INSTANCE, "user_2other"), { svixId: "msg_other" });
    expect(await t.query(internal.webhooks.instance.status, {})).toMatchObject({
      hasSecretKey: false,
      check: null,
      foreignInstanceIds: [KEY_INSTANCE, OTHER_INSTANCE].sort(),
      problems: [],
    });
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toMatchObject({
      data: {
        message:
          "CLERK_SECRET_KEY is not set, so Clerk cannot say which instance is yours. The foreign instances seen: " +
          `${KEY_INSTANCE}, ${OTHER_INSTANCE}. Confirm one: npx convex run webhooks/instance:repin '{"instanceId": "${KEY_INSTANCE}"}'`,
      },
    });
    await expect(t.action(internal.webhooks.instance.repin, { instanceId: "ins_2typo" })).rejects.toThrow(
      `No event from ins_2typo is kept as foreign. Pin one of the instances seen: ${KEY_INSTANCE}, ${OTHER_INSTANCE}.`,
    );

    expect(await t.action(internal.webhooks.instance.repin, { instanceId: KEY_INSTANCE })).toEqual({
      instanceId: KEY_INSTANCE,
      previous: INSTANCE_ID,
    });
    await finish(t);
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({
      instanceId: KEY_INSTANCE,
      source: "operator",
    });
    expect(await outcomes(t)).toMatchObject({ msg_real1: "applied", msg_other: "foreign" });
    expect(await keptIds(t)).toEqual(["msg_other"]);
    expect((await t.query(internal.webhooks.instance.status, {})).foreignInstanceIds).toEqual([OTHER_INSTANCE]);
  });
});

describe("pinProblems", () => {
  const check = {
    checkedAt: 1,
    keyInstanceId: KEY_INSTANCE,
    keyHosts: ["a.clerk.accounts.dev", "b.example"],
    error: null,
  };
  const pin = (source: "env" | "first_event" | "secret_key" | "operator", instanceId = INSTANCE_ID) => ({
    instanceId,
    source,
    pinnedAt: null,
  });

  test("nothing to say before a check, or when the pin, the key and the issuer agree", () => {
    expect(pinProblems(pin("first_event"), null, "x.example")).toEqual([]);
    expect(pinProblems(pin("secret_key", KEY_INSTANCE), check, "b.example")).toEqual([]);
    // Nothing pinned yet, no issuer set, or no domains listed: nothing to compare.
    expect(pinProblems(null, check, null)).toEqual([]);
    expect(pinProblems(pin("operator", KEY_INSTANCE), { ...check, keyHosts: [] }, "x.example")).toEqual([]);
    expect(pinProblems(pin("operator"), { ...check, keyInstanceId: null }, "a.clerk.accounts.dev")).toEqual([]);
  });

  test.each([
    ["first_event", "by the first verified event"],
    ["secret_key", "the secret key's instance"],
    ["operator", "confirmed by an operator"],
  ] as const)("a %s pin that is not the key's names where it came from and the repin fix", (source, label) => {
    expect(pinProblems(pin(source), check, null)).toEqual([
      {
        what: `Webhooks are pinned to Clerk instance ${INSTANCE_ID} (${label}), but CLERK_SECRET_KEY belongs to ${KEY_INSTANCE}: its events are answered "foreign" and kept, not applied.`,
        fix: `npx convex run webhooks/instance:repin (or "Pin to the secret key's instance" on the admin page): pins ${KEY_INSTANCE} and applies the kept events`,
      },
    ]);
  });

  test("CLERK_INSTANCE_ID's pin says so; both problems at once; a failed check says only why", () => {
    const both = pinProblems(pin("env"), check, "x.example");
    expect(both.map((problem) => problem.what)).toEqual([
      `Webhooks are pinned to Clerk instance ${INSTANCE_ID} (CLERK_INSTANCE_ID), but CLERK_SECRET_KEY belongs to ${KEY_INSTANCE}: its events are answered "foreign" and kept, not applied.`,
      "CLERK_JWT_ISSUER_DOMAIN (x.example) is not a domain Clerk lists for CLERK_SECRET_KEY's instance (a.clerk.accounts.dev, b.example): users sign in with one Clerk instance and webhooks come from another.",
    ]);
    expect(pinProblems(pin("env"), { ...check, error: "Clerk said no" }, "x.example")).toEqual([
      {
        what: "The instance check could not ask Clerk which instance CLERK_SECRET_KEY belongs to: Clerk said no",
        fix: "Check CLERK_SECRET_KEY (and CLERK_API_URL), then run `npx convex run webhooks/instance:check`.",
      },
    ]);
  });
});

describe("the instance check and corrections, at their edges", () => {
  test("a row pinned before pins had a source reads as the first event's", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("clerkInstance", { instanceId: INSTANCE_ID, pinnedAt: 5, svixId: "msg_first" });
    });
    expect(await t.query(internal.webhooks.instance.pinned, {})).toEqual({
      instanceId: INSTANCE_ID,
      source: "first_event",
      pinnedAt: 5,
    });
  });

  test("the key's instance named is taken; the check pins only once and says so; satellite domains count", async () => {
    await withSecretKey("https://satellite-1.example.com");
    clerk!.data.satellites = Array.from({ length: 25 }, (_, i) => `https://satellite-${i}.example.com`);
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const t = await newBackend();
    expect(await t.action(internal.webhooks.instance.repin, { instanceId: KEY_INSTANCE })).toMatchObject({
      instanceId: KEY_INSTANCE,
    });
    expect(info).toHaveBeenCalledWith(
      `Pinned Clerk instance ${KEY_INSTANCE} (CLERK_SECRET_KEY's, as Clerk's Backend API says).`,
    );
    const status = await t.action(internal.webhooks.instance.check, {});
    expect(await t.run(async (ctx) => (await ctx.db.query("clerkInstance").collect()).length)).toBe(1);
    // The issuer is one of the key's domains (a satellite); at most 20 are kept.
    expect(status.problems).toEqual([]);
    expect(status.check?.keyHosts).toHaveLength(20);
    expect(status.check?.keyHosts[0]).toBe(new URL(FAKE_FRONTEND_API).host);
  });

  test("without a key the check asks Clerk nothing and stores nothing; a key removed later hides the old check", async () => {
    const t = await newBackend();
    expect(await t.action(internal.webhooks.instance.check, {})).toEqual({
      pinned: null,
      hasSecretKey: false,
      check: null,
      foreignInstanceIds: [],
      problems: [],
    });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkInstanceChecks").collect())).toEqual([]);
    await withSecretKey();
    await t.action(internal.webhooks.instance.check, {});
    vi.advanceTimersByTime(5_000);
    const second = await t.action(internal.webhooks.instance.check, {});
    // One row, its time moved on; the pin the first check made is left as it is.
    const stored = await t.run(async (ctx) => await ctx.db.query("clerkInstanceChecks").collect());
    expect(stored).toHaveLength(1);
    expect(second.check?.checkedAt).toBe(stored[0]!.checkedAt);
    expect(stored[0]!.checkedAt).toBeGreaterThan(stored[0]!.requestedAt);
    expect(second.pinned).toMatchObject({ instanceId: KEY_INSTANCE, source: "secret_key" });
    expect(second.check?.keyHosts).toEqual([new URL(FAKE_FRONTEND_API).host]);
    vi.stubEnv("CLERK_SECRET_KEY", "");
    expect(await t.query(internal.webhooks.instance.status, {})).toMatchObject({ hasSecretKey: false, check: null });
  });

  test("an instance answer without an ins_ id is no answer", async () => {
    await withSecretKey();
    clerk!.data.instanceId = "not-an-instance";
    const t = await newBackend();
    const status = await t.action(internal.webhooks.instance.check, {});
    expect(status.pinned).toBeNull();
    expect(status.check).toMatchObject({ keyInstanceId: null, keyHosts: [] });
    expect(status.problems[0]!.what).toContain("GET /v1/instance without an instance id");
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toThrow(
      /Could not ask Clerk which instance CLERK_SECRET_KEY belongs to: .*without an instance id/,
    );
  });

  test("without a key and nothing foreign, repin says there is nothing to correct", async () => {
    const t = await newBackend();
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toThrow(
      "CLERK_SECRET_KEY is not set and no event is kept as foreign: nothing to correct.",
    );
    await expect(t.action(internal.webhooks.instance.repin, { instanceId: KEY_INSTANCE })).rejects.toThrow(
      `No event from ${KEY_INSTANCE} is kept as foreign: nothing to pin it for.`,
    );
  });

  test("at most 20 foreign instances are listed, in id order", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    const ids = Array.from({ length: 22 }, (_, i) => `ins_2many${String(i).padStart(2, "0")}`);
    for (const id of ids) await deliver(t, created(id, `user_2u${id.slice(-2)}`));
    expect((await t.query(internal.webhooks.instance.status, {})).foreignInstanceIds).toEqual(ids.slice(0, 20));
  });

  test("repinning the instance already pinned writes nothing and logs no change, but still applies what is kept", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    await deliver(t, created(KEY_INSTANCE, "user_2kept"), { svixId: "msg_kept" });
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await t.action(internal.webhooks.instance.repin, { instanceId: KEY_INSTANCE })).toEqual({
      instanceId: KEY_INSTANCE,
      previous: INSTANCE_ID,
    });
    expect(warned).toHaveBeenCalledWith(
      `Clerk instance pin corrected: ${INSTANCE_ID} → ${KEY_INSTANCE} (confirmed by an operator).`,
    );
    const pinnedAt = (await t.run(async (ctx) => await ctx.db.query("clerkInstance").unique()))!.pinnedAt;
    await finish(t);
    // Another event from the old instance, then the same pin confirmed again.
    await deliver(t, created(INSTANCE_ID, "user_2late"), { svixId: "msg_late" });
    warned.mockClear();
    vi.advanceTimersByTime(1_000);
    await expect(t.action(internal.webhooks.instance.repin, { instanceId: INSTANCE_ID })).resolves.toMatchObject({
      instanceId: INSTANCE_ID,
    });
    await finish(t);
    expect(await outcomes(t)).toMatchObject({ msg_kept: "applied", msg_late: "applied" });
    expect((await t.run(async (ctx) => await ctx.db.query("clerkInstance").collect())).length).toBe(1);
    expect(pinnedAt).toBeLessThan((await t.run(async (ctx) => await ctx.db.query("clerkInstance").unique()))!.pinnedAt);
  });

  test("CLERK_INSTANCE_ID set to the instance chosen: nothing is written, and the kept events apply", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    await deliver(t, created(KEY_INSTANCE, "user_2kept"), { svixId: "msg_kept" });
    vi.stubEnv("CLERK_INSTANCE_ID", KEY_INSTANCE);
    expect(await t.action(internal.webhooks.instance.repin, { instanceId: KEY_INSTANCE })).toEqual({
      instanceId: KEY_INSTANCE,
      previous: KEY_INSTANCE,
    });
    await finish(t);
    expect(await outcomes(t)).toMatchObject({ msg_kept: "applied" });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkInstance").unique())).toMatchObject({
      instanceId: INSTANCE_ID,
      source: "first_event",
    });
  });

  test("kept foreign events apply in batches of 20, each scheduling the next; one without a payload is counted as not applied", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    for (let i = 0; i < 25; i += 1) await deliver(t, created(KEY_INSTANCE, `user_2k${i}`), { svixId: `msg_k${i}` });
    await t.run(async (ctx) => {
      const kept = await ctx.db
        .query("failedPayloads")
        .withIndex("by_svixId", (q) => q.eq("svixId", "msg_k3"))
        .unique();
      await ctx.db.delete("failedPayloads", kept!._id);
    });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    await t.mutation(internal.webhooks.instance.pinTo, { instanceId: KEY_INSTANCE, source: "operator" });
    await finish(t);
    const lines = info.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith("Kept events"));
    expect(lines).toEqual([
      `Kept events from Clerk instance ${KEY_INSTANCE}: 19 applied, 1 not (failed, still foreign, or no payload kept).`,
      `Kept events from Clerk instance ${KEY_INSTANCE}: 5 applied, 0 not (failed, still foreign, or no payload kept).`,
    ]);
    const all = await outcomes(t);
    expect(Object.values(all).filter((outcome) => outcome === "applied")).toHaveLength(25);
    expect(all.msg_k3).toBe("foreign");
    expect(
      await t.action(internal.webhooks.instance.applyKeptForeign, { instanceId: KEY_INSTANCE, cursor: null }),
    ).toEqual({ applied: 0, notApplied: 1, isDone: true });
  });
});

describe("the instance pin's answers, by code", () => {
  test("each refusal carries its code", async () => {
    const t = await newBackend();
    const codeOf = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        return (error as { data?: { code?: string } }).data?.code;
      }
      return "no error";
    };
    expect(await codeOf(t.action(internal.webhooks.instance.repin, {}))).toBe("NAME_THE_INSTANCE");
    expect(await codeOf(t.action(internal.webhooks.instance.repin, { instanceId: "ins_2none" }))).toBe(
      "UNKNOWN_INSTANCE",
    );
    await withSecretKey();
    expect(await codeOf(t.action(internal.webhooks.instance.repin, { instanceId: OTHER_INSTANCE }))).toBe(
      "NOT_THE_KEYS_INSTANCE",
    );
    vi.stubEnv("CLERK_INSTANCE_ID", OTHER_INSTANCE);
    expect(await codeOf(t.action(internal.webhooks.instance.repin, {}))).toBe("PINNED_BY_ENV");
    clerk!.failNext(1, 401);
    expect(await codeOf(t.action(internal.webhooks.instance.repin, {}))).toBe("CHECK_FAILED");
  });

  test("with a key, the key's instance is pinned even when none of its events is kept", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await withSecretKey();
    expect(await t.query(internal.webhooks.instance.status, {})).toMatchObject({ foreignInstanceIds: [] });
    expect(await t.action(internal.webhooks.instance.repin, {})).toEqual({
      instanceId: KEY_INSTANCE,
      previous: INSTANCE_ID,
    });
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({
      instanceId: KEY_INSTANCE,
      source: "secret_key",
    });
  });

  test("pinning with nothing pinned before says there was none; pinning the same again changes nothing", async () => {
    const t = await newBackend();
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(
      await t.mutation(internal.webhooks.instance.pinTo, { instanceId: KEY_INSTANCE, source: "secret_key" }),
    ).toEqual({ instanceId: KEY_INSTANCE, previous: null });
    expect(warned).toHaveBeenCalledWith(
      `Clerk instance pin corrected: none → ${KEY_INSTANCE} (the secret key's instance).`,
    );
    const before = await t.run(async (ctx) => await ctx.db.query("clerkInstance").unique());
    warned.mockClear();
    vi.advanceTimersByTime(1_000);
    await t.mutation(internal.webhooks.instance.pinTo, { instanceId: KEY_INSTANCE, source: "secret_key" });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkInstance").unique())).toEqual(before);
    expect(warned).not.toHaveBeenCalled();
  });

  test("a check asked for by the first event is pending until it runs; events before it ask for no other", async () => {
    await withSecretKey();
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    await deliver(t, created(INSTANCE_ID, "user_2second"));
    expect(await t.run(async (ctx) => (await ctx.db.query("clerkInstanceChecks").collect()).length)).toBe(1);
    const pending = await t.run(async (ctx) => await ctx.db.system.query("_scheduled_functions").collect());
    expect(pending.filter((job) => job.name === "webhooks/instance:check")).toHaveLength(1);
    expect((await t.query(internal.webhooks.instance.status, {})).check).toEqual({
      checkedAt: null,
      keyInstanceId: null,
      keyHosts: [],
      error: null,
    });
  });

  test("kept events that fail, or are still foreign, are counted as not applied; an empty batch logs nothing", async () => {
    const t = await newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2first"));
    await deliver(t, created(KEY_INSTANCE, "user_2k"), { svixId: "msg_k" });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    // Not pinned yet: it is still foreign.
    expect(
      await t.action(internal.webhooks.instance.applyKeptForeign, { instanceId: KEY_INSTANCE, cursor: null }),
    ).toEqual({ applied: 0, notApplied: 1, isDone: true });
    vi.stubEnv("CLERK_INSTANCE_ID", KEY_INSTANCE);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("bug"));
    expect(
      await t.action(internal.webhooks.instance.applyKeptForeign, { instanceId: KEY_INSTANCE, cursor: null }),
    ).toEqual({ applied: 0, notApplied: 1, isDone: true });
    broken.mockRestore();
    expect(await outcomes(t)).toMatchObject({ msg_k: "failed" });
    info.mockClear();
    expect(
      await t.action(internal.webhooks.instance.applyKeptForeign, { instanceId: KEY_INSTANCE, cursor: null }),
    ).toEqual({ applied: 0, notApplied: 0, isDone: true });
    expect(info).not.toHaveBeenCalled();
  });
});
