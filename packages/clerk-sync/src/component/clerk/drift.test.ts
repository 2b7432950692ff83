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
import { assess, countTolerance, GRACE_MS, nextCountProbe, userInStep, type Observation } from "./drift.js";
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
  });

  test("says unchecked with a key until its first check", async () => {
    await clerkWithAda();
    const t = await backend();
    expect(await status(t)).toMatchObject({ state: "unchecked", checkedAt: null });
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
    expect(await status(t)).toMatchObject({
      state: "in_step",
      message: "In step with Clerk.",
      checkedAt: T0 + 2 * HOUR,
      users: { clerkId: ADA, updatedAt: T0 + 70 * MINUTE, inStep: true },
      organizations: { clerk: 1, local: 1, changedAfter: null },
      memberships: { clerk: 1, local: 1, changedAfter: null },
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
      organizations: { clerk: 2, local: 1, changedAfter: T0 + HOUR, observedAt: T0 + 2 * HOUR },
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

  test("says could not check, not silent, when Clerk is unreachable or refuses the key, and keeps what it knew", async () => {
    const { fake, data } = await clerkWithAda();
    const t = await backend();
    await inStepWithAda(t);
    expect(await at(t, T0 + HOUR)).toBe("in_step");
    data.users = [clerkUser({ first_name: "Augusta", updated_at: T0 + 70 * MINUTE })];

    fake.failNext(1, 503);
    expect(await at(t, T0 + 2 * HOUR)).toBe("could_not_check");
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

const NOW = T0 + 10 * HOUR;

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

function previous(overrides: Partial<Observation> = {}): DriftCheck {
  return assess(null, observation({ now: NOW - HOUR, ...overrides }));
}

describe("assess", () => {
  test("starts watching at the first check and keeps that start", () => {
    const first = assess(null, observation());
    expect(first).toMatchObject({ result: "in_step", watchingSince: NOW, lastSuccessAt: NOW, checkedAt: NOW });
    expect(assess(first, observation({ now: NOW + HOUR })).watchingSince).toBe(NOW);
  });

  test("calls a user change silent only past the grace period, after the watch began, with no webhook since", () => {
    const before = previous();
    const changed = (updatedAt: number, lastWebhookAt: number | null) =>
      assess(before, observation({ user: { clerkId: ADA, updatedAt, inStep: false }, lastWebhookAt })).result;
    expect(changed(NOW - GRACE_MS, T0)).toBe("webhooks_silent");
    expect(changed(NOW - GRACE_MS, null)).toBe("webhooks_silent");
    expect(changed(NOW - GRACE_MS + 1, T0)).toBe("in_step");
    // A webhook arrived after the change (or just before it, within the clock skew): behind, not silent.
    expect(changed(NOW - GRACE_MS, NOW - GRACE_MS - 30_000)).toBe("behind");
    expect(changed(NOW - GRACE_MS, NOW - GRACE_MS - 2 * MINUTE)).toBe("webhooks_silent");
    // Before the watch began: behind.
    expect(changed(NOW - 2 * HOUR, T0)).toBe("behind");
  });

  test("a user in step is never an alarm", () => {
    expect(
      assess(previous(), observation({ user: { clerkId: ADA, updatedAt: NOW - HOUR, inStep: true } })).result,
    ).toBe("in_step");
    expect(assess(previous(), observation({ user: null })).result).toBe("in_step");
  });

  test("calls a count silent once Clerk's move is a grace period old with no webhook since the check before it", () => {
    const before = previous();
    const moved = assess(before, observation({ now: NOW, organizations: { clerk: 2, local: 1 } }));
    expect(moved.result).toBe("in_step");
    expect(moved.organizations).toEqual({ clerk: 2, local: 1, changedAfter: NOW - HOUR, observedAt: NOW });
    expect(assess(moved, observation({ now: NOW + GRACE_MS - 1, organizations: { clerk: 2, local: 1 } })).result).toBe(
      "in_step",
    );
    const later = assess(moved, observation({ now: NOW + GRACE_MS, organizations: { clerk: 2, local: 1 } }));
    expect(later.result).toBe("webhooks_silent");
    expect(later.message).toContain("Clerk has 2 organizations, the component 1");
    // A webhook since the check before the move: not silent (and a difference of 1 is within tolerance).
    expect(
      assess(moved, observation({ now: NOW + HOUR, organizations: { clerk: 2, local: 1 }, lastWebhookAt: NOW - HOUR }))
        .result,
    ).toBe("in_step");
  });

  test("counts back in step forget the move", () => {
    const moved = assess(previous(), observation({ memberships: { clerk: 5, local: 1 } }));
    expect(moved.memberships?.changedAfter).toBe(NOW - HOUR);
    expect(assess(moved, observation({ now: NOW + HOUR, memberships: { clerk: 5, local: 5 } })).memberships).toEqual({
      clerk: 5,
      local: 5,
      changedAfter: null,
      observedAt: null,
    });
  });

  test("says behind when counts differ beyond tolerance at two checks running while webhooks arrive", () => {
    const first = assess(previous(), observation({ memberships: { clerk: 10, local: 4 }, lastWebhookAt: NOW }));
    expect(first.result).toBe("in_step");
    const second = assess(
      first,
      observation({ now: NOW + HOUR, memberships: { clerk: 10, local: 4 }, lastWebhookAt: NOW + HOUR }),
    );
    expect(second.result).toBe("behind");
    expect(second.message).toContain("Clerk has 10 memberships, the component 4");
    // Within tolerance: in step.
    const small = assess(previous(), observation({ memberships: { clerk: 10, local: 8 }, lastWebhookAt: NOW }));
    expect(
      assess(small, observation({ now: NOW + HOUR, memberships: { clerk: 10, local: 8 }, lastWebhookAt: NOW + HOUR }))
        .result,
    ).toBe("in_step");
  });

  test("skips a kind whose count is unknown", () => {
    const check = assess(
      previous(),
      observation({ organizations: { clerk: null, local: 1 }, memberships: { clerk: 3, local: null } }),
    );
    expect(check.organizations).toBeNull();
    expect(check.memberships).toEqual({ clerk: 3, local: null, changedAfter: null, observedAt: null });
    expect(check.result).toBe("in_step");
  });
});

describe("nextCountProbe", () => {
  const probe = { clerk: 1, local: 1, changedAfter: null, observedAt: null };
  test("keeps the earliest move while the counts differ", () => {
    const pending = { clerk: 2, local: 1, changedAfter: NOW - 2 * HOUR, observedAt: NOW - HOUR };
    expect(nextCountProbe(pending, NOW - HOUR, { clerk: 3, local: 1 }, NOW)).toEqual({ ...pending, clerk: 3 });
  });
  test("a difference without a move seen (first check, or unchanged) has no move", () => {
    expect(nextCountProbe(null, null, { clerk: 2, local: 1 }, NOW)).toEqual({
      clerk: 2,
      local: 1,
      changedAfter: null,
      observedAt: null,
    });
    expect(nextCountProbe({ ...probe, clerk: 2 }, NOW - HOUR, { clerk: 2, local: 1 }, NOW)?.changedAfter).toBeNull();
    expect(nextCountProbe(probe, null, { clerk: 2, local: 1 }, NOW)?.changedAfter).toBeNull();
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
    expect(userInStep({ ...fields, verifiedEmails: [], clerkVersion: 0 }, T0, fields)).toBe(false);
  });
});

test("countTolerance: at least COUNT_TOLERANCE, a thousandth of large counts", () => {
  expect(countTolerance(0)).toBe(2);
  expect(countTolerance(2_000)).toBe(2);
  expect(countTolerance(2_001)).toBe(3);
  expect(countTolerance(100_000)).toBe(100);
});
