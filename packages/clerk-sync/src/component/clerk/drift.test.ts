/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkMembership,
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  clerkId,
  HOUR,
  INSTANCE_ID,
  membershipEvent,
  MINUTE,
  T0,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import {
  FAKE_SECRET_KEY,
  loopbackFetch,
  startFakeClerkApi,
  type FakeClerkApi,
} from "../../../../../test/fakeClerkApi.js";
import { api, internal } from "../_generated/api.js";
import schema from "../schema.js";
import {
  assess,
  countAll,
  countTolerance,
  couldNotCheck,
  GRACE_MS,
  lastWebhookAt,
  nextCountProbe,
  SKEW_MS,
  userInStep,
  userProbeOf,
  type Observation,
} from "./drift.js";
import type { DriftCheck } from "./driftSchema.js";

// Rooted at the repository, so every key has the same prefix (a "../" glob names this folder's files "./…").
const modules = import.meta.glob([
  "/packages/clerk-sync/src/component/**/*.*s",
  "!/packages/clerk-sync/src/component/**/*.test.*s",
  "!/packages/clerk-sync/src/component/**/*.d.ts",
]);

let clerk: FakeClerkApi | null = null;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  vi.stubGlobal("fetch", loopbackFetch);
  vi.stubEnv("CLERK_INSTANCE_ID", INSTANCE_ID);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  await clerk?.close();
  clerk = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A component-root backend whose app asked for no change hooks. */
async function backend() {
  const t = convexTest({ schema, modules });
  await t.run(async (ctx) => {
    await ctx.db.insert("config", { handles: { onChange: null } });
  });
  return t;
}
type Backend = Awaited<ReturnType<typeof backend>>;

type ClerkObject = Record<string, unknown>;
/** What the fake Clerk holds (the fake reads this same object at each request: change it to change Clerk). */
type ClerkData = { users: ClerkObject[]; organizations: ClerkObject[]; memberships: ClerkObject[] };

/** Clerk's Backend API with Ada in her organization, and the component pointed at it with a key. */
async function clerkWithAda(): Promise<{ fake: FakeClerkApi; data: ClerkData }> {
  const data: ClerkData = {
    users: [clerkUser()],
    organizations: [clerkOrganization()],
    memberships: [clerkMembership()],
  };
  const fake = await startFakeClerkApi(data);
  clerk = fake;
  vi.stubEnv("CLERK_SECRET_KEY", FAKE_SECRET_KEY);
  vi.stubEnv("CLERK_API_URL", fake.url);
  return { fake, data };
}

let svix = 0;
/** A webhook delivery as the route makes it (verified), received now. */
async function deliver(t: Backend, event: object) {
  svix += 1;
  return await t.mutation(api.webhooks.ingest.apply, { svixId: `msg_drift${svix}`, payload: JSON.stringify(event) });
}

/** The component in step with clerkWithAda: her user, organization and membership delivered by webhook. */
async function inStepWithAda(t: Backend) {
  await deliver(t, userEvent("user.created"));
  await deliver(t, membershipEvent("organizationMembership.created"));
}

async function at(t: Backend, time: number) {
  vi.setSystemTime(time);
  return await t.action(internal.clerk.drift.check, {});
}

const status = (t: Backend) => t.query(api.clerk.drift.status, {});

