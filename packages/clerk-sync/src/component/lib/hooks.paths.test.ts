/**
 * The app's change hook on every path that changes a synced row — webhook, retry, backfill,
 * reconcile, cascade, retention, fetch: exactly one call per change, with the row before and after
 * as the tables hold them, and the source (and, for a cascade, the cause) saying which path. A hook
 * that throws rolls the change back: the event is kept as failed, a run fails and can be resumed.
 *
 * "Exactly once" is checked against the tables themselves: for each row that differs between two
 * snapshots, the hook's calls on it chain from the old row to the new one (each call's `before` is
 * the previous call's `after`), and no call names a row that did not change.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkId,
  clerkMembership,
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  DAY,
  membershipEvent,
  MINUTE,
  ORG,
  organizationDeleted,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  sessionEvent,
  T0,
  userDeleted,
  userEvent,
  type ClerkObject,
} from "../../../../../test/clerkEvents.js";
import {
  clearHookCalls,
  deliver,
  hookCalls,
  newBackend,
  SECRET,
  setHook,
  type Backend,
} from "../../../../../test/component/backend.js";
import { HOOK_REFUSED } from "../../../../../test/component/hooks.js";
import {
  FAKE_FRONTEND_API,
  loopbackFetch,
  startFakeClerkApi,
  type FakeClerkApi,
  type FakeClerkData,
} from "../../../../../test/fakeClerkApi.js";
import { internal } from "../_generated/api.js";
import { fetchMissingLater } from "../clerk/missing.js";
import { HOOKED_TABLES, type Change, type ChangeSource } from "./hooks.js";

type Row = Record<string, unknown> & { _id: string };
type Snapshot = Map<string, Row>;

/** Every row of every synced table, keyed `table:_id`, as the hook sees rows (no `_creationTime`). */
async function snapshot(t: Backend): Promise<Snapshot> {
  const entries = await t.run(async (ctx) => {
    const rows: Array<[string, Row]> = [];
    for (const table of HOOKED_TABLES) {
      for (const { _creationTime: _ignored, ...row } of await ctx.db.query(table).collect())
        rows.push([`${table}:${row._id}`, row]);
    }
    return rows;
  });
  return new Map(entries);
}

/**
 * The hook's calls between two snapshots are exactly the changes: each changed row's calls chain
 * from its old state to its new one, nothing unchanged is named, no call changes nothing.
 */
function expectCallsMatchTables(before: Snapshot, after: Snapshot, calls: Change[]): void {
  const chains = new Map<string, Change[]>();
  for (const call of calls) {
    const row = call.after ?? call.before;
    expect(row, `a ${call.table} ${call.op} names no row`).not.toBeNull();
    const key = `${call.table}:${row!._id}`;
    chains.set(key, [...(chains.get(key) ?? []), call]);
    expect(call.op).toBe(call.before === null ? "create" : call.after === null ? "delete" : "update");
    if (call.op === "update") expect(call.after, `an update of ${key} that changes nothing`).not.toEqual(call.before);
  }
  const changed = new Set<string>();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(key) ?? null;
    const now = after.get(key) ?? null;
    if (JSON.stringify(old) !== JSON.stringify(now)) changed.add(key);
  }
  for (const key of changed) {
    const chain = chains.get(key);
    expect(chain, `${key} changed and the hook was not told`).toBeDefined();
    expect(chain![0]!.before).toEqual(before.get(key) ?? null);
    expect(chain!.at(-1)!.after).toEqual(after.get(key) ?? null);
    for (let i = 1; i < chain!.length; i += 1) expect(chain![i]!.before).toEqual(chain![i - 1]!.after);
  }
  // A row created and deleted in between shows in neither snapshot; anything else named must have changed.
  for (const [key, chain] of chains) {
    if (changed.has(key)) continue;
    expect(
      chain[0]!.op === "create" && chain.at(-1)!.op === "delete",
      `${key} did not change, yet the hook was told`,
    ).toBe(true);
  }
}

/** What `work` changes, with the hook's calls for it: checked to be exactly the changes. */
async function changesOf(t: Backend, work: () => Promise<unknown>): Promise<Change[]> {
  await clearHookCalls(t);
  const before = await snapshot(t);
  await work();
  const calls = await hookCalls(t);
  expectCallsMatchTables(before, await snapshot(t), calls);
  return calls;
}

/** table, op, the Clerk id, and the source of each call (and the cause's, for a cascade). */
function summary(calls: Change[]) {
  return calls.map((call) => {
    const base = [call.table, call.op, String((call.after ?? call.before)?.clerkId), call.source];
    return call.cause === undefined ? base : [...base, `${call.cause.kind}:${call.cause.clerkId}`];
  });
}

function sources(calls: Change[]): ChangeSource[] {
  return [...new Set(calls.map((call) => call.source))];
}

