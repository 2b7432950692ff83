import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api.js";
import { memberAccess, requireMember, requireOrgAccess } from "../model/access.js";
import { roleStanding } from "../model/roles.js";
import {
  clerkDefaultRoles,
  clerkId,
  clerkMembership,
  clerkOrganization,
  clerkPermission,
  clerkRole,
  clerkUser,
  envelope,
  MINUTE,
  primaryEmail,
  publicUserData,
  roleDeleted,
  T0,
  type ClerkObject,
} from "../../../../../test/clerkEvents.js";
import {
  clearHookCalls,
  deliver,
  hookCalls,
  newBackend,
  SECRET,
  type Backend,
  type HookMode,
} from "../../../../../test/component/backend.js";
import {
  FAKE_FRONTEND_API,
  loopbackFetch,
  startFakeClerkApi,
  type FakeClerkApi,
  type FakeClerkData,
} from "../../../../../test/fakeClerkApi.js";
import { PAGE_OVERLAP } from "./paging.js";
import { classifyFailure } from "./failures.js";
import { MAX_AUTO_RESUMES, MAX_TRANSIENT_FAILURES, WATCHDOG_INTERVAL_MS } from "./runs.js";

// ---- A Clerk instance: users, organizations with members ----

function user(i: number, overrides: ClerkObject = {}): ClerkObject {
  const id = clerkId("user", "u", i);
  return clerkUser({
    id,
    first_name: `User${i}`,
    last_name: null,
    ...primaryEmail(`user${i}@example.com`, id),
    created_at: T0 + i * MINUTE,
    updated_at: T0 + i * MINUTE,
    ...overrides,
  });
}

function organization(j: number, overrides: ClerkObject = {}): ClerkObject {
  return clerkOrganization({
    id: clerkId("org", "o", j),
    name: `Org ${j}`,
    slug: `org-${j}`,
    created_by: clerkId("user", "u", 0),
    created_at: T0 + j * MINUTE + 1,
    updated_at: T0 + j * MINUTE + 1,
    ...overrides,
  });
}

function membership(org: ClerkObject, member: ClerkObject, k: number, role = "org:member"): ClerkObject {
  return clerkMembership({
    id: clerkId("orgmem", "m", k),
    organization: org,
    public_user_data: publicUserData(member),
    role,
    created_at: T0 + k * MINUTE + 2,
    updated_at: T0 + k * MINUTE + 2,
  });
}

/** `users` users; `orgs` organizations; user i is a member of organization i % orgs (user 0 of all, as admin). */
function instance(users: number, orgs: number): FakeClerkData {
  const u = Array.from({ length: users }, (_, i) => user(i));
  const o = Array.from({ length: orgs }, (_, j) => organization(j));
  const m: ClerkObject[] = [];
  o.forEach((org, j) => m.push(membership(org, u[0]!, 1000 + j, "org:admin")));
  u.slice(1).forEach((member, i) => m.push(membership(o[(i + 1) % orgs]!, member, i + 1)));
  return { users: u, organizations: o, memberships: m };
}

/** What webhooks for the same instance would have left: created events for everything, in order. */
async function viaWebhooks(data: FakeClerkData, then: (t: Backend) => Promise<void> = async () => {}) {
  const t = await newBackend();
  for (const u of data.users)
    expect((await deliver(t, envelope("user.created", u, Number(u.updated_at)))).status).toBe(200);
  for (const o of data.organizations)
    expect((await deliver(t, envelope("organization.created", o, Number(o.updated_at)))).status).toBe(200);
  for (const m of data.memberships) {
    expect((await deliver(t, envelope("organizationMembership.created", m, Number(m.updated_at)))).status).toBe(200);
  }
  await then(t);
  await t.finishAllScheduledFunctions(vi.runAllTimers, 1000);
  return await tables(t);
}

/** The synced tables, without Convex's ids and times, in a stable order. */
async function tables(t: Backend) {
  return await t.run(async (ctx) => {
    const strip = <T extends { _id: unknown; _creationTime: unknown }>({ _id, _creationTime, ...rest }: T) => rest;
    const byKey =
      (key: (row: Record<string, unknown>) => string) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
        key(a).localeCompare(key(b));
    const users = (await ctx.db.query("users").collect()).map(strip).sort(byKey((r) => String(r.clerkId)));
    const organizations = (await ctx.db.query("organizations").collect())
      .map(strip)
      .sort(byKey((r) => String(r.clerkId)));
    const memberships = (await ctx.db.query("memberships").collect()).map(strip).sort(byKey((r) => String(r.clerkId)));
    const tombstones = (await ctx.db.query("tombstones").collect()).map((r) => `${r.kind}:${r.clerkId}`).sort();
    return { users, organizations, memberships, tombstones };
  });
}

async function latestRun(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("clerkSyncRuns").order("desc").first());
}

/** Runs every scheduled step until nothing is left (the run completed, failed, or stopped). */
async function finish(t: Backend) {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 1000);
}

/** Runs only the step due now (the next page), not what is scheduled later. */
async function runDueSteps(t: Backend) {
  // convex-test dates each transaction a millisecond after the last, so "now" is a few ms ahead.
  vi.advanceTimersByTime(10);
  await t.finishInProgressScheduledFunctions();
}

function requestsTo(api: FakeClerkApi, path: string) {
  return api.requests.filter((r) => r.path === path);
}

let api: FakeClerkApi;

async function serve(data: FakeClerkData) {
  api = await startFakeClerkApi(data);
  vi.stubEnv("CLERK_SECRET_KEY", api.secretKey);
  vi.stubEnv("CLERK_API_URL", api.url);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", FAKE_FRONTEND_API);
  return api;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("fetch", loopbackFetch);
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await api?.close();
});