describe("the drift watch", () => {
  test("is off without CLERK_SECRET_KEY: the check asks Clerk nothing and health says off", async () => {
    clerk = await startFakeClerkApi({ users: [clerkUser()], organizations: [], memberships: [] });
    vi.stubEnv("CLERK_API_URL", clerk.url);
    const t = await backend();
    expect(await at(t, T0 + HOUR)).toBeNull();
    expect(clerk.requests).toEqual([]);
    expect(await status(t)).toMatchObject({
      state: "off",
      checkedAt: null,
      message: expect.stringContaining("CLERK_SECRET_KEY"),
    });
    expect((await t.query(api.operator.syncHealth, {})).drift).toEqual(await status(t));
  });

  test("says unchecked with a key until its first check", async () => {
    await clerkWithAda();
    const t = await backend();
    expect(await status(t)).toEqual({
      state: "unchecked",
      message: "The drift watch has not run yet (it runs hourly).",
      checkedAt: null,
      lastSuccessAt: null,
      lastWebhookAt: null,
      users: null,
      organizations: null,
      memberships: null,
    });
  });

  test("is quiet while webhooks keep the component in step, and costs three requests a check", async () => {
    const { fake, data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    expect(fake.requests.map((r) => `${r.path}?${r.query.toString()}`)).toEqual([
      "/v1/users?order_by=-updated_at&limit=1",
      "/v1/organizations?limit=1&offset=0&order_by=%2Bcreated_at",
      "/v1/organization_memberships?limit=1&offset=0&order_by=%2Bcreated_at",
    ]);

    // Ada renames herself and the webhook arrives.
    vi.setSystemTime(T0 + 70 * MINUTE);
    data.users = [clerkUser({ first_name: "Augusta", updated_at: T0 + 70 * MINUTE })];
    await deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: T0 + 70 * MINUTE }));
    expect(await at(t, T0 + 2 * HOUR)).toBe("in_step");
    expect(console.error).not.toHaveBeenCalled();
    expect(await status(t)).toMatchObject({
      state: "in_step",
      message: "In step with Clerk.",
      checkedAt: T0 + 2 * HOUR,
      users: { clerkId: ADA, updatedAt: T0 + 70 * MINUTE, inStep: true },
      organizations: { clerk: 1, local: 1, moved: null },
      memberships: { clerk: 1, local: 1, moved: null },
    });
  });

  test("never alarms on a change Clerk sends no webhook for: updated_at moved, nothing the component keeps did", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    // A sign-in: Clerk moves last_sign_in_at and updated_at, and sends no user.updated.
    data.users = [clerkUser({ last_sign_in_at: T0 + 70 * MINUTE, updated_at: T0 + 70 * MINUTE })];
    expect(await at(t, T0 + 3 * HOUR)).toBe("in_step");
  });

  test("turns to webhooks silent when Clerk changed a user and no webhook arrived since", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");

    // The signing secret was rotated: Ada's rename is refused at the route, nothing reaches the component.
    data.users = [clerkUser({ first_name: "Augusta", updated_at: T0 + 70 * MINUTE })];
    // Within the grace period it may still be in flight.
    expect(await at(t, T0 + 80 * MINUTE)).toBe("in_step");
    expect(await at(t, T0 + 2 * HOUR)).toBe("webhooks_silent");
    const health = await status(t);
    expect(health).toMatchObject({
      state: "webhooks_silent",
      users: { clerkId: ADA, updatedAt: T0 + 70 * MINUTE, inStep: false },
    });
    expect(health.message).toContain(ADA);
    expect(health.message).toContain("CLERK_WEBHOOK_SIGNING_SECRET");
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining("Webhooks are silent"));
    // Sync health carries it, in the same query.
    expect((await t.query(api.operator.syncHealth, {})).drift).toEqual(health);

    // The route is fixed: the webhook arrives (a Svix retry) and the next check is in step again.
    vi.setSystemTime(T0 + 2 * HOUR + MINUTE);
    await deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: T0 + 70 * MINUTE }));
    expect(await at(t, T0 + 3 * HOUR)).toBe("in_step");
  });

  test("turns to webhooks silent when Clerk's organization count moved and no webhook arrived, one check later", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");

    // An organization is created in Clerk's dashboard; the route is unmounted.
    const other = clerkOrganization({
      id: clerkId("org", "oth"),
      name: "Difference Engines",
      created_at: T0 + 70 * MINUTE,
    });
    data.organizations = [...data.organizations, other];
    // The check that sees the count move cannot tell a webhook in flight from none: not yet.
    expect(await at(t, T0 + 2 * HOUR)).toBe("in_step");
    expect(await status(t)).toMatchObject({
      organizations: { clerk: 2, local: 1, moved: { after: T0 + HOUR, seenAt: T0 + 2 * HOUR } },
    });
    expect(await at(t, T0 + 3 * HOUR)).toBe("webhooks_silent");
    expect((await status(t)).message).toContain("Clerk has 2 organizations, the component 1");
  });

  test("counts memberships from the count shards against Clerk's membership total", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    // Charles joins in Clerk; no webhook reaches the component.
    const charlesJoins = clerkMembership({
      id: "orgmem_charles",
      public_user_data: { user_id: CHARLES, identifier: "charles@example.com" },
    });
    data.memberships = [...data.memberships, charlesJoins];
    expect(await at(t, T0 + 2 * HOUR)).toBe("in_step");
    expect(await at(t, T0 + 3 * HOUR)).toBe("webhooks_silent");
    expect(await status(t)).toMatchObject({
      memberships: { clerk: 2, local: 1 },
      organizations: { clerk: 1, local: 1 },
    });
  });

  test("says behind, not silent, when webhooks arrive but a change is missing", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    // Ada's rename is lost (a delivery Svix gave up on); Charles's sign-up arrives later.
    data.users = [clerkUser({ first_name: "Augusta", updated_at: T0 + 70 * MINUTE })];
    vi.setSystemTime(T0 + 80 * MINUTE);
    await deliver(t, userEvent("user.created", clerkUserCharles({ updated_at: T0 + 60 * MINUTE })));
    expect(await at(t, T0 + 2 * HOUR)).toBe("behind");
    expect((await status(t)).message).toContain("reconcile");
  });

  test("does not call changes from before it began silent", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    // The component never heard of Ada (installed after she signed up, before a backfill).
    data.users = [clerkUser({ updated_at: T0 - 24 * HOUR })];
    expect(await at(t, T0 + HOUR)).toBe("behind");
  });

  test("an instance without users is judged on its counts alone", async () => {
    const { data } = await clerkWithAda();
    const t = await backend();
    data.users = [];
    data.memberships = [];
    data.organizations = [];
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    expect(await status(t)).toMatchObject({
      users: null,
      organizations: { clerk: 0, local: 0 },
      memberships: { clerk: 0, local: 0 },
    });
  });

  test("says could not check, not silent, when Clerk is unreachable or refuses the key, and keeps what it knew", async () => {
    const { fake, data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    data.users = [clerkUser({ first_name: "Augusta", updated_at: T0 + 70 * MINUTE })];

    fake.failNext(1, 503);
    expect(await at(t, T0 + 2 * HOUR)).toBe("could_not_check");
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("clerkSync drift watch could not ask Clerk: "));
    expect(await status(t)).toMatchObject({
      state: "could_not_check",
      checkedAt: T0 + 2 * HOUR,
      lastSuccessAt: T0 + HOUR,
      message: expect.stringContaining("503"),
      users: { updatedAt: T0, inStep: true },
    });

    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_rotatedAway");
    expect(await at(t, T0 + 3 * HOUR)).toBe("could_not_check");
    expect((await status(t)).message).toContain("CLERK_SECRET_KEY was refused");

    await fake.close();
    clerk = null;
    expect(await at(t, T0 + 4 * HOUR)).toBe("could_not_check");
    expect((await status(t)).message).toContain("could not be reached");
  });
});