async function finish(t: Backend) {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 1_000);
}

let clerk: FakeClerkApi | undefined;

/** A fake Clerk Backend API holding `data`, with CLERK_SECRET_KEY and CLERK_API_URL pointing at it. */
async function serve(data: FakeClerkData) {
  clerk = await startFakeClerkApi(data);
  vi.stubEnv("CLERK_SECRET_KEY", clerk.secretKey);
  vi.stubEnv("CLERK_API_URL", clerk.url);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", FAKE_FRONTEND_API);
  return clerk;
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
  await clerk?.close();
  clerk = undefined;
});

describe("webhook", () => {
  test("each event's changes reach the hook once, from the webhook, with the rows before and after", async () => {
    const t = await newBackend({}, { hook: "record" });
    expect(summary(await changesOf(t, () => deliver(t, userEvent("user.created"))))).toEqual([
      ["users", "create", ADA, "webhook"],
    ]);
    const renamed = await changesOf(t, () =>
      deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: T0 + MINUTE })),
    );
    expect(summary(renamed)).toEqual([["users", "update", ADA, "webhook"]]);
    expect(renamed[0]).toMatchObject({ before: { firstName: "Ada" }, after: { firstName: "Augusta" } });

    // A membership brings its organization (embedded) in the same transaction.
    const joined = await changesOf(t, () => deliver(t, membershipEvent("organizationMembership.created")));
    expect(summary(joined).sort()).toEqual(
      [
        ["memberships", "create", clerkMembership().id, "webhook"],
        ["organizations", "create", ORG, "webhook"],
      ].sort(),
    );
    // The same snapshot again changes nothing, and the hook hears nothing.
    expect(await changesOf(t, () => deliver(t, membershipEvent("organizationMembership.created")))).toEqual([]);
    expect(
      summary(
        await changesOf(t, () =>
          deliver(
            t,
            membershipEvent("organizationMembership.updated", { role: "org:member", updated_at: T0 + MINUTE }),
          ),
        ),
      ),
    ).toEqual([["memberships", "update", clerkMembership().id, "webhook"]]);
    expect(
      summary(await changesOf(t, () => deliver(t, organizationInvitationEvent("organizationInvitation.created")))),
    ).toEqual([["organizationInvitations", "create", expect.any(String), "webhook"]]);
    const left = await changesOf(t, () =>
      deliver(t, membershipEvent("organizationMembership.deleted", { updated_at: T0 + 2 * MINUTE })),
    );
    expect(summary(left)).toEqual([["memberships", "delete", clerkMembership().id, "webhook"]]);
    expect(left[0]).toMatchObject({ before: { userId: ADA, organizationId: ORG, role: "org:member" }, after: null });
  });

  test("a stale or duplicate delivery calls no hook", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, userEvent("user.created", { updated_at: T0 + MINUTE }), { svixId: "msg_once" });
    expect(await changesOf(t, () => deliver(t, userEvent("user.created"), { svixId: "msg_once" }))).toEqual([]);
    expect(await changesOf(t, () => deliver(t, userEvent("user.updated", { first_name: "Old" })))).toEqual([]);
  });
});

describe("a hook that throws", () => {
  test("rolls the webhook's change back: the event is kept as failed; a retry once the hook accepts applies it, source retry", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend({}, { hook: "reject" });
    const answer = await deliver(t, userEvent("user.created"), { svixId: "msg_refused" });
    expect(answer).toMatchObject({ status: 500, outcome: "failed" });
    const state = await t.run(async (ctx) => ({
      users: await ctx.db.query("users").collect(),
      log: (await ctx.db.query("webhookEvents").collect()).map(({ svixId, outcome, error }) => ({
        svixId,
        outcome,
        error,
      })),
      kept: (await ctx.db.query("failedPayloads").collect()).map((row) => row.svixId),
    }));
    expect(state.users).toEqual([]);
    expect(state.log).toEqual([
      { svixId: "msg_refused", outcome: "failed", error: expect.stringContaining(HOOK_REFUSED) },
    ]);
    expect(state.kept).toEqual(["msg_refused"]);
    expect(await hookCalls(t)).toEqual([]);

    await setHook(t, "record");
    const retried = await changesOf(t, () => t.action(internal.webhooks.log.retryFailed, {}));
    expect(summary(retried)).toEqual([["users", "create", ADA, "retry"]]);
    expect(
      await t.run(async (ctx) => (await ctx.db.query("webhookEvents").collect()).map((row) => row.outcome)),
    ).toEqual(["applied"]);
  });

  test("Svix's own redelivery once the hook accepts is a webhook change", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend({}, { hook: "reject" });
    expect(await deliver(t, userEvent("user.created"), { svixId: "msg_again" })).toMatchObject({ status: 500 });
    await setHook(t, "record");
    const again = await changesOf(t, () => deliver(t, userEvent("user.created"), { svixId: "msg_again" }));
    expect(summary(again)).toEqual([["users", "create", ADA, "webhook"]]);
  });

  test("with no config stored, the first change fails CLERK_SYNC_NOT_CONFIGURED and the event is kept", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (const row of await ctx.db.query("config").collect()) await ctx.db.delete("config", row._id);
    });
    expect(await deliver(t, userEvent("user.created"))).toMatchObject({ status: 500, outcome: "failed" });
    const row = await t.run(async (ctx) => await ctx.db.query("webhookEvents").unique());
    expect(row).toMatchObject({ outcome: "failed", error: expect.stringContaining("CLERK_SYNC_NOT_CONFIGURED") });
    expect(await t.run(async (ctx) => await ctx.db.query("users").collect())).toEqual([]);
  });
});