describe("backfill", () => {
  test("pages through users, organizations and memberships and ends in the tables the webhooks produce", async () => {
    const data = instance(23, 4);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await finish(t);

    expect(await tables(t)).toEqual(await viaWebhooks(data));
    const run = await latestRun(t);
    expect(run).toMatchObject({
      status: "completed",
      // Clerk lists its two default roles (Admin, Member) too.
      totals: { users: 23, organizations: 4, roles: 2, memberships: 26 },
      counts: {
        seen: { users: 23, organizations: 4, roles: 2, memberships: 26 },
        changed: 55,
        stale: 0,
        invalid: 0,
        removed: 0,
      },
    });
    // Oldest first, in pages of 5 (plus the overlap that notices deletions).
    const userPages = requestsTo(api, "/v1/users");
    expect(userPages.every((r) => r.query.get("order_by") === "+created_at")).toBe(true);
    expect(userPages.map((r) => Number(r.query.get("limit")))).toEqual([5, 10, 15, 15, 15]);
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({ status: "completed", remaining: 0 });
  });

  test("metadata keys Convex forbids in field names arrive unchanged", async () => {
    const data = instance(2, 1);
    data.users[1] = user(1, { public_metadata: { $plan: "pro", _internal: { ключ: [1, { $deep: true }] } } });
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    expect(await tables(t)).toEqual(await viaWebhooks(data));
    const stored = (await tables(t)).users[1]!.publicMetadata;
    expect(JSON.parse(String(stored))).toEqual({ $plan: "pro", _internal: { ключ: [1, { $deep: true }] } });
  });

  test("a second backfill changes nothing", async () => {
    await serve(instance(6, 2));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    const before = await tables(t);
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    expect(await tables(t)).toEqual(before);
    expect((await latestRun(t))?.counts).toMatchObject({ changed: 0, unchanged: 6 + 2 + 2 + 7, stale: 0 });
  });

  test("never overwrites a newer row and never brings back a deleted user", async () => {
    const data = instance(3, 1);
    await serve(data);
    const t = await newBackend();
    // Convex already has a newer Ada-1 than Clerk's list says, and user 2 was deleted by webhook.
    const newer = user(1, { first_name: "Newer", updated_at: T0 + 99 * MINUTE });
    await deliver(t, envelope("user.updated", newer, Number(newer.updated_at)));
    await deliver(
      t,
      envelope("user.deleted", { deleted: true, id: clerkId("user", "u", 2), object: "user" }, T0 + 99 * MINUTE),
    );

    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);

    const { users, memberships } = await tables(t);
    expect(users.map((u) => [u.clerkId, u.firstName])).toEqual([
      [clerkId("user", "u", 0), "User0"],
      [clerkId("user", "u", 1), "Newer"],
    ]);
    expect(memberships.map((m) => m.userId)).not.toContain(clerkId("user", "u", 2));
    expect((await latestRun(t))?.counts).toMatchObject({ stale: 3 }); // user 1, user 2 and user 2's membership
  });

  test("a user deleted mid-run: the next user is not skipped and the deleted one stays deleted", async () => {
    const data = instance(14, 2);
    await serve(data);
    const t = await newBackend();
    const victim = clerkId("user", "u", 2);
    let deleted = false;
    let userPages = 0;
    api.beforeAnswer = (request) => {
      // After the first page of users was read, Clerk deletes user 2 (and its membership) and
      // sends user.deleted; every later user moves up one place in Clerk's list.
      if (request.path === "/v1/users" && ++userPages === 2) {
        deleted = true;
        api.data.users = api.data.users.filter((u) => u.id !== victim);
        api.data.memberships = api.data.memberships.filter(
          (m) => (m.public_user_data as ClerkObject).user_id !== victim,
        );
      }
    };
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await runDueSteps(t); // count
    await runDueSteps(t); // users 0–4, user 2 among them
    await deliver(t, envelope("user.deleted", { deleted: true, id: victim, object: "user" }, Date.now()));
    await finish(t);

    expect(deleted).toBe(true);
    const expected = await viaWebhooks(instance(14, 2), async (w) => {
      await deliver(w, envelope("user.deleted", { deleted: true, id: victim, object: "user" }, Date.now()));
    });
    const actual = await tables(t);
    expect(actual.users.map((u) => u.clerkId)).toEqual(expected.users.map((u) => u.clerkId));
    expect(actual.users).toHaveLength(13);
    expect(actual).toEqual(expected);
  });

  test("more deletions than the overlap mid-run step back instead of skipping", async () => {
    const data = instance(40, 1);
    await serve(data);
    const t = await newBackend();
    const doomed = new Set(Array.from({ length: PAGE_OVERLAP + 5 }, (_, i) => clerkId("user", "u", i + 1)));
    let pages = 0;
    api.beforeAnswer = (request) => {
      if (request.path === "/v1/users" && ++pages === 3) {
        api.data.users = api.data.users.filter((u) => !doomed.has(String(u.id)));
      }
    };
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 10 });
    await finish(t);
    const ids = (await tables(t)).users.map((u) => u.clerkId);
    // Every user that still exists is there (the deleted ones were read before they went).
    for (const u of api.data.users) expect(ids).toContain(u.id);
    expect(ids).toHaveLength(40);
  });

  test("honours 429 with Retry-After: waits that long, then continues", async () => {
    await serve(instance(12, 1));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await runDueSteps(t); // count
    await runDueSteps(t); // users page 1
    api.rateLimitNext(2, 7);
    await runDueSteps(t); // 429
    const waiting = await latestRun(t);
    expect(waiting).toMatchObject({ status: "running", error: expect.stringContaining("rate limit") });
    expect(waiting!.waitingUntil! - Date.now()).toBe(7_000);
    await finish(t);

    const limited = api.requests.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    const afterFirst = api.requests[api.requests.indexOf(limited[0]!) + 1]!;
    const afterSecond = api.requests[api.requests.indexOf(limited[1]!) + 1]!;
    expect(afterFirst.at - limited[0]!.at).toBeGreaterThanOrEqual(7_000);
    expect(afterSecond.at - limited[1]!.at).toBeGreaterThanOrEqual(7_000);
    expect(await latestRun(t)).toMatchObject({ status: "completed", error: null, counts: { seen: { users: 12 } } });
  });

  test("transient Clerk failures back off and continue", async () => {
    await serve(instance(4, 1));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    api.failNext(3, 503);
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed", failures: 0 });
    expect(api.requests.filter((r) => r.status === 503)).toHaveLength(3);
  });

  test("a write conflict in a step, even many in a row, backs off and never fails the run", async () => {
    const data = instance(4, 1);
    await serve(data);
    const t = await newBackend();
    const runId = await t.mutation(internal.clerk.sync.backfill, {});
    const conflict =
      'OptimisticConcurrencyControlFailure: Documents read from or written to the "users" table changed while this mutation was being run and on every subsequent retry.';
    for (let i = 0; i < MAX_TRANSIENT_FAILURES + 3; i += 1) {
      const run = await latestRun(t);
      // As if the scheduled step had run and its mutation conflicted: it reports, and a new step replaces it.
      await t.run(async (ctx) => await ctx.scheduler.cancel(run!.nextStep!));
      await t.mutation(internal.clerk.sync.recordFailure, {
        runId,
        generation: run!.generation,
        failure: classifyFailure(new Error(conflict)).failure,
        message: conflict,
        retryAfterMs: 0,
      });
    }
    expect(await latestRun(t)).toMatchObject({ status: "running", error: conflict });
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed", error: null });
    expect(await tables(t)).toEqual(await viaWebhooks(data));
  });

  test("a refused secret key fails the run with what to fix; resume continues once fixed", async () => {
    const data = instance(4, 1);
    await serve(data);
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_wrong");
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("npx convex env set CLERK_SECRET_KEY"),
    });
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({ status: "failed", stalled: false });

    vi.stubEnv("CLERK_SECRET_KEY", api.secretKey);
    await t.mutation(internal.clerk.sync.resume, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed", error: null });
    expect(await tables(t)).toEqual(await viaWebhooks(data));
  });

  test("a secret key of another Clerk instance stops the run before anything is written", async () => {
    await serve(instance(3, 1));
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", "https://sly-fox-3.clerk.accounts.dev");
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.reconcile, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({
      status: "failed",
      error: expect.stringContaining(
        "CLERK_SECRET_KEY belongs to another Clerk instance (fake-otter-12.clerk.accounts.dev)",
      ),
    });
    expect((await tables(t)).users).toEqual([]);
    expect(api.requests.map((r) => r.path)).toEqual(["/v1/domains"]);
  });

  test("a crash between pages: resume continues from the stored cursor, not from the start", async () => {
    const data = instance(45, 3);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 20 });
    await runDueSteps(t); // count
    await runDueSteps(t); // users 0–19
    // The deployment dies before the next step runs: the step is lost.
    const crashed = await latestRun(t);
    expect(crashed).toMatchObject({ phase: "users", list: { offset: 20 }, counts: { seen: { users: 20 } } });
    await t.run(async (ctx) => await ctx.scheduler.cancel(crashed!.nextStep!));
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({ status: "running", stalled: true });

    const before = api.requests.length;
    await t.mutation(internal.clerk.sync.resume, {});
    await finish(t);

    const resumedAt = api.requests.slice(before).find((r) => r.path === "/v1/users")!;
    expect(resumedAt.query.get("offset")).toBe(String(20 - PAGE_OVERLAP));
    expect(await tables(t)).toEqual(await viaWebhooks(data));
    expect(await latestRun(t)).toMatchObject({ status: "completed", counts: { seen: { users: 45 } } });
  });

  test("the watchdog resumes a run whose step died, and gives up on one that keeps dying", async () => {
    const data = instance(8, 1);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await runDueSteps(t);
    const run = await latestRun(t);
    await t.run(async (ctx) => await ctx.scheduler.cancel(run!.nextStep!));
    vi.advanceTimersByTime(WATCHDOG_INTERVAL_MS + 1_000);
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed" });
    expect(await tables(t)).toEqual(await viaWebhooks(data));

    // A step that dies every time: after MAX_AUTO_RESUMES resumes the run fails, with the reason.
    await t.mutation(internal.clerk.sync.backfill, {});
    for (let i = 0; i <= MAX_AUTO_RESUMES; i += 1) {
      const current = await latestRun(t);
      await t.run(async (ctx) => await ctx.scheduler.cancel(current!.nextStep!));
      vi.advanceTimersByTime(WATCHDOG_INTERVAL_MS + 1_000);
      await t.finishInProgressScheduledFunctions();
    }
    expect(await latestRun(t)).toMatchObject({ status: "failed", error: expect.stringContaining("cancelled") });
  });

  test("cannot start without CLERK_SECRET_KEY, nor while another run is running", async () => {
    const t = await newBackend();
    await expect(t.mutation(internal.clerk.sync.backfill, {})).rejects.toThrow(/CLERK_SECRET_KEY/);
    await serve(instance(1, 1));
    await t.mutation(internal.clerk.sync.backfill, {});
    await expect(t.mutation(internal.clerk.sync.reconcile, {})).rejects.toThrow(/already running/);
    await expect(t.mutation(internal.clerk.sync.backfill, { pageSize: 0 })).rejects.toThrow(/already running|pageSize/);
    await t.mutation(internal.clerk.sync.cancel, {});
    expect(await latestRun(t)).toMatchObject({ status: "cancelled" });
    await expect(t.mutation(internal.clerk.sync.backfill, { pageSize: 1000 })).rejects.toThrow(/pageSize/);
  });
});

