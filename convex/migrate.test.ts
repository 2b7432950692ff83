import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { clerkId, clerkUser, INSTANCE_ID, T0, userDeleted, userEvent } from "../test/clerkEvents";
import { captureConsole } from "../test/console";
import { FAKE_FRONTEND_API, loopbackFetch, startFakeClerkApi, type FakeClerkApi } from "../test/fakeClerkApi";
import { deliver, newBackend, SECRET, seedInBatches, type Backend } from "../test/convex";
import { makeFunctionReference } from "convex/server";
import { components, internal } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";
import { LEGACY_TABLES, type LegacyTable } from "./model/legacyTables";
import schema from "./schema";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0 + 10 * 60_000);
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
let api: FakeClerkApi | null = null;
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await api?.close();
  api = null;
});

const ADA = clerkId("user", "ada");
const GRACE = clerkId("user", "grace");
/** Deleted in Clerk before the move: only its tombstone is left. */
const GONE = clerkId("user", "gone");
/** Named by the failed event: Roster never got to create them. */
const NEWCOMER = clerkId("user", "new");
const ORG = clerkId("org", "engines");
const ADA_IN_ORG = clerkId("orgmem", "ada");
const GRACE_IN_ORG = clerkId("orgmem", "grace");
const FAILED_SVIX = "msg_failed000000000000000001";
/** Deleted in Clerk before the move while its cascade had a membership left to remove. */
const CLOSED = clerkId("org", "closed");

/** A `users` row as Roster's schema at d9d518d held it, Roster's profile fields included. */
function legacyUser(id: string, first: string, profile: Record<string, string> = {}) {
  return {
    clerkId: id,
    clerkVersion: T0,
    email: `${first.toLowerCase()}@engines.example`,
    phone: null,
    username: null,
    firstName: first,
    lastName: null,
    imageUrl: null,
    publicMetadata: "{}",
    verifiedEmails: [`${first.toLowerCase()}@engines.example`],
    ...profile,
  };
}

function legacyMembership(id: string, userId: string, first: string, role: string) {
  return {
    clerkId: id,
    clerkVersion: T0,
    organizationId: ORG,
    userId,
    role,
    roleName: role === "org:admin" ? "Admin" : "Member",
    permissions: role === "org:admin" ? ["org:sys_memberships:manage"] : [],
    publicUserData: {
      firstName: first,
      lastName: null,
      imageUrl: null,
      identifier: `${first.toLowerCase()}@engines.example`,
    },
    searchText: `${first.toLowerCase()} ${first.toLowerCase()}@engines.example`,
    counted: true,
  };
}

/** A deployment's data as today's Roster (main at d9d518d) left it, in its own tables. */
async function seedToday(t: Backend) {
  const failedPayload = JSON.stringify(
    userEvent("user.created", { id: NEWCOMER, first_name: "Newcomer", updated_at: T0 + 60_000 }),
  );
  await t.run(async (ctx) => {
    const db = ctx.db as unknown as { insert: (table: LegacyTable, row: object) => Promise<unknown> };
    await db.insert("clerkInstance", {
      instanceId: INSTANCE_ID,
      pinnedAt: T0 - 1_000,
      source: "first_event",
      svixId: "msg_pin",
    });
    await db.insert("users", legacyUser(ADA, "Ada", { bio: "Engines.", country: "GB", birthday: "1815-12-10" }));
    await db.insert("users", legacyUser(GRACE, "Grace"));
    await db.insert("organizations", {
      clerkId: ORG,
      clerkVersion: T0,
      name: "Analytical Engines",
      slug: "engines",
      imageUrl: null,
      membersCount: 2,
      publicMetadata: "{}",
      createdBy: ADA,
    });
    await db.insert("memberships", legacyMembership(ADA_IN_ORG, ADA, "Ada", "org:admin"));
    await db.insert("memberships", legacyMembership(GRACE_IN_ORG, GRACE, "Grace", "org:member"));
    await db.insert("memberCountShards", { organizationId: ORG, shard: 3, count: 2 });
    await db.insert("tombstones", { kind: "user", clerkId: GONE, deletedAt: T0 + 1_000 });
    await db.insert("tombstones", { kind: "organization", clerkId: CLOSED, deletedAt: T0 + 2_000 });
    await db.insert("memberships", {
      ...legacyMembership(clerkId("orgmem", "closed"), GRACE, "Grace", "org:admin"),
      organizationId: CLOSED,
    });
    await db.insert("webhookEvents", {
      svixId: "msg_gone",
      type: "user.deleted",
      family: "user",
      clerkIds: [GONE],
      timestamp: T0 + 1_000,
      receivedAt: T0 + 1_000,
      outcome: "applied",
      attempts: 1,
    });
    await db.insert("webhookEvents", {
      svixId: FAILED_SVIX,
      type: "user.created",
      family: "user",
      clerkIds: [],
      timestamp: null,
      receivedAt: T0 + 60_000,
      outcome: "failed",
      attempts: 2,
      error: "Something went wrong",
      firstFailedAt: T0 + 30_000,
    });
    await db.insert("failedPayloads", { svixId: FAILED_SVIX, payload: failedPayload });
    await db.insert("failedPayloadSubjects", { svixId: FAILED_SVIX, subject: NEWCOMER });
    await db.insert("clerkSyncRuns", legacyRun("running"));
  });
}