describe("cascade", () => {
  test("user.deleted: the user's delete from the webhook, their memberships and sessions from the cascade, naming the user", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, userEvent("user.created"));
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_charles",
        public_user_data: publicUserData(clerkUserCharles()),
        role: "org:member",
      }),
    );
    await deliver(t, sessionEvent("session.created", { user_id: CHARLES, id: "sess_charles" }));

    const calls = await changesOf(t, async () => {
      await deliver(t, userDeleted(CHARLES, T0 + DAY));
      await finish(t);
    });
    expect(summary(calls)).toEqual(
      expect.arrayContaining([
        ["users", "delete", CHARLES, "webhook"],
        ["memberships", "delete", "orgmem_charles", "cascade", `user:${CHARLES}`],
        ["sessions", "delete", "sess_charles", "cascade", `user:${CHARLES}`],
      ]),
    );
    // Ada's rows are untouched; nothing else changed but erasures the cascade names.
    expect(calls.filter((call) => JSON.stringify(call).includes(ADA) && call.table !== "organizations")).toEqual([]);
    for (const call of calls.filter((c) => c.source === "cascade"))
      expect(call.cause).toEqual({ kind: "user", clerkId: CHARLES });
  });

  test("organization.deleted: the organization's delete from the webhook, its memberships and invitations from the cascade", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
    const calls = await changesOf(t, async () => {
      await deliver(t, organizationDeleted(ORG, T0 + DAY));
      await finish(t);
    });
    expect(summary(calls).sort()).toEqual(
      [
        ["organizations", "delete", ORG, "webhook"],
        ["memberships", "delete", clerkMembership().id, "cascade", `organization:${ORG}`],
        ["organizationInvitations", "delete", expect.any(String), "cascade", `organization:${ORG}`],
      ].sort(),
    );
  });
});

describe("a cascade batch whose hook throws", () => {
  // KNOWN GAP (reported to the lead, 2026-12-07): removeChildren is a scheduled mutation; when the
  // app's hook throws, the batch rolls back and fails, and nothing schedules it again, so the
  // deleted user's membership outlives the delete for good. The issue asks that such work fail
  // resumable. `test.fails` until the cascade is resumed (then make this a plain `test`).
  test.fails("is resumed once the hook accepts, so no row of a deleted user outlives the delete", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_charles",
        public_user_data: publicUserData(clerkUserCharles()),
        role: "org:member",
      }),
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await setHook(t, "reject");
    await finish(t);
    await setHook(t, "record");
    await finish(t);
    expect(await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).map((m) => m.clerkId))).toEqual([]);
  });
});

describe("retention", () => {
  test("pruning ended sessions tells the hook of each, source retention", async () => {
    vi.useRealTimers();
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, sessionEvent("session.ended"));
    const calls = await changesOf(t, () => t.mutation(internal.cascades.pruneEndedSessions, {}));
    expect(summary(calls)).toEqual([["sessions", "delete", expect.any(String), "retention"]]);
  });
});

describe("fetch", () => {
  test("a user an event named but Convex never saw, fetched from Clerk: one create, source fetch", async () => {
    await serve({ users: [clerkUserCharles()], organizations: [], memberships: [] });
    const t = await newBackend({}, { hook: "record" });
    const calls = await changesOf(t, async () => {
      await t.run(async (ctx) => await fetchMissingLater(ctx, [{ kind: "user", clerkId: CHARLES }]));
      await finish(t);
    });
    expect(summary(calls)).toEqual([["users", "create", CHARLES, "fetch"]]);
  });
});