describe("the drift watch's reads", () => {
  test("counts organizations a page at a time, in Clerk id order", async () => {
    const t = await backend();
    await t.run(async (ctx) => {
      for (const tag of ["a", "b", "c", "d", "e"])
        await ctx.db.insert("organizations", {
          clerkId: `org_${tag}`,
          clerkVersion: T0,
          name: tag,
          slug: null,
          imageUrl: null,
          membersCount: null,
          publicMetadata: "{}",
          createdBy: null,
        });
    });
    const page = (after: string | null) => t.query(internal.clerk.drift.countOrganizations, { after, limit: 2 });
    expect(await page(null)).toEqual({ count: 2, after: "org_b", done: false });
    expect(await page("org_b")).toEqual({ count: 2, after: "org_d", done: false });
    expect(await page("org_d")).toEqual({ count: 1, after: "org_e", done: true });
    expect(await page("org_e")).toEqual({ count: 0, after: "org_e", done: true });
  });

  test("sums the membership count shards a page at a time, across organizations", async () => {
    const t = await backend();
    await t.run(async (ctx) => {
      for (const [organizationId, shard, count] of [
        ["org_a", 0, 3],
        ["org_a", 3, 1],
        ["org_a", 7, 2],
        ["org_b", 1, 5],
        ["org_c", 0, 4],
      ] as const)
        await ctx.db.insert("memberCountShards", { organizationId, shard, count });
    });
    const page = (after: { organizationId: string; shard: number } | null) =>
      t.query(internal.clerk.drift.countMemberships, { after, limit: 2 });
    expect(await page(null)).toEqual({ count: 4, after: { organizationId: "org_a", shard: 3 }, done: false });
    expect(await page({ organizationId: "org_a", shard: 3 })).toEqual({
      count: 7,
      after: { organizationId: "org_b", shard: 1 },
      done: false,
    });
    expect(await page({ organizationId: "org_b", shard: 1 })).toEqual({
      count: 4,
      after: { organizationId: "org_c", shard: 0 },
      done: true,
    });
    expect(await page({ organizationId: "org_c", shard: 0 })).toEqual({
      count: 0,
      after: { organizationId: "org_c", shard: 0 },
      done: true,
    });
  });

  test("the last webhook is the newest receipt over every outcome", async () => {
    const t = await backend();
    const log = (outcome: "applied" | "failed" | "duplicate" | "foreign", receivedAt: number) =>
      t.run(async (ctx) => {
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_${outcome}${receivedAt}`,
          type: "user.updated",
          clerkIds: [],
          timestamp: null,
          receivedAt,
          outcome,
          attempts: 1,
        });
      });
    const last = () => t.run(async (ctx) => await lastWebhookAt(ctx));
    expect(await last()).toBeNull();
    await log("applied", T0 + 5);
    await log("applied", T0 + 2);
    expect(await last()).toBe(T0 + 5);
    await log("duplicate", T0 + 3);
    expect(await last()).toBe(T0 + 5);
    await log("failed", T0 + 9);
    await log("foreign", T0 + 7);
    expect(await last()).toBe(T0 + 9);
  });
});

const NOW = T0 + 10 * HOUR;
const at_ = (ms: number) => new Date(ms).toISOString();

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    now: NOW,
    user: { clerkId: ADA, updatedAt: T0, inStep: true },
    organizations: { clerk: 1, local: 1 },
    memberships: { clerk: 1, local: 1 },
    lastWebhookAt: T0,
    ...overrides,
  };
}

/** The check an hour before NOW (the watch's first). */
function previous(overrides: Partial<Observation> = {}): DriftCheck {
  return assess(null, observation({ now: NOW - HOUR, ...overrides }));
}

describe("assess", () => {
  test("starts watching at the first check and keeps that start", () => {
    const first = assess(null, observation());
    expect(first).toEqual({
      checkedAt: NOW,
      result: "in_step",
      message: "In step with Clerk.",
      lastSuccessAt: NOW,
      watchingSince: NOW,
      lastWebhookAt: T0,
      users: { clerkId: ADA, updatedAt: T0, inStep: true },
      organizations: { clerk: 1, local: 1, moved: null },
      memberships: { clerk: 1, local: 1, moved: null },
    });
    expect(assess(first, observation({ now: NOW + HOUR })).watchingSince).toBe(NOW);
  });

  test("calls a user change silent only past the grace period, after the watch began, with no webhook since", () => {
    const before = previous();
    const changed = (updatedAt: number, lastWebhookAt: number | null) =>
      assess(before, observation({ user: { clerkId: ADA, updatedAt, inStep: false }, lastWebhookAt }));
    const silent = changed(NOW - GRACE_MS, T0);
    expect(silent.result).toBe("webhooks_silent");
    expect(silent.message).toBe(
      `Webhooks are silent: Clerk changed user ${ADA} at ${at_(NOW - GRACE_MS)} and the component does not have that change, ` +
        `and the last webhook arrived at ${at_(T0)}. Check that the app mounts the webhook route (clerk.registerRoutes in ` +
        "convex/http.ts), that CLERK_WEBHOOK_SIGNING_SECRET is the endpoint's current signing secret, and that the " +
        "endpoint's URL in Clerk's dashboard (Webhooks) is this deployment's …convex.site URL and path; then run a reconcile.",
    );
    expect(changed(NOW - GRACE_MS, null).message).toContain(", and no webhook has ever arrived.");
    expect(changed(NOW - GRACE_MS + 1, T0).result).toBe("in_step");
    // A webhook arrived after the change (or just before it, within the clock skew): behind, not silent.
    const behind = changed(NOW - GRACE_MS, NOW - GRACE_MS - 30_000);
    expect(behind.result).toBe("behind");
    expect(behind.message).toBe(
      `The component is behind Clerk: Clerk changed user ${ADA} at ${at_(NOW - GRACE_MS)} and the component does not ` +
        `have that change. Webhooks arrive (the last webhook arrived at ${at_(NOW - GRACE_MS - 30_000)}). ` +
        "Retry failed events, or run a reconcile to bring the component in step.",
    );
    expect(changed(NOW - GRACE_MS, NOW - GRACE_MS - SKEW_MS).result).toBe("behind");
    expect(changed(NOW - GRACE_MS, NOW - GRACE_MS - SKEW_MS - 1).result).toBe("webhooks_silent");
    // At or before the watch began: behind.
    expect(changed(NOW - HOUR, T0).result).toBe("behind");
    expect(changed(NOW - HOUR + 1, T0).result).toBe("webhooks_silent");
  });

  test("a user in step, or none, is never an alarm", () => {
    expect(
      assess(previous(), observation({ user: { clerkId: ADA, updatedAt: NOW - HOUR, inStep: true } })).result,
    ).toBe("in_step");
    expect(assess(previous(), observation({ user: null })).result).toBe("in_step");
  });

  test("calls a count silent once Clerk's move is a grace period old with no webhook since the check before it", () => {
    const moved = assess(previous(), observation({ organizations: { clerk: 2, local: 1 } }));
    expect(moved.result).toBe("in_step");
    expect(moved.organizations).toEqual({ clerk: 2, local: 1, moved: { after: NOW - HOUR, seenAt: NOW } });
    const later = (now: number, lastWebhookAt: number) =>
      assess(moved, observation({ now, organizations: { clerk: 2, local: 1 }, lastWebhookAt }));
    expect(later(NOW + GRACE_MS - 1, T0).result).toBe("in_step");
    const silent = later(NOW + GRACE_MS, T0);
    expect(silent.result).toBe("webhooks_silent");
    expect(silent.message).toContain(
      `Webhooks are silent: Clerk has 2 organizations, the component 1 (Clerk's count moved after ${at_(NOW - HOUR)}), and`,
    );
    expect(later(NOW + HOUR, NOW - HOUR - 1).result).toBe("webhooks_silent");
    // A webhook since the check before the move: not silent (and a difference of 1 is within tolerance).
    expect(later(NOW + HOUR, NOW - HOUR).result).toBe("in_step");
  });

  test("names every finding, one after the other", () => {
    const moved = assess(
      previous(),
      observation({ organizations: { clerk: 3, local: 1 }, memberships: { clerk: 4, local: 1 } }),
    );
    const silent = assess(
      moved,
      observation({ now: NOW + HOUR, organizations: { clerk: 3, local: 1 }, memberships: { clerk: 4, local: 1 } }),
    );
    expect(silent.message).toContain(
      `Clerk has 3 organizations, the component 1 (Clerk's count moved after ${at_(NOW - HOUR)}); Clerk has 4 memberships, the component 1 (`,
    );
    const behind = assess(
      silent,
      observation({
        now: NOW + 2 * HOUR,
        organizations: { clerk: 3, local: 1 },
        memberships: { clerk: 4, local: 1 },
        lastWebhookAt: NOW + 2 * HOUR,
        user: { clerkId: ADA, updatedAt: NOW, inStep: false },
      }),
    );
    expect(behind.result).toBe("behind");
    expect(behind.message).toContain(
      `Clerk changed user ${ADA} at ${at_(NOW)} and the component does not have that change; Clerk has 4 memberships, the component 1.`,
    );
  });

  test("memberships are judged as organizations are", () => {
    const moved = assess(previous(), observation({ memberships: { clerk: 3, local: 1 } }));
    const silent = assess(moved, observation({ now: NOW + HOUR, memberships: { clerk: 3, local: 1 } }));
    expect(silent.result).toBe("webhooks_silent");
    expect(silent.message).toContain("Clerk has 3 memberships, the component 1");
  });

  test("counts back in step forget the move", () => {
    const moved = assess(previous(), observation({ memberships: { clerk: 5, local: 1 } }));
    expect(moved.memberships?.moved).toEqual({ after: NOW - HOUR, seenAt: NOW });
    expect(assess(moved, observation({ now: NOW + HOUR, memberships: { clerk: 5, local: 5 } })).memberships).toEqual({
      clerk: 5,
      local: 5,
      moved: null,
    });
  });

  test.each([
    // [clerk, local] at two checks running, webhooks arriving: behind only past tolerance at both.
    [[10, 7], [10, 7], "behind"],
    [[10, 8], [10, 7], "in_step"],
    [[10, 7], [10, 8], "in_step"],
    [[10, 9], [10, 9], "in_step"],
    [[9, 13], [9, 13], "behind"],
    [[3_000, 2_996], [3_000, 2_996], "behind"],
    [[3_000, 2_997], [3_000, 2_997], "in_step"],
  ] as const)("counts %j then %j are %s", ([clerk1, local1], [clerk2, local2], result) => {
    const first = assess(
      previous(),
      observation({ memberships: { clerk: clerk1, local: local1 }, lastWebhookAt: NOW }),
    );
    expect(first.result).toBe("in_step");
    const second = assess(
      first,
      observation({ now: NOW + HOUR, memberships: { clerk: clerk2, local: local2 }, lastWebhookAt: NOW + HOUR }),
    );
    expect(second.result).toBe(result);
    if (result === "behind")
      expect(second.message).toContain(`Clerk has ${clerk2} memberships, the component ${local2}.`);
  });

  test("a kind the component could not count is not judged", () => {
    const first = assess(previous(), observation({ memberships: { clerk: 10, local: null }, lastWebhookAt: NOW }));
    expect(first.memberships).toEqual({ clerk: 10, local: null, moved: null });
    expect(assess(first, observation({ now: NOW + HOUR, memberships: { clerk: 10, local: 2 } })).result).toBe(
      "in_step",
    );
    expect(assess(first, observation({ now: NOW + HOUR, memberships: { clerk: 12, local: null } })).result).toBe(
      "in_step",
    );
  });

  test("a kind Clerk gave no count for is left out", () => {
    const check = assess(previous(), observation({ organizations: { clerk: null, local: 1 } }));
    expect(check.organizations).toBeNull();
    expect(check.result).toBe("in_step");
  });
});

describe("couldNotCheck", () => {
  test("keeps what the last successful check found, and says why", () => {
    const before = previous({ memberships: { clerk: 2, local: 1 } });
    expect(couldNotCheck(before, "Clerk's Backend API answered 503.", NOW)).toEqual({
      ...before,
      checkedAt: NOW,
      result: "could_not_check",
      message: "Could not ask Clerk: Clerk's Backend API answered 503.",
    });
  });
  test("before any check, knows nothing", () => {
    expect(couldNotCheck(null, "down", NOW)).toEqual({
      checkedAt: NOW,
      result: "could_not_check",
      message: "Could not ask Clerk: down",
      lastSuccessAt: null,
      watchingSince: null,
      lastWebhookAt: null,
      users: null,
      organizations: null,
      memberships: null,
    });
  });
});

describe("nextCountProbe", () => {
  const probe = { clerk: 1, local: 1, moved: null };
  test("keeps the earliest move while the counts differ", () => {
    const pending = { clerk: 2, local: 1, moved: { after: NOW - 2 * HOUR, seenAt: NOW - HOUR } };
    expect(nextCountProbe(pending, NOW - HOUR, { clerk: 3, local: 1 }, NOW)).toEqual({ ...pending, clerk: 3 });
  });
  test("a move is Clerk's count differing from the last check's", () => {
    expect(nextCountProbe(probe, NOW - HOUR, { clerk: 2, local: 1 }, NOW)).toEqual({
      clerk: 2,
      local: 1,
      moved: { after: NOW - HOUR, seenAt: NOW },
    });
  });
  test("a difference without a move seen (first check, or unchanged) has no move", () => {
    const none = (clerk: number, local: number) => ({ clerk, local, moved: null });
    expect(nextCountProbe(null, null, { clerk: 2, local: 1 }, NOW)).toEqual(none(2, 1));
    expect(nextCountProbe(null, NOW - HOUR, { clerk: 2, local: 1 }, NOW)).toEqual(none(2, 1));
    expect(nextCountProbe({ ...probe, clerk: 2 }, NOW - HOUR, { clerk: 2, local: 1 }, NOW)).toEqual(none(2, 1));
    expect(nextCountProbe(probe, null, { clerk: 2, local: 1 }, NOW)).toEqual(none(2, 1));
  });
});

describe("userInStep", () => {
  const fields = {
    email: "ada@example.com",
    phone: null,
    username: null,
    firstName: "Ada",
    lastName: "Lovelace",
    imageUrl: null,
    publicMetadata: "{}",
    verifiedEmails: ["ada@example.com"],
  };
  test("in step with that version or a newer one, or the same fields", () => {
    expect(userInStep(null, T0, fields)).toBe(false);
    expect(userInStep({ ...fields, firstName: "Old", clerkVersion: T0 }, T0, fields)).toBe(true);
    expect(userInStep({ ...fields, firstName: "Old", clerkVersion: T0 - 1 }, T0, fields)).toBe(false);
    expect(userInStep({ ...fields, clerkVersion: 0 }, T0, fields)).toBe(true);
    expect(userInStep({ ...fields, verifiedEmails: undefined, clerkVersion: 0 }, T0, fields)).toBe(true);
    expect(userInStep({ ...fields, verifiedEmails: undefined, lastName: "Byron", clerkVersion: 0 }, T0, fields)).toBe(
      false,
    );
    expect(userInStep({ ...fields, verifiedEmails: [], clerkVersion: 0 }, T0, fields)).toBe(false);
    expect(userInStep({ ...fields, phone: "+15555550100", clerkVersion: 0 }, T0, fields)).toBe(false);
  });
});

describe("userProbeOf", () => {
  test("Clerk's user as the check passes it on; none without updated_at", () => {
    expect(userProbeOf(clerkUser({ updated_at: T0 + 5 }))).toMatchObject({
      clerkId: ADA,
      updatedAt: T0 + 5,
      fields: { firstName: "Ada", lastName: "Lovelace" },
    });
    expect(userProbeOf(clerkUser({ updated_at: null }))).toBeNull();
  });
});

describe("countAll", () => {
  test("adds pages until one is not full", async () => {
    const pages = [3, 3, 1];
    const asked: (number | null)[] = [];
    const page = (after: number | null, limit: number) => {
      asked.push(after);
      const count = pages.shift() ?? 0;
      return Promise.resolve({ count: count * 10, after: (after ?? 0) + 1, done: count < limit });
    };
    expect(await countAll(page, 3, 100)).toBe(70);
    expect(asked).toEqual([null, 1, 2]);
  });
  test("gives up (null) once max rows were read without reaching the end", async () => {
    const calls: number[] = [];
    const full = (_after: number | null, limit: number) => {
      calls.push(limit);
      return Promise.resolve({ count: limit, after: 1, done: false });
    };
    expect(await countAll(full, 3, 9)).toBeNull();
    expect(calls).toEqual([3, 3, 3]);
    expect(await countAll(full, 3, 10)).toBeNull();
    expect(calls).toHaveLength(7);
  });
});

test("countTolerance: at least COUNT_TOLERANCE, a thousandth of large counts", () => {
  expect(countTolerance(0)).toBe(2);
  expect(countTolerance(2_000)).toBe(2);
  expect(countTolerance(2_001)).toBe(3);
  expect(countTolerance(100_000)).toBe(100);
});