/** Clerk deleted user 4, organization 2 (with its memberships) and membership 7, and no webhook said so. */
function missedDeletions(data: FakeClerkData) {
  const goneUser = clerkId("user", "u", 4);
  const goneOrg = clerkId("org", "o", 2);
  const goneMembership = clerkId("orgmem", "m", 7);
  data.users = data.users.filter((u) => u.id !== goneUser);
  data.organizations = data.organizations.filter((o) => o.id !== goneOrg);
  data.memberships = data.memberships.filter(
    (m) =>
      m.id !== goneMembership &&
      (m.public_user_data as ClerkObject).user_id !== goneUser &&
      (m.organization as ClerkObject).id !== goneOrg,
  );
  return { goneUser, goneOrg, goneMembership };
}

/** Runs the steps due one at a time until the latest run reaches `phase` (or stops). */
async function runUntilPhase(t: Backend, phase: string) {
  for (let i = 0; i < 100; i += 1) {
    const run = await latestRun(t);
    if (run === null || run.status !== "running" || run.phase === phase) return run;
    await runDueSteps(t);
  }
  throw new Error(`the run never reached ${phase}`);
}

/** A backfilled 12-user, 3-organization instance, then deletions Clerk made that webhooks missed. */
async function backfilledThenDeleted(hook: HookMode = "none") {
  const data = instance(12, 3);
  await serve(data);
  const t = await newBackend({}, { hook });
  await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
  await finish(t);
  const before = await tables(t);
  return { t, before, ...missedDeletions(api.data) };
}