/** A small Clerk instance: `users` users, one organization, each user a member (user 0 its admin). */
function clerkInstance(users: number): FakeClerkData {
  const org = clerkOrganization({ id: clerkId("org", "h", 0), slug: "hooks", created_at: T0, updated_at: T0 });
  const people = Array.from({ length: users }, (_, i) =>
    clerkUser({ id: clerkId("user", "h", i), first_name: `User${i}`, created_at: T0 + i, updated_at: T0 + i }),
  );
  const memberships: ClerkObject[] = people.map((person, i) =>
    clerkMembership({
      id: clerkId("orgmem", "h", i),
      organization: org,
      public_user_data: publicUserData(person),
      role: i === 0 ? "org:admin" : "org:member",
      created_at: T0 + i,
      updated_at: T0 + i,
    }),
  );
  return { users: people, organizations: [org], memberships };
}

async function latestRun(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("clerkSyncRuns").order("desc").first());
}

describe("backfill and reconcile", () => {
  test("a backfill's changes reach the hook once each, source backfill; a second changes only what Clerk changed", async () => {
    const clerkApi = await serve(clerkInstance(4));
    const t = await newBackend({}, { hook: "record" });
    const first = await changesOf(t, async () => {
      await t.mutation(internal.clerk.sync.backfill, { pageSize: 2 });
      await finish(t);
    });
    expect(sources(first)).toEqual(["backfill"]);
    const created = summary(first).filter(([table]) => table !== "roles" && table !== "permissions");
    expect(created.map(([table, op]) => `${table} ${op}`).sort()).toEqual(
      [...Array(4).fill("users create"), "organizations create", ...Array(4).fill("memberships create")].sort(),
    );

    const renamed = clerkUser({ id: clerkId("user", "h", 2), first_name: "Renamed", updated_at: T0 + DAY });
    clerkApi.data.users[2] = renamed;
    const second = await changesOf(t, async () => {
      await t.mutation(internal.clerk.sync.backfill, { pageSize: 2 });
      await finish(t);
    });
    // The user, and their membership's copy of their name (followed from the user row).
    expect(
      summary(second)
        .map(([table, op, id, source]) => [table, op, id, source])
        .sort(),
    ).toEqual(
      [
        ["users", "update", clerkId("user", "h", 2), "backfill"],
        ["memberships", "update", clerkId("orgmem", "h", 2), "backfill"],
      ].sort(),
    );
  });

  test("a reconcile's removals reach the hook, source reconcile", async () => {
    const clerkApi = await serve(clerkInstance(4));
    const t = await newBackend({}, { hook: "record" });
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    const gone = clerkId("user", "h", 3);
    clerkApi.data.users = clerkApi.data.users.filter((user) => user.id !== gone);
    clerkApi.data.memberships = clerkApi.data.memberships.filter(
      (membership) => (membership.public_user_data as ClerkObject).user_id !== gone,
    );
    const calls = await changesOf(t, async () => {
      await t.mutation(internal.clerk.sync.reconcile, { maxRemovalPercent: 100 });
      await finish(t);
    });
    const run = await latestRun(t);
    expect(run, JSON.stringify(run?.error ?? run)).toMatchObject({ mode: "reconcile", status: "completed" });
    const removed = summary(calls).filter(([, op]) => op === "delete");
    expect(removed).toEqual(expect.arrayContaining([["users", "delete", gone, "reconcile"]]));
    expect(removed.map(([table, , id]) => `${table}:${id}`).sort()).toEqual(
      [`users:${gone}`, `memberships:${clerkId("orgmem", "h", 3)}`].sort(),
    );
    const membership = calls.find((call) => call.table === "memberships" && call.op === "delete");
    // The reconcile's own sweep found the membership gone too (before the user's cascade could): no cause.
    expect(membership).toMatchObject({ source: "reconcile", before: { userId: gone }, after: null });
    expect(membership?.cause).toBeUndefined();
  });

  test("a hook that throws fails the backfill, writing nothing; resumed once the hook accepts, it completes, source backfill", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await serve(clerkInstance(3));
    const t = await newBackend({}, { hook: "reject" });
    await t.mutation(internal.clerk.sync.backfill, {});
    await finish(t);
    const failed = await latestRun(t);
    expect(failed?.status).toBe("failed");
    expect(JSON.stringify(failed)).toContain(HOOK_REFUSED);
    expect(
      await t.run(async (ctx) => ({
        users: (await ctx.db.query("users").collect()).length,
        organizations: (await ctx.db.query("organizations").collect()).length,
        memberships: (await ctx.db.query("memberships").collect()).length,
      })),
    ).toEqual({ users: 0, organizations: 0, memberships: 0 });

    await setHook(t, "record");
    const resumed = await changesOf(t, async () => {
      await t.mutation(internal.clerk.sync.resume, {});
      await finish(t);
    });
    expect(await latestRun(t)).toMatchObject({ status: "completed" });
    expect(sources(resumed)).toEqual(["backfill"]);
    expect(resumed.filter((call) => call.table === "users")).toHaveLength(3);
  });
});
