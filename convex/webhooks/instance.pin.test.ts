import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, INSTANCE_ID, primaryEmail, userEvent } from "../../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../../test/convex";
import { FAKE_FRONTEND_API, loopbackFetch, startFakeClerkApi, type FakeClerkApi } from "../../test/fakeClerkApi";
import { api, internal } from "../_generated/api";

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

/** Ada, an app admin, for the admin page's functions. */
async function asAdmin(t: Backend) {
  await t.run(async (ctx) => {
    await ctx.db.insert("users", {
      clerkId: ADA,
      clerkVersion: 1,
      email: null,
      phone: null,
      username: null,
      firstName: "Ada",
      lastName: null,
      imageUrl: null,
      publicMetadata: JSON.stringify({ rosterAdmin: true }),
    });
  });
  return t.withIdentity({ subject: ADA, issuer: FAKE_FRONTEND_API });
}

describe("with CLERK_SECRET_KEY set, the pin comes from Clerk", () => {
  test("the first event pins nothing: the instance check asks Clerk (GET /v1/instance) and pins the key's instance", async () => {
    await withSecretKey();
    const t = newBackend();
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
    const t = newBackend();
    // Pinned by a made-up instance before the key was set (what `npm run webhook` did).
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await withSecretKey();
    // The real instance's events: answered 200 foreign, and kept.
    await deliver(t, created(KEY_INSTANCE, "user_2real1"), { svixId: "msg_real1" });
    await deliver(t, created(KEY_INSTANCE, "user_2real2"), { svixId: "msg_real2" });
    expect(await keptIds(t)).toEqual(["msg_real1", "msg_real2"]);

    await t.action(internal.webhooks.instance.check, {});
    const admin = await asAdmin(t);
    const health = await admin.query(api.admin.syncHealth, {});
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
    expect(await userIds(t)).toEqual([ADA, "user_2madeup", "user_2real1", "user_2real2"].sort());
    expect(await outcomes(t)).toMatchObject({ msg_real1: "applied", msg_real2: "applied" });
    expect(await keptIds(t)).toEqual([]);
    expect((await admin.query(api.admin.syncHealth, {})).pin.problems).toEqual([]);
  });

  test("the admin page's button schedules the same correction", async () => {
    const t = newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await withSecretKey();
    await deliver(t, created(KEY_INSTANCE, "user_2real1"));
    const admin = await asAdmin(t);
    expect(await admin.mutation(api.admin.correctInstancePin, {})).toBe("scheduled");
    await finish(t);
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({ instanceId: KEY_INSTANCE });
    expect(await userIds(t)).toContain("user_2real1");
  });

  test("repin refuses an instance id other than the key's, and a check that cannot reach Clerk", async () => {
    await withSecretKey();
    const t = newBackend();
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
    const t = newBackend();
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
    const t = newBackend();
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
    const t = newBackend();
    await deliver(t, created(INSTANCE_ID, "user_2madeup"));
    await deliver(t, created(KEY_INSTANCE, "user_2real1"), { svixId: "msg_real1" });
    await deliver(t, created(OTHER_INSTANCE, "user_2other"), { svixId: "msg_other" });
    expect(await t.query(internal.webhooks.instance.status, {})).toMatchObject({
      hasSecretKey: false,
      check: null,
      foreignInstanceIds: [KEY_INSTANCE, OTHER_INSTANCE].sort(),
      problems: [],
    });
    await expect(t.action(internal.webhooks.instance.repin, {})).rejects.toThrow(
      /The foreign instances seen: ins_2keyInstanceReal0000000000, ins_2otherInstance00000000000/,
    );
    await expect(t.action(internal.webhooks.instance.repin, { instanceId: "ins_2typo" })).rejects.toThrow(
      /No event from ins_2typo is kept as foreign/,
    );

    const admin = await asAdmin(t);
    expect(await admin.mutation(api.admin.correctInstancePin, { instanceId: KEY_INSTANCE })).toBe("pinned");
    await finish(t);
    expect(await t.query(internal.webhooks.instance.pinned, {})).toMatchObject({
      instanceId: KEY_INSTANCE,
      source: "operator",
    });
    expect(await outcomes(t)).toMatchObject({ msg_real1: "applied", msg_other: "foreign" });
    expect(await keptIds(t)).toEqual(["msg_other"]);
    expect((await t.query(internal.webhooks.instance.status, {})).foreignInstanceIds).toEqual([OTHER_INSTANCE]);
  });

  test("the admin page asks which instance when none is named; only app admins may correct", async () => {
    const t = newBackend();
    const admin = await asAdmin(t);
    await expect(admin.mutation(api.admin.correctInstancePin, {})).rejects.toThrow(/choose which of the foreign/);
    const stranger = t.withIdentity({ subject: "user_2stranger", issuer: FAKE_FRONTEND_API });
    await expect(stranger.mutation(api.admin.correctInstancePin, { instanceId: KEY_INSTANCE })).rejects.toThrow();
  });
});