describe("reconcile", () => {
  test("removes rows Clerk no longer has, through the delete helpers, and keeps the rest", async () => {
    const { t, goneUser, goneOrg, goneMembership } = await backfilledThenDeleted("record");
    await clearHookCalls(t);
    // One organization of three is a third of the table: let this run remove it without asking.
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await finish(t);

    const after = await tables(t);
    expect(after.users.map((u) => u.clerkId)).not.toContain(goneUser);
    expect(after.users).toHaveLength(11);
    expect(after.organizations.map((o) => o.clerkId)).toEqual([clerkId("org", "o", 0), clerkId("org", "o", 1)]);
    expect(after.memberships.map((m) => m.clerkId).sort()).toEqual(
      api.data.memberships.map((m) => String(m.id)).sort(),
    );
    expect(after.tombstones).toEqual(
      expect.arrayContaining([
        `user:${goneUser}`,
        `organization:${goneOrg}`,
        `organizationMembership:${goneMembership}`,
      ]),
    );
    // The app's hook is told of each removal, the reconcile named as its source (what Roster's 'left' entries follow).
    const removedMemberships = (await hookCalls(t)).filter(
      (change) => change.table === "memberships" && change.op === "delete",
    );
    expect(removedMemberships.filter((change) => change.before?.clerkId === goneMembership)).toMatchObject([
      { source: "reconcile", before: { userId: clerkId("user", "u", 7) }, after: null },
    ]);

    const run = await latestRun(t);
    expect(run).toMatchObject({
      mode: "reconcile",
      status: "completed",
      removal: { confirmation: "notNeeded", found: { users: 1, organizations: 1 } },
    });
    expect(run!.counts.removed).toBeGreaterThanOrEqual(3);
    expect(await t.run(async (ctx) => await ctx.db.query("clerkSyncCandidates").collect())).toEqual([]);
  });

  test("past its cap it removes nothing and waits with the counts per kind; a confirmation removes them", async () => {
    const { t, before, goneUser, goneOrg } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5 }); // default cap: 100 rows or 10 %
    await finish(t);

    const waiting = await latestRun(t);
    expect(waiting).toMatchObject({
      status: "awaitingConfirmation",
      phase: "remove",
      nextStep: null,
      removal: {
        maxRows: 100,
        maxPercent: 10,
        checked: { users: 12, organizations: 3, memberships: 14 },
        // Organization 2's five memberships, user 4's and membership 7; user 4 and organization 2.
        found: { users: 1, organizations: 1, memberships: 7 },
        removed: { users: 0, organizations: 0, memberships: 0 },
        confirmation: "pending",
      },
    });
    expect(await tables(t)).toEqual(before);
    const status = (await t.query(internal.clerk.sync.status, {}))[0];
    expect(status).toMatchObject({
      status: "awaitingConfirmation",
      stalled: false,
      removal: { confirmation: "pending" },
    });
    // Nothing else starts meanwhile, and resume is not a way around the confirmation.
    await expect(t.mutation(internal.clerk.sync.backfill, {})).rejects.toThrow(/confirm or cancel/);
    await expect(t.mutation(internal.clerk.sync.resume, {})).rejects.toThrow(/confirm or cancel/);
    vi.advanceTimersByTime(3 * WATCHDOG_INTERVAL_MS);
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "awaitingConfirmation" });

    await t.mutation(internal.clerk.sync.confirm, {});
    await finish(t);
    const after = await tables(t);
    expect(after.users.map((u) => u.clerkId)).not.toContain(goneUser);
    expect(after.organizations.map((o) => o.clerkId)).not.toContain(goneOrg);
    expect(await latestRun(t)).toMatchObject({
      status: "completed",
      removal: { confirmation: "confirmed", decidedBy: "cli", removed: { users: 1, organizations: 1 } },
    });
  });

  test("cancelling at the confirmation removes nothing, and the run cannot be resumed into removing", async () => {
    const { t, before } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5 });
    await finish(t);
    await t.mutation(internal.clerk.sync.cancel, {});
    await finish(t);
    expect(await tables(t)).toEqual(before);
    expect(await latestRun(t)).toMatchObject({ status: "cancelled", removal: { confirmation: "cancelled" } });
    expect(await t.run(async (ctx) => await ctx.db.query("clerkSyncCandidates").collect())).toEqual([]);
    await expect(t.mutation(internal.clerk.sync.resume, {})).rejects.toThrow(/start a new one/);
    await expect(t.mutation(internal.clerk.sync.confirm, {})).rejects.toThrow(/No reconcile is waiting/);
  });

  test("the cap comes from CLERK_RECONCILE_MAX_REMOVALS: three users of thirty is 10 %, but more than 2 rows", async () => {
    const data = instance(30, 1);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    const gone = [27, 28, 29].map((i) => clerkId("user", "u", i));
    api.data.users = api.data.users.filter((u) => !gone.includes(String(u.id)));
    api.data.memberships = api.data.memberships.filter(
      (m) => !gone.includes(String((m.public_user_data as ClerkObject).user_id)),
    );
    vi.stubEnv("CLERK_RECONCILE_MAX_REMOVALS", "2");
    vi.stubEnv("CLERK_RECONCILE_MAX_REMOVAL_PERCENT", "50");
    await t.mutation(internal.clerk.sync.reconcile, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({
      status: "awaitingConfirmation",
      removal: { maxRows: 2, maxPercent: 50, found: { users: 3, memberships: 3 } },
    });
    expect((await tables(t)).users).toHaveLength(30);
  });

  test("what a reconcile removed comes back when a webhook shows it alive", async () => {
    const { t, goneUser, goneOrg } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await finish(t);
    expect((await tables(t)).users.map((u) => u.clerkId)).not.toContain(goneUser);

    // Clerk had it all along (e.g. the reconcile asked the wrong place): a later event restores it.
    const updated = await deliver(t, envelope("user.updated", user(4, { updated_at: Date.now() }), Date.now()));
    expect(updated.outcome).toBe("applied");
    const org = await deliver(
      t,
      envelope("organization.updated", organization(2, { updated_at: Date.now() }), Date.now()),
    );
    expect(org.outcome).toBe("applied");
    const after = await tables(t);
    expect(after.users.map((u) => u.clerkId)).toContain(goneUser);
    expect(after.organizations.map((o) => o.clerkId)).toContain(goneOrg);

    // Clerk's own delete is final: after it, nothing brings the user back.
    expect(
      (await deliver(t, envelope("user.deleted", { id: goneUser, object: "user", deleted: true }, Date.now()))).outcome,
    ).toBe("applied");
    expect(
      (await deliver(t, envelope("user.updated", user(4, { updated_at: Date.now() + 1 }), Date.now() + 1))).outcome,
    ).toBe("stale");
    expect((await tables(t)).users.map((u) => u.clerkId)).not.toContain(goneUser);
  });

  test("what a reconcile removed comes back with a backfill, children included", async () => {
    const data = instance(12, 3);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await finish(t);
    const expected = await tables(t);
    // Clerk hides user 4 and organization 2 for a while (an outage of its lists and lookups)…
    const hidden = structuredClone(api.data);
    missedDeletions(api.data);
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await finish(t);
    expect((await tables(t)).organizations).toHaveLength(2);
    // …then shows them again: a backfill restores every row, memberships of the organization included.
    api.data = hidden;
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await finish(t);
    const restored = await tables(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed", counts: { stale: 0 } });
    expect(restored.users).toEqual(expected.users);
    expect(restored.organizations).toEqual(expected.organizations);
    expect(restored.memberships).toEqual(expected.memberships);
  });

  test("a resumed reconcile checks the instance again: another instance's key pasted before the resume removes nothing", async () => {
    const { t, before } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    expect(await runUntilPhase(t, "sweepMemberships")).toMatchObject({ status: "running" });
    await t.mutation(internal.clerk.sync.cancel, {});
    // The key of another, empty Clerk instance is pasted, and the run resumed.
    const other = await startFakeClerkApi(
      { users: [], organizations: [], memberships: [] },
      { secretKey: "sk_test_otherInstance", frontendApi: "https://sly-fox-3.clerk.accounts.dev" },
    );
    try {
      vi.stubEnv("CLERK_SECRET_KEY", other.secretKey);
      vi.stubEnv("CLERK_API_URL", other.url);
      await t.mutation(internal.clerk.sync.resume, {});
      await finish(t);
      expect(await latestRun(t)).toMatchObject({
        status: "failed",
        error: expect.stringContaining(
          "CLERK_SECRET_KEY belongs to another Clerk instance (sly-fox-3.clerk.accounts.dev)",
        ),
      });
      expect(other.requests.map((r) => r.path)).toEqual(["/v1/domains"]);
      expect(await tables(t)).toEqual(before);
    } finally {
      await other.close();
    }
  });

  test("a mistyped CLERK_API_URL (a proxy's HTML 404s) stops a resumed reconcile; nothing is gone", async () => {
    const { t, before } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await runUntilPhase(t, "sweepMemberships");
    await t.mutation(internal.clerk.sync.cancel, {});
    api.answerInstead = () => ({ status: 404, text: "<html><body>404 Not Found</body></html>" });
    await t.mutation(internal.clerk.sync.resume, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("does not answer as Clerk's Backend API"),
    });
    expect(await tables(t)).toEqual(before);
  });

  test("a 404 on an organization's memberships is not 'all gone' while the organization exists", async () => {
    const { t, before } = await backfilledThenDeleted();
    const org0 = clerkId("org", "o", 0);
    api.answerInstead = (request) =>
      request.path === `/v1/organizations/${org0}/memberships`
        ? { status: 404, text: JSON.stringify({ errors: [{ code: "resource_not_found", message: "not found" }] }) }
        : null;
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await finish(t);
    expect(await latestRun(t)).toMatchObject({
      status: "failed",
      error: expect.stringContaining(`Clerk answered 404 for the memberships of ${org0}, yet has the organization`),
    });
    const after = await tables(t);
    expect(after.memberships.filter((m) => m.organizationId === org0)).toEqual(
      before.memberships.filter((m) => m.organizationId === org0),
    );
    expect(after.users).toEqual(before.users);
  });

  test("a refused key (403) in the sweep stops the run instead of reading as 'all gone'", async () => {
    const { t, before } = await backfilledThenDeleted();
    await t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await runUntilPhase(t, "sweepMemberships");
    api.answerInstead = (request) =>
      request.path.includes("/memberships")
        ? { status: 403, text: JSON.stringify({ errors: [{ code: "authorization_invalid", message: "nope" }] }) }
        : null;
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "failed", phase: "sweepMemberships" });
    expect(await tables(t)).toEqual(before);
  });

  test("checks rows by id: rows Clerk still has are never removed, even ones its lists skipped", async () => {
    const data = instance(7, 2);
    await serve(data);
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    const before = await tables(t);
    // Clerk's lists come back empty (e.g. a list endpoint misbehaving): only a by-id check may decide.
    api.beforeAnswer = (request) => {
      if (request.query.get("order_by") !== null) request.query.set("offset", "100000");
    };
    await t.mutation(internal.clerk.sync.reconcile, {});
    await finish(t);
    expect(await tables(t)).toEqual(before);
    expect((await latestRun(t))?.counts).toMatchObject({ removed: 0, checked: 7 + 2 + 8 });
  });

  test("the schedule is off by default and runs when CLERK_RECONCILE_INTERVAL_HOURS is due", async () => {
    await serve(instance(2, 1));
    const t = await newBackend();
    expect(await t.mutation(internal.clerk.sync.reconcileIfDue, {})).toBeNull();
    vi.stubEnv("CLERK_RECONCILE_INTERVAL_HOURS", "24");
    const first = await t.mutation(internal.clerk.sync.reconcileIfDue, {});
    expect(first).not.toBeNull();
    await finish(t);
    expect(await t.mutation(internal.clerk.sync.reconcileIfDue, {})).toBeNull(); // ran less than 24 h ago
    vi.advanceTimersByTime(25 * 60 * 60 * 1000);
    expect(await t.mutation(internal.clerk.sync.reconcileIfDue, {})).not.toBeNull();
  });
});