/** A backfill run as clerk/schema.ts at d9d518d held it (its `nextStep` an id of the app's scheduler). */
function legacyRun(status: "running" | "completed") {
  return {
    mode: "backfill",
    status,
    phase: "memberships",
    pageSize: 100,
    list: { offset: 0, lastCreatedAt: null, lastIds: [] },
    sweepCursor: null,
    counts: {
      seen: { users: 2, organizations: 1, roles: 0, memberships: 0 },
      changed: 3,
      unchanged: 0,
      stale: 0,
      invalid: 0,
      checked: 0,
      removed: 0,
    },
    totals: { users: 2, organizations: 1, roles: 0, memberships: 2 },
    generation: 0,
    nextStep: null,
    waitingUntil: null,
    failures: 0,
    autoResumes: 0,
    error: null,
    startedBy: "cli",
    startedAt: T0 - 5_000,
    updatedAt: T0 - 4_000,
    finishedAt: null,
  };
}

async function migrate(t: Backend) {
  await t.mutation(internal.migrate.toComponent, {});
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

/** Every row of a component table, without its system fields. */
async function componentRows(t: Backend, table: string) {
  return await runInComponent(t, async (ctx) => {
    const rows = await (ctx.db.query as (name: string) => { collect: () => Promise<Record<string, unknown>[]> })(
      table,
    ).collect();
    return rows.map(({ _id: _ignoredId, _creationTime: _ignoredTime, ...fields }) => fields);
  });
}

/** Every row of an old (legacy) table, without its system fields. */
async function legacyRows(t: Backend, table: LegacyTable) {
  return await t.run(async (ctx) => {
    const rows = (await ctx.db.query(table).collect()) as Record<string, unknown>[];
    return rows.map(({ _id: _ignoredId, _creationTime: _ignoredTime, ...fields }) => fields);
  });
}

async function legacyLeft(t: Backend) {
  return await t.run(async (ctx) => {
    let left = 0;
    for (const table of LEGACY_TABLES) left += (await ctx.db.query(table).collect()).length;
    return left;
  });
}

/** Everything the migration writes, to compare a second run against. */
async function snapshot(t: Backend) {
  const component: Record<string, unknown[]> = {};
  for (const table of [
    "users",
    "organizations",
    "memberships",
    "memberCountShards",
    "tombstones",
    "webhookEvents",
    "failedPayloads",
    "failedPayloadSubjects",
    "clerkInstance",
    "clerkSyncRuns",
  ]) {
    component[table] = await componentRows(t, table);
  }
  const roster = await t.run(async (ctx) => ({
    profiles: (await ctx.db.query("profiles").collect()).map(({ _creationTime: _ignored, ...row }) => row),
    teamMembers: (await ctx.db.query("teamMembers").collect()).map(({ _creationTime: _ignored, ...row }) => row),
  }));
  return { component, roster };
}

describe("migrate:toComponent", () => {
  test("legacy table names are Roster's old ones and none clashes with a table Roster keeps", () => {
    const kept = Object.keys(schema.tables).filter((table) => !(LEGACY_TABLES as readonly string[]).includes(table));
    expect(kept.sort()).toEqual(["activity", "departureNotes", "invitationDismissals", "profiles", "teamMembers"]);
    expect(new Set(LEGACY_TABLES).size).toBe(LEGACY_TABLES.length);
  });

  test("no Roster module but the migration names a legacy table (they take any shape, so a stray read would type-check)", () => {
    const sources: Record<string, string> = import.meta.glob(["./**/*.ts", "!./**/*.test.ts", "!./_generated/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    const names = LEGACY_TABLES.join("|");
    const use = new RegExp(`\\.(query|insert|get|patch|replace|delete)\\(\\s*"(${names})"`);
    const offenders = Object.entries(sources)
      .filter(([path, source]) => path !== "./migrate.ts" && use.test(source))
      .map(([path]) => path);
    expect(Object.keys(sources)).toContain("./migrate.ts");
    expect(offenders).toEqual([]);
  });

  test("a deployment holding today's data reaches the same state in the component, and a second run changes nothing", async () => {
    const t = newBackend();
    captureConsole("log");
    await seedToday(t);
    const carriedAsTheyAre = ["organizations", "webhookEvents", "failedPayloads", "failedPayloadSubjects"] as const;
    const legacy: Record<string, unknown[]> = {};
    for (const table of carriedAsTheyAre) legacy[table] = await legacyRows(t, table);

    expect(await t.query(internal.migrate.status, {})).toMatchObject({
      done: false,
      tables: expect.arrayContaining([{ table: "memberships", remaining: 3, more: false }]),
    });

    await migrate(t);

    // The synced rows, as they were (the profile fields and the old count mark left behind).
    expect(await componentRows(t, "users")).toEqual([
      withoutProfile(legacyUser(ADA, "Ada")),
      legacyUser(GRACE, "Grace"),
    ]);
    expect(await componentRows(t, "organizations")).toEqual([
      expect.objectContaining({ clerkId: ORG, name: "Analytical Engines", createdBy: ADA }),
    ]);
    // Not the membership the closed team's cascade had not removed yet: the tombstone keeps it out.
    expect(await componentRows(t, "memberships")).toEqual([
      legacyMembership(ADA_IN_ORG, ADA, "Ada", "org:admin"),
      legacyMembership(GRACE_IN_ORG, GRACE, "Grace", "org:member"),
    ]);
    // The count rebuilt from the memberships that came in: 2, whatever shards they hash to.
    const shards = (await componentRows(t, "memberCountShards")) as { count: number }[];
    expect(shards.reduce((sum, shard) => sum + shard.count, 0)).toBe(2);
    expect(await componentRows(t, "tombstones")).toEqual([
      { kind: "user", clerkId: GONE, deletedAt: T0 + 1_000 },
      { kind: "organization", clerkId: CLOSED, deletedAt: T0 + 2_000 },
    ]);
    expect(await componentRows(t, "clerkInstance")).toEqual([
      { instanceId: INSTANCE_ID, pinnedAt: T0 - 1_000, source: "first_event", svixId: "msg_pin" },
    ]);
    // The organization, the event log (its failed event too) and the kept payload with its subjects: field for field.
    for (const table of carriedAsTheyAre)
      expect([table, await componentRows(t, table)]).toEqual([table, legacy[table]]);
    expect(legacy.failedPayloadSubjects).toEqual([{ svixId: FAILED_SVIX, subject: NEWCOMER }]);
    // The backfill that was going when the deployment moved: its steps were Roster's, so it comes in cancelled.
    expect(await componentRows(t, "clerkSyncRuns")).toEqual([
      expect.objectContaining({
        mode: "backfill",
        status: "cancelled",
        nextStep: null,
        counts: legacyRun("running").counts,
      }),
    ]);

    // Roster's own: the profile carried over, the members projection built by the hook as memberships came in.
    const roster = await t.run(async (ctx) => ({
      profiles: await ctx.db.query("profiles").collect(),
      teamMembers: await ctx.db.query("teamMembers").collect(),
      activity: await ctx.db.query("activity").collect(),
    }));
    expect(roster.profiles).toEqual([
      expect.objectContaining({ userId: ADA, bio: "Engines.", country: "GB", birthday: "1815-12-10" }),
    ]);
    expect(roster.teamMembers.map((member) => member.membershipId).sort()).toEqual([ADA_IN_ORG, GRACE_IN_ORG].sort());
    // Moving members in is not news: the feed says nobody joined.
    expect(roster.activity).toEqual([]);

    expect(await legacyLeft(t)).toBe(0);
    expect(await t.query(internal.migrate.status, {})).toEqual({ done: true, tables: [] });

    const before = await snapshot(t);
    await migrate(t);
    expect(await snapshot(t)).toEqual(before);
  });

  test("after the move, a late event for a deleted user stays stale and the kept failed event applies when retried", async () => {
    const t = newBackend();
    captureConsole("log");
    await seedToday(t);
    await migrate(t);

    const late = await deliver(t, userEvent("user.updated", { id: GONE, updated_at: T0 + 5 * 60_000 }));
    expect(late).toMatchObject({ status: 200, outcome: "stale" });
    expect((await componentRows(t, "users")).map((user) => user.clerkId)).not.toContain(GONE);

    // Svix's next attempt of the event that failed before the move.
    const [kept] = (await componentRows(t, "failedPayloads")) as { payload: string }[];
    const retried = await deliver(t, kept!.payload, { svixId: FAILED_SVIX });
    expect(retried).toMatchObject({ status: 200, outcome: "applied" });
    expect(await componentRows(t, "users")).toContainEqual(
      expect.objectContaining({ clerkId: NEWCOMER, firstName: "Newcomer" }),
    );
    expect(await componentRows(t, "failedPayloads")).toEqual([]);
    expect(await componentRows(t, "failedPayloadSubjects")).toEqual([]);
    const log = (await componentRows(t, "webhookEvents")).filter((row) => row.svixId === FAILED_SVIX);
    expect(log).toEqual([expect.objectContaining({ outcome: "applied", attempts: 3 })]);

    // The pin came with the data: an event from another instance is not applied.
    const foreign = await deliver(t, {
      ...userEvent("user.updated", { id: ADA, updated_at: T0 + 9 * 60_000 }),
      instance_id: "ins_other",
    });
    expect(foreign).toMatchObject({ status: 200, outcome: "foreign" });
  });

  test("what reached the component before the migration wins when newer, a profile saved meanwhile stands, and a user deleted meanwhile is not brought back", async () => {
    const t = newBackend();
    captureConsole("log");
    await seedToday(t);
    // After the deploy, before the migration ran: Grace renamed herself, Ada deleted her account.
    await t.mutation(internal.migrate.toComponent, {}); // stores the handles; its batches have not run yet
    expect(
      await deliver(t, userEvent("user.updated", { id: GRACE, first_name: "Grace H.", updated_at: T0 + 2 * 60_000 })),
    ).toMatchObject({ outcome: "applied" });
    expect(await deliver(t, userDeleted(ADA, T0 + 3 * 60_000))).toMatchObject({ outcome: "applied" });
    // A late event for the user deleted before the move: the component has no tombstone for them yet.
    expect(await deliver(t, userEvent("user.updated", { id: GONE, updated_at: T0 + 500 }))).toMatchObject({
      outcome: "applied",
    });
    // … and Grace saved her profile, which the old row had an older bio of.
    await t.run(async (ctx) => {
      const db = ctx.db as unknown as {
        query: (table: LegacyTable) => { collect: () => Promise<Array<{ _id: string; clerkId: string }>> };
        patch: (id: string, value: object) => Promise<void>;
      };
      const old = (await db.query("users").collect()).find((user) => user.clerkId === GRACE)!;
      await db.patch(old._id, { bio: "Old bio", country: "US" });
      await ctx.db.insert("profiles", { userId: GRACE, bio: "Saved after the deploy" });
    });

    await t.finishAllScheduledFunctions(vi.runAllTimers);

    // Grace's newer row stands, Ada stays deleted, and the user deleted before the move is removed
    // again when their tombstone comes in.
    const users = await componentRows(t, "users");
    expect(users.map((user) => [user.clerkId, user.firstName])).toEqual([[GRACE, "Grace H."]]);
    // Ada's membership stays out with her: the count is Grace's alone.
    const shards = (await componentRows(t, "memberCountShards")) as { count: number }[];
    expect(shards.reduce((sum, shard) => sum + shard.count, 0)).toBe(1);
    // Ada's profile stays erased with her; Grace's saved one stands (the old fields do not come back over it).
    const profiles = await t.run(async (ctx) => await ctx.db.query("profiles").collect());
    expect(profiles.map(({ userId, bio, country }) => ({ userId, bio, country }))).toEqual([
      { userId: GRACE, bio: "Saved after the deploy", country: undefined },
    ]);
    expect(await legacyLeft(t)).toBe(0);
  });

  test("with CLERK_SECRET_KEY set, a backfill from Clerk follows the move and brings what changed meanwhile", async () => {
    api = await startFakeClerkApi({
      users: [
        clerkUser({ id: ADA, first_name: "Ada", last_name: "King", updated_at: T0 + 4 * 60_000 }),
        clerkUser({ id: GRACE, first_name: "Grace", updated_at: T0 }),
      ],
      organizations: [],
      memberships: [],
    });
    vi.stubGlobal("fetch", loopbackFetch);
    vi.stubEnv("CLERK_SECRET_KEY", api.secretKey);
    vi.stubEnv("CLERK_API_URL", api.url);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", FAKE_FRONTEND_API);
    const t = newBackend();
    const log = captureConsole("log");
    await seedToday(t);

    await migrate(t);

    const runs = await componentRows(t, "clerkSyncRuns");
    expect(runs).toContainEqual(
      expect.objectContaining({ mode: "backfill", startedBy: "migration", status: "completed" }),
    );
    expect(await componentRows(t, "users")).toContainEqual(expect.objectContaining({ clerkId: ADA, lastName: "King" }));
    expect(log().join("\n")).toMatch(/Backfill .* reads Clerk again/);
  });

  test("a row the component refuses stops the migration with its table and key, and loses nothing; fixed, a second run finishes", async () => {
    const t = newBackend();
    captureConsole("log");
    const errors = captureConsole("error");
    await seedToday(t);
    const broken = await t.run(async (ctx) => {
      const db = ctx.db as unknown as { insert: (table: LegacyTable, row: object) => Promise<string> };
      const { publicMetadata: _missing, ...row } = legacyUser(clerkId("user", "broken"), "Broken");
      return await db.insert("users", row);
    });

    await migrate(t);

    expect(errors().join("\n")).toMatch(
      /ROW_REFUSED.*users row .*user_2broken.* could not be imported.*publicMetadata/,
    );
    // The batch rolled back whole: every old user is still there, none half-copied.
    expect(await t.query(internal.migrate.status, {})).toMatchObject({ done: false });
    expect(await t.run(async (ctx) => (await ctx.db.query("users").collect()).length)).toBe(3);
    expect(await componentRows(t, "users")).toEqual([]);

    await t.run(async (ctx) => {
      await (ctx.db as unknown as { patch: (id: string, value: object) => Promise<void> }).patch(broken, {
        publicMetadata: "{}",
      });
    });
    await migrate(t);
    expect(await legacyLeft(t)).toBe(0);
    expect(await componentRows(t, "users")).toHaveLength(3);
  });

  test("a deletion cascade today's Roster had not finished is continued once the rows are in: nothing of the deleted user stays", async () => {
    const t = newBackend();
    captureConsole("log");
    captureConsole("error");
    const DOROTHY = clerkId("user", "dorothy");
    const address = "dorothy@engines.example";
    await seedToday(t);
    await t.run(async (ctx) => {
      const db = ctx.db as unknown as { insert: (table: LegacyTable, row: object) => Promise<unknown> };
      // user.deleted applied (row gone, tombstone written); its cascade's next batch had not run yet.
      await db.insert("tombstones", { kind: "user", clerkId: DOROTHY, deletedAt: T0 + 3_000 });
      await db.insert("memberships", legacyMembership(clerkId("orgmem", "dorothy"), DOROTHY, "Dorothy", "org:member"));
      await db.insert("communications", {
        clerkId: "ema_dorothy",
        clerkVersion: T0,
        channel: "email",
        recipient: address,
        userId: DOROTHY,
        subject: "Your code",
        template: "verification_code",
        status: "delivered",
      });
      await ctx.db.insert("activity", {
        organizationId: ORG,
        kind: "member_joined",
        userId: DOROTHY,
        subject: "Dorothy",
        role: "Member",
        at: T0,
      });
      await ctx.scheduler.runAfter(0, makeFunctionReference<"mutation">("cascades:removeChildren"), {
        parent: "user",
        clerkId: DOROTHY,
        batchSize: 200,
        addresses: [address],
      });
    });
    // The deploy: the old cascade's function is gone, so its batch fails.
    await t.finishAllScheduledFunctions(vi.runAllTimers);

    await migrate(t);

    expect(await componentRows(t, "memberships")).not.toContainEqual(expect.objectContaining({ userId: DOROTHY }));
    expect(await componentRows(t, "communications")).toEqual([
      expect.objectContaining({ clerkId: "ema_dorothy", recipient: null, userId: null, subject: null }),
    ]);
    const feed = await t.run(async (ctx) => await ctx.db.query("activity").collect());
    expect(feed.filter((entry) => entry.userId === DOROTHY || entry.subject === "Dorothy")).toEqual([]);
  });

  test("every table importBatch takes: the same batch again inserts and updates nothing", async () => {
    const t = newBackend();
    await t.run(async (ctx) => {
      await ctx.runMutation(components.clerkSync.config.store, { handles: { onChange: null } });
    });
    const synced = { clerkVersion: T0 };
    const rows: Record<string, Record<string, unknown>[]> = {
      clerkInstance: [{ instanceId: INSTANCE_ID, pinnedAt: T0 }],
      clerkInstanceChecks: [{ requestedAt: T0, checkedAt: null, keyInstanceId: null, keyHosts: [], error: null }],
      tombstones: [{ kind: "user", clerkId: GONE, deletedAt: T0 }],
      deletedRoles: [{ roleId: "role_old", key: "org:old", deletedAt: T0 }],
      roleListings: [{ listedAt: T0, roles: 2 }],
      roles: [
        { ...synced, clerkId: "role_admin", key: "org:admin", name: "Admin", description: null, permissions: [] },
      ],
      permissions: [
        {
          ...synced,
          clerkId: "perm_manage",
          key: "org:sys_memberships:manage",
          name: null,
          description: null,
          type: null,
        },
      ],
      users: [withoutProfile(legacyUser(ADA, "Ada"))],
      organizations: [
        {
          ...synced,
          clerkId: ORG,
          name: "Engines",
          slug: null,
          imageUrl: null,
          membersCount: 1,
          publicMetadata: "{}",
          createdBy: null,
        },
      ],
      memberships: [legacyMembership(ADA_IN_ORG, ADA, "Ada", "org:admin")],
      organizationDomains: [
        {
          ...synced,
          clerkId: "orgdmn_1",
          organizationId: ORG,
          name: "engines.example",
          enrollmentMode: null,
          verificationStatus: null,
        },
      ],
      organizationInvitations: [
        {
          ...synced,
          clerkId: "orginv_1",
          organizationId: ORG,
          emailAddress: "grace@engines.example",
          role: "org:member",
          roleName: null,
          status: "pending",
          userId: null,
        },
      ],
      sessions: [{ ...synced, clerkId: "sess_1", userId: ADA, status: "active", lastActiveAt: null, expireAt: null }],
      communications: [
        {
          ...synced,
          clerkId: "sms_1",
          channel: "sms",
          recipient: null,
          userId: ADA,
          subject: null,
          template: null,
          status: null,
        },
      ],
      appInvitations: [{ ...synced, clerkId: "inv_1", emailAddress: null, status: "pending" }],
      waitlistEntries: [{ ...synced, clerkId: "wle_1", emailAddress: null, status: "pending" }],
      subscriptions: [{ ...synced, clerkId: "csub_1", payerId: ADA, status: "active", plans: ["free"] }],
      webhookEvents: [
        {
          svixId: "msg_1",
          type: "user.created",
          family: "user",
          clerkIds: [ADA],
          timestamp: T0,
          receivedAt: T0,
          outcome: "applied",
          attempts: 1,
        },
        {
          svixId: "msg_1",
          type: "user.created",
          family: "user",
          clerkIds: [ADA],
          timestamp: T0,
          receivedAt: T0 + 1,
          outcome: "duplicate",
          attempts: 1,
        },
        {
          svixId: FAILED_SVIX,
          type: "user.created",
          family: "user",
          clerkIds: [],
          timestamp: null,
          receivedAt: T0,
          outcome: "failed",
          attempts: 1,
          error: "x",
          firstFailedAt: T0,
        },
      ],
      failedPayloadSubjects: [{ svixId: FAILED_SVIX, subject: NEWCOMER }],
      failedPayloads: [{ svixId: FAILED_SVIX, payload: "{}" }],
      webhookRetryRuns: [
        {
          status: "completed",
          startedBy: ADA,
          startedAt: T0,
          updatedAt: T0,
          finishedAt: T0,
          cutoff: T0,
          total: 1,
          totalCapped: false,
          retried: 1,
          applied: 1,
          stillFailing: 0,
          skipped: 0,
          cursor: null,
          error: null,
        },
      ],
      clerkSyncRuns: [{ ...legacyRun("completed"), finishedAt: T0 }],
    };
    const plan = await t.query(components.clerkSync.migrate.plan, {});
    expect(Object.keys(rows).sort()).toEqual([...plan.order].sort());
    for (const table of plan.order) {
      const first = await t.mutation(components.clerkSync.migrate.importBatch, { table, rows: rows[table]! });
      expect([table, first.inserted]).toEqual([table, rows[table]!.length]);
    }
    const counts = async () => {
      const sizes: Record<string, number> = {};
      for (const table of plan.order) sizes[table] = (await componentRows(t, table)).length;
      return sizes;
    };
    const before = await counts();
    for (const table of plan.order) {
      const again = await t.mutation(components.clerkSync.migrate.importBatch, { table, rows: rows[table]! });
      expect([table, again]).toEqual([
        table,
        { inserted: 0, updated: 0, skipped: rows[table]!.length, deleted: [], removed: 0, notes: [] },
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  test("importBatch run twice with the same rows inserts nothing the second time, and refuses an oversized batch", async () => {
    const t = newBackend();
    await t.run(async (ctx) => {
      await ctx.runMutation(components.clerkSync.config.store, { handles: { onChange: null } });
    });
    const rows = [withoutProfile(legacyUser(ADA, "Ada")), withoutProfile(legacyUser(GRACE, "Grace"))];
    const first = await t.mutation(components.clerkSync.migrate.importBatch, { table: "users", rows });
    expect(first).toMatchObject({ inserted: 2, skipped: 0 });
    const again = await t.mutation(components.clerkSync.migrate.importBatch, { table: "users", rows });
    expect(again).toMatchObject({ inserted: 0, updated: 0, skipped: 2 });
    const tombstone = { kind: "organizationMembership", clerkId: GRACE_IN_ORG, deletedAt: T0 };
    await t.mutation(components.clerkSync.migrate.importBatch, { table: "tombstones", rows: [tombstone] });
    expect(
      await t.mutation(components.clerkSync.migrate.importBatch, { table: "tombstones", rows: [tombstone] }),
    ).toMatchObject({
      inserted: 0,
      skipped: 1,
    });
    expect(await componentRows(t, "users")).toHaveLength(2);
    expect(await componentRows(t, "tombstones")).toHaveLength(1);

    // A reconcile's provisional tombstone beside a row the app still had live says nothing: the row comes in.
    const returned = clerkId("user", "back");
    await t.mutation(components.clerkSync.migrate.importBatch, {
      table: "tombstones",
      rows: [{ kind: "user", clerkId: returned, deletedAt: T0, provisional: true }],
    });
    expect(
      await t.mutation(components.clerkSync.migrate.importBatch, {
        table: "users",
        rows: [{ ...withoutProfile(legacyUser(returned, "Back")), clerkVersion: T0 - 1 }],
      }),
    ).toMatchObject({ inserted: 1 });
    expect((await componentRows(t, "tombstones")).map((row) => row.clerkId)).toEqual([GRACE_IN_ORG]);

    // A reconcile waiting for a confirmation: its steps and candidates were Roster's, so it comes in cancelled, as `cancel` leaves one.
    const removal = {
      maxRows: 100,
      maxPercent: 10,
      checked: { users: 10, organizations: 1, memberships: 10 },
      found: { users: 5, organizations: 0, memberships: 5 },
      removed: { users: 0, organizations: 0, memberships: 0 },
      confirmation: "pending",
      decidedBy: null,
    };
    await t.mutation(components.clerkSync.migrate.importBatch, {
      table: "clerkSyncRuns",
      rows: [{ ...legacyRun("running"), mode: "reconcile", status: "awaitingConfirmation", phase: "remove", removal }],
    });
    expect(await componentRows(t, "clerkSyncRuns")).toEqual([
      expect.objectContaining({
        mode: "reconcile",
        status: "cancelled",
        removal: { ...removal, confirmation: "cancelled", decidedBy: "migration" },
      }),
    ]);

    const tooMany = Array.from({ length: 17 }, (_, i) => ({ svixId: `msg_${i}`, payload: "{}" }));
    await expect(
      t.mutation(components.clerkSync.migrate.importBatch, { table: "failedPayloads", rows: tooMany }),
    ).rejects.toThrow(/at most 16 rows carrying a webhook payload/);
    await expect(
      t.mutation(components.clerkSync.migrate.importBatch, { table: "users", rows: [{ clerkVersion: 1 }] }),
    ).rejects.toThrow(/users row has no clerkId/);
    expect(await componentRows(t, "failedPayloads")).toEqual([]);
  });

  test(
    "a large deployment moves within Convex's transaction limits: hundreds of memberships, kept payloads of 250 KiB",
    { timeout: 60_000 },
    async () => {
      const t = newBackend();
      captureConsole("log");
      const members = 450;
      const payloads = 40;
      await seedInBatches(
        t,
        members,
        async (ctx: MutationCtx, i) => {
          const db = ctx.db as unknown as { insert: (table: LegacyTable, row: object) => Promise<unknown> };
          const userId = clerkId("user", "m", i);
          await db.insert("users", legacyUser(userId, `Member${i}`));
          await db.insert(
            "memberships",
            legacyMembership(clerkId("orgmem", "m", i), userId, `Member${i}`, "org:member"),
          );
        },
        200,
      );
      await seedInBatches(
        t,
        payloads,
        async (ctx: MutationCtx, i) => {
          const db = ctx.db as unknown as { insert: (table: LegacyTable, row: object) => Promise<unknown> };
          const svixId = `msg_big${String(i).padStart(4, "0")}`;
          await db.insert("webhookEvents", {
            svixId,
            type: "user.updated",
            family: "user",
            clerkIds: [],
            timestamp: null,
            receivedAt: T0,
            outcome: "failed",
            attempts: 1,
            error: "x",
            firstFailedAt: T0,
          });
          await db.insert("failedPayloads", { svixId, payload: "x".repeat(250 * 1024) });
        },
        10,
      );

      await migrate(t);

      expect(await legacyLeft(t)).toBe(0);
      expect(await componentRows(t, "memberships")).toHaveLength(members);
      expect(await t.run(async (ctx) => (await ctx.db.query("teamMembers").collect()).length)).toBe(members);
      expect(await runInComponent(t, async (ctx) => (await ctx.db.query("failedPayloads").collect()).length)).toBe(
        payloads,
      );
    },
  );
});

function withoutProfile<T extends Record<string, unknown>>(user: T) {
  const { bio: _bio, country: _country, birthday: _birthday, ...rest } = user;
  return rest;
}
