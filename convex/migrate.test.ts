import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { clerkId, INSTANCE_ID, T0, userDeleted, userEvent } from "../test/clerkEvents";
import { captureConsole } from "../test/console";
import { deliver, newBackend, SECRET, seedInBatches, type Backend } from "../test/convex";
import { components, internal } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";
import { LEGACY_TABLES, type LegacyTable } from "./model/legacyTables";
import schema from "./schema";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0 + 10 * 60_000);
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
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

  test("a deployment holding today's data reaches the same state in the component, and a second run changes nothing", async () => {
    const t = newBackend();
    captureConsole("log");
    await seedToday(t);

    await migrate(t);

    // The synced rows, as they were (the profile fields and the old count mark left behind).
    expect(await componentRows(t, "users")).toEqual([
      withoutProfile(legacyUser(ADA, "Ada")),
      legacyUser(GRACE, "Grace"),
    ]);
    expect(await componentRows(t, "organizations")).toEqual([
      expect.objectContaining({ clerkId: ORG, name: "Analytical Engines", createdBy: ADA }),
    ]);
    expect(await componentRows(t, "memberships")).toEqual([
      legacyMembership(ADA_IN_ORG, ADA, "Ada", "org:admin"),
      legacyMembership(GRACE_IN_ORG, GRACE, "Grace", "org:member"),
    ]);
    // The count rebuilt from the memberships that came in: 2, whatever shards they hash to.
    const shards = (await componentRows(t, "memberCountShards")) as { count: number }[];
    expect(shards.reduce((sum, shard) => sum + shard.count, 0)).toBe(2);
    expect(await componentRows(t, "tombstones")).toEqual([{ kind: "user", clerkId: GONE, deletedAt: T0 + 1_000 }]);
    expect(await componentRows(t, "clerkInstance")).toEqual([
      { instanceId: INSTANCE_ID, pinnedAt: T0 - 1_000, source: "first_event", svixId: "msg_pin" },
    ]);
    expect(await componentRows(t, "webhookEvents")).toHaveLength(2);
    expect(await componentRows(t, "failedPayloadSubjects")).toEqual([{ svixId: FAILED_SVIX, subject: NEWCOMER }]);
    expect(await componentRows(t, "failedPayloads")).toHaveLength(1);
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

  test("what reached the component before the migration wins when newer, and a user deleted meanwhile is not brought back", async () => {
    const t = newBackend();
    captureConsole("log");
    await seedToday(t);
    // After the deploy, before the migration ran: Grace renamed herself, Ada deleted her account.
    await t.mutation(internal.migrate.toComponent, {}); // stores the handles; its batches have not run yet
    expect(
      await deliver(t, userEvent("user.updated", { id: GRACE, first_name: "Grace H.", updated_at: T0 + 2 * 60_000 })),
    ).toMatchObject({ outcome: "applied" });
    expect(await deliver(t, userDeleted(ADA, T0 + 3 * 60_000))).toMatchObject({ outcome: "applied" });

    await t.finishAllScheduledFunctions(vi.runAllTimers);

    const users = await componentRows(t, "users");
    expect(users.map((user) => [user.clerkId, user.firstName])).toEqual([[GRACE, "Grace H."]]);
    // Ada's profile stays erased with her.
    expect(await t.run(async (ctx) => await ctx.db.query("profiles").collect())).toEqual([]);
    expect(await legacyLeft(t)).toBe(0);
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

    const tooMany = Array.from({ length: 17 }, (_, i) => ({ svixId: `msg_${i}`, payload: "{}" }));
    await expect(
      t.mutation(components.clerkSync.migrate.importBatch, { table: "failedPayloads", rows: tooMany }),
    ).rejects.toThrow(/at most 16 rows carrying a webhook payload/);
    await expect(
      t.mutation(components.clerkSync.migrate.importBatch, { table: "users", rows: [{ clerkVersion: 1 }] }),
    ).rejects.toThrow(/users row has no clerkId/);
    expect(await componentRows(t, "failedPayloads")).toEqual([]);
  });

  test("a large deployment moves within Convex's transaction limits: hundreds of memberships, kept payloads of 250 KiB", async () => {
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
        await db.insert("memberships", legacyMembership(clerkId("orgmem", "m", i), userId, `Member${i}`, "org:member"));
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
  });
});

function withoutProfile<T extends Record<string, unknown>>(user: T) {
  const { bio: _bio, country: _country, birthday: _birthday, ...rest } = user;
  return rest;
}