/** Whether `userId` may read the members list of `organizationId` as the engine's access check answers (else NOT_A_MEMBER). */
async function readsMembers(t: Backend, userId: string, organizationId: string): Promise<boolean> {
  const asUser = t.withIdentity({ subject: userId, issuer: FAKE_FRONTEND_API });
  return await asUser
    .run(async (ctx) => await requireOrgAccess(ctx, organizationId, "canReadMembers"))
    .then(
      () => true,
      (error: unknown) => {
        expect(error).toMatchObject({ data: { code: "NOT_A_MEMBER" } });
        return false;
      },
    );
}

/** Clerk's original object as the backfill read it (before Clerk lost it), at its own version. */
function original(kind: "users" | "organizations" | "memberships", id: string): ClerkObject {
  return instance(12, 3)[kind].find((item) => item.id === id)!;
}

// A reconcile infers a removal from Clerk's "not found"; the webhook that would have said so was
// lost. The original `*.created` arriving late (a Svix retry, a replayed kept payload) is older news
// than the row the reconcile removed: it must not bring the row back. Newer news does.
describe("what a reconcile removed comes back only for newer news", () => {
  async function reconciled() {
    const world = await backfilledThenDeleted();
    await world.t.mutation(internal.clerk.sync.reconcile, { pageSize: 5, maxRemovalPercent: 100 });
    await finish(world.t);
    return world;
  }

  test("a membership: its late created event is stale, and the removed member reads nothing", async () => {
    const { t, goneMembership } = await reconciled();
    const removed = original("memberships", goneMembership);
    const member = String((removed.public_user_data as ClerkObject).user_id);
    const org = String((removed.organization as ClerkObject).id);
    const version = Number(removed.updated_at);
    expect(await readsMembers(t, member, org)).toBe(false);

    for (const type of ["organizationMembership.created", "organizationMembership.updated"] as const)
      expect((await deliver(t, envelope(type, removed, version))).outcome).toBe("stale");
    expect((await tables(t)).memberships.map((m) => m.clerkId)).not.toContain(goneMembership);
    expect(await readsMembers(t, member, org)).toBe(false);

    // Clerk's newer snapshot (the member added back) is news: it applies.
    const newer = { ...removed, updated_at: version + 1 };
    expect((await deliver(t, envelope("organizationMembership.updated", newer, version + 1))).outcome).toBe("applied");
    expect(await readsMembers(t, member, org)).toBe(true);
  });

  test("a user: a late snapshot of the removed version is stale; a newer one brings the user back", async () => {
    const { t, goneUser } = await reconciled();
    const removed = original("users", goneUser);
    const version = Number(removed.updated_at);
    for (const type of ["user.created", "user.updated"] as const)
      expect((await deliver(t, envelope(type, removed, version))).outcome).toBe("stale");
    expect((await tables(t)).users.map((u) => u.clerkId)).not.toContain(goneUser);

    const newer = { ...removed, updated_at: version + 1 };
    expect((await deliver(t, envelope("user.updated", newer, version + 1))).outcome).toBe("applied");
    expect((await tables(t)).users.map((u) => u.clerkId)).toContain(goneUser);
  });

  test("an organization: a late snapshot of the removed version is stale; a newer one brings it back", async () => {
    const { t, goneOrg } = await reconciled();
    const removed = original("organizations", goneOrg);
    const version = Number(removed.updated_at);
    for (const type of ["organization.created", "organization.updated"] as const)
      expect((await deliver(t, envelope(type, removed, version))).outcome).toBe("stale");
    expect((await tables(t)).organizations.map((o) => o.clerkId)).not.toContain(goneOrg);

    const newer = { ...removed, updated_at: version + 1 };
    expect((await deliver(t, envelope("organization.updated", newer, version + 1))).outcome).toBe("applied");
    expect((await tables(t)).organizations.map((o) => o.clerkId)).toContain(goneOrg);
  });
});

describe("runs an operator starts (Roster's admin page gates who may)", () => {
  test("a backfill's progress shows live", async () => {
    await serve(instance(9, 2));
    const t = await newBackend();
    const runId = await t.mutation(internal.clerk.sync.backfill, {});
    await runDueSteps(t); // count
    await runDueSteps(t); // the users (one page of 100)
    const midway = await t.query(internal.clerk.sync.status, {});
    expect(midway[0]).toMatchObject({
      runId,
      status: "running",
      phase: "organizations",
      totals: { users: 9, organizations: 2, roles: 2, memberships: 10 },
      remaining: 14,
      startedBy: "cli",
    });
    await finish(t);
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({
      status: "completed",
      remaining: 0,
    });
  });

  test("a reconcile shows what it would remove and waits; confirmed, it removes it, once", async () => {
    await serve(instance(12, 3));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    missedDeletions(api.data);
    const runId = await t.mutation(internal.clerk.sync.reconcile, {});
    await finish(t);
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({
      runId,
      status: "awaitingConfirmation",
      removal: { found: { users: 1, organizations: 1, memberships: 7 }, confirmation: "pending" },
    });

    expect(await t.mutation(internal.clerk.sync.confirm, { runId })).toBe(runId);
    await finish(t);
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({
      status: "completed",
      removal: { confirmation: "confirmed", decidedBy: "cli", removed: { users: 1, organizations: 1 } },
    });
    await expect(t.mutation(internal.clerk.sync.confirm, { runId })).rejects.toThrow(/not waiting/);
  });
});

describe("roles", () => {
  const AUDITOR = clerkId("role", "aud");
  const ORG0 = clerkId("org", "o", 0);
  const MEMBER = clerkId("user", "u", 1);

  /** User 1 holds the custom role org:auditor; its membership's copy of the permissions is `copied`. */
  function withAuditor(copied: string[], roles: ClerkObject[]): FakeClerkData {
    const data = instance(3, 1);
    data.memberships = data.memberships.map((m) =>
      m.id === clerkId("orgmem", "m", 1) ? { ...m, role: "org:auditor", role_name: "Auditor", permissions: copied } : m,
    );
    return { ...data, roles };
  }

  /** Whether user 1 may read the members list of organization 0, as the engine's access check answers. */
  async function memberMayListMembers(t: Backend): Promise<boolean> {
    const asMember = t.withIdentity({ subject: MEMBER, issuer: FAKE_FRONTEND_API });
    return await asMember
      .run(async (ctx) => await requireOrgAccess(ctx, ORG0, "canReadMembers"))
      .then(
        () => true,
        (error: unknown) => {
          expect(error).toMatchObject({ data: { code: "NOT_AN_ADMIN" } });
          return false;
        },
      );
  }

  async function storedRole(t: Backend) {
    return await t.run(
      async (ctx) =>
        await ctx.db
          .query("roles")
          .withIndex("by_key", (q) => q.eq("key", "org:auditor"))
          .collect(),
    );
  }

  test("a backfill brings a role's current permissions in, and its members are decided by them", async () => {
    // The membership's copy lacks org:sys_memberships:read; the role in Clerk has it now.
    await serve(withAuditor(["org:reports:read"], [clerkRole()]));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    await finish(t);

    expect((await storedRole(t)).map((r) => r.permissions)).toEqual([["org:reports:read", "org:sys_memberships:read"]]);
    expect(await memberMayListMembers(t)).toBe(true);
    expect(await latestRun(t)).toMatchObject({
      status: "completed",
      totals: { users: 3, organizations: 1, memberships: 3, roles: 1 },
      counts: { seen: { users: 3, organizations: 1, memberships: 3, roles: 1 }, changed: 8, invalid: 0 },
    });
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({ remaining: 0 });
    // Roles are listed like the other lists (oldest first, in pages), all before the first membership page.
    const listing = api.requests.filter((r) => r.query.get("limit") !== "1"); // limit=1: the count phase
    const rolePages = listing.filter((r) => r.path === "/v1/organization_roles");
    expect(rolePages.map((r) => [r.query.get("order_by"), r.query.get("offset")])).toContainEqual(["+created_at", "0"]);
    expect(listing.indexOf(rolePages.at(-1)!)).toBeLessThan(
      listing.findIndex((r) => r.path === "/v1/organization_memberships"),
    );
  });

  test("a run counted before roles were listed goes on through the roles phase", async () => {
    await serve(withAuditor(["org:reports:read"], [clerkRole()]));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    const run = await runUntilPhase(t, "organizations");
    // What a run stored before this deploy looks like: no roles in its totals or counts.
    await t.run(async (ctx) => {
      const { roles: _seen, ...seen } = run!.counts.seen;
      const { roles: _total, ...totals } = run!.totals!;
      await ctx.db.patch("clerkSyncRuns", run!._id, { totals, counts: { ...run!.counts, seen } });
    });
    expect((await t.query(internal.clerk.sync.status, {}))[0]).toMatchObject({ phase: "organizations", remaining: 4 });
    await finish(t);

    expect(await latestRun(t)).toMatchObject({ status: "completed", counts: { seen: { roles: 1 } } });
    expect(await memberMayListMembers(t)).toBe(true);
  });

  test("an older role snapshot from Clerk does not overwrite a newer one", async () => {
    await serve(withAuditor(["org:reports:read", "org:sys_memberships:read"], [clerkRole()]));
    const t = await newBackend();
    // role.updated (newer than Clerk's listed snapshot, which lags) took the members list away.
    const newer = clerkRole({ permissions: [clerkPermission()], updated_at: T0 + 60 * MINUTE });
    expect((await deliver(t, envelope("role.updated", newer, T0 + 60 * MINUTE))).status).toBe(200);
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);

    expect((await storedRole(t)).map((r) => [r.permissions, r.clerkVersion])).toEqual([
      [["org:reports:read"], T0 + 60 * MINUTE],
    ]);
    expect(await memberMayListMembers(t)).toBe(false);
    expect((await latestRun(t))?.counts).toMatchObject({ seen: { roles: 1 }, stale: 1 });
  });

  test("a role Clerk's role.deleted removed stays deleted, and its members hold none of its permissions", async () => {
    // The membership's copy would allow the members list; the role is gone.
    await serve(withAuditor(["org:reports:read", "org:sys_memberships:read"], [clerkRole()]));
    const t = await newBackend();
    expect((await deliver(t, envelope("role.created", clerkRole(), T0))).status).toBe(200);
    expect((await deliver(t, roleDeleted(AUDITOR, T0 + 60 * MINUTE))).status).toBe(200);
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);

    expect(await storedRole(t)).toEqual([]);
    expect(await memberMayListMembers(t)).toBe(false);
    expect((await latestRun(t))?.counts).toMatchObject({ seen: { roles: 1 }, stale: 1 });
  });

  /** Which members of organization 0 hold a role key that names no role Clerk has (what the members list marks). */
  async function unknownRoleHolders(t: Backend) {
    return await t.run(async (ctx) => {
      const holders: string[] = [];
      for (const membership of await ctx.db.query("memberships").collect()) {
        if (membership.organizationId === ORG0 && (await roleStanding(ctx, membership.role)).unknown)
          holders.push(membership.userId);
      }
      return holders;
    });
  }

  test("once a backfill has listed Clerk's roles, a key none of them holds grants nothing, and the list says so", async () => {
    // Clerk lists its default roles only: org:auditor went (its role.deleted named a role Roster never stored).
    await serve(withAuditor(["org:sys_memberships:manage"], clerkDefaultRoles()));
    const t = await newBackend();
    expect((await deliver(t, roleDeleted(AUDITOR, T0 + MINUTE))).outcome).toBe("applied");
    await t.mutation(internal.clerk.sync.backfill, { pageSize: 5 });
    // The listing is recorded once the roles phase has read Clerk's whole list.
    await runUntilPhase(t, "roles");
    expect(await t.run(async (ctx) => await ctx.db.query("roleListings").collect())).toEqual([]);
    await runUntilPhase(t, "memberships");
    expect(await t.run(async (ctx) => await ctx.db.query("roleListings").collect())).toEqual([
      expect.objectContaining({ roles: 2 }),
    ]);
    await finish(t);

    expect(await memberMayListMembers(t)).toBe(false);
    expect(await unknownRoleHolders(t)).toEqual([MEMBER]);
    // The default roles decide their holders; org:admin stays admin.
    const asMember2 = t.withIdentity({ subject: clerkId("user", "u", 2), issuer: FAKE_FRONTEND_API });
    expect(await asMember2.run(async (ctx) => await memberAccess(ctx, await requireMember(ctx, ORG0)))).toMatchObject({
      canReadMembers: true,
      canManageMembers: false,
    });
  });

  test("an empty list of roles proves nothing: the membership's copy still decides", async () => {
    await serve(withAuditor(["org:sys_memberships:read"], []));
    const t = await newBackend();
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    expect(await latestRun(t)).toMatchObject({ status: "completed", counts: { seen: { roles: 0 } } });
    expect(await t.run(async (ctx) => await ctx.db.query("roleListings").collect())).toEqual([]);
    expect(await memberMayListMembers(t)).toBe(true);
    expect(await unknownRoleHolders(t)).toEqual([]);
  });

  test("each listing replaces the last one's record", async () => {
    await serve(withAuditor(["org:sys_memberships:read"], [...clerkDefaultRoles(), clerkRole()]));
    const t = await newBackend();
    for (let run = 0; run < 2; run += 1) {
      await t.mutation(internal.clerk.sync.backfill, {});
      await finish(t);
    }
    const listings = await t.run(async (ctx) => await ctx.db.query("roleListings").collect());
    expect(listings).toEqual([expect.objectContaining({ roles: 3 })]);
    expect(listings[0]!.listedAt).toBeGreaterThan((await latestRun(t))!.startedAt);
    expect(await memberMayListMembers(t)).toBe(true);
  });
});
