/**
 * Roster's change hook driven through the real component: signed events posted to Roster's route
 * (`postEvent`), the component's tables read with `runInComponent`, Roster's with `t.run`.
 */
import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkEmailAddress,
  clerkId,
  clerkUserCharles,
  DAY,
  membershipEvent,
  MINUTE,
  ORG,
  organizationDeleted,
  organizationInvitationEvent,
  publicUserData,
  T0,
  userDeleted,
  userEvent,
} from "../../test/clerkEvents";
import { deliver, newBackend, SECRET, seedInBatches, type Backend } from "../../test/convex";
import { internal } from "../_generated/api";
// The component's own removal path, run as its reconcile runs it (hooked, source "reconcile").
import { removeClerkObjects } from "../../packages/clerk-sync/src/component/clerk/apply";
import { withHooks } from "../../packages/clerk-sync/src/component/lib/hooks";
import { DELETED_USER } from "./activity";
import { noteDeparture } from "./departures";
import { ERASURE_BATCH_SIZE } from "./erasure";

const ORG_B = clerkId("org", "b");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** Charles's membership of ORG (as a member unless told), in an event of `type`. */
function charles(
  type: "organizationMembership.created" | "organizationMembership.updated" | "organizationMembership.deleted",
  overrides: Record<string, unknown> = {},
) {
  return membershipEvent(type, {
    id: "orgmem_charles",
    role: "org:member",
    public_user_data: publicUserData(clerkUserCharles()),
    ...overrides,
  });
}

/** Ada (admin) and Charles (member) in ORG, their users synced. */
async function team(t: Backend) {
  await deliver(t, userEvent("user.created"));
  await deliver(t, userEvent("user.created", clerkUserCharles()));
  await deliver(t, membershipEvent("organizationMembership.created"));
  await deliver(t, charles("organizationMembership.created"));
}

/** The component's memberships, as the projection should hold them. */
async function componentMembers(t: Backend) {
  const rows = await runInComponent(t, async (ctx) => await ctx.db.query("memberships").collect());
  return rows
    .map((m) => ({
      organizationId: m.organizationId,
      userId: m.userId,
      membershipId: m.clerkId,
      role: m.role,
      roleName: m.roleName,
      publicUserData: m.publicUserData,
      searchText: m.searchText,
    }))
    .sort((a, b) => a.membershipId.localeCompare(b.membershipId));
}

/** Roster's projection. */
async function projection(t: Backend) {
  const rows = await t.run(async (ctx) => await ctx.db.query("teamMembers").collect());
  return rows.map(({ _id, _creationTime, ...row }) => row).sort((a, b) => a.membershipId.localeCompare(b.membershipId));
}

async function expectExact(t: Backend) {
  const expected = await componentMembers(t);
  expect(await projection(t)).toEqual(expected);
  return expected;
}

async function activity(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("activity").collect()).map(
      ({ organizationId, kind, userId, subject, email, role, actorId, at }) => ({
        organizationId,
        kind,
        userId,
        subject,
        email,
        role,
        actorId: actorId ?? null,
        at,
      }),
    ),
  );
}

const kinds = async (t: Backend) => (await activity(t)).map((entry) => entry.kind);

async function settle(t: Backend) {
  await t.finishAllScheduledFunctions(() => vi.runAllTimers());
}

describe("the teamMembers projection equals the component's memberships", () => {
  test("after joins: one row per membership, with the member's name and search text", async () => {
    const t = newBackend();
    await team(t);
    const members = await expectExact(t);
    expect(members.map((m) => [m.userId, m.role, m.searchText])).toEqual([
      [ADA, "org:admin", "ada lovelace ada@example.com"],
      [CHARLES, "org:member", "charles babbage charles@example.com"],
    ]);
  });

  test("after a role change, a stale one, and a rename the component follows (followUser)", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.updated", { role: "org:admin", updated_at: T0 + 2 * MINUTE }));
    expect(
      (await deliver(t, charles("organizationMembership.updated", { role: "org:billing", updated_at: T0 + MINUTE })))
        .outcome,
    ).toBe("stale");
    await deliver(
      t,
      userEvent("user.updated", clerkUserCharles({ first_name: "Charlie", updated_at: T0 + 3 * MINUTE })),
    );
    await settle(t);
    const members = await expectExact(t);
    expect(members.find((m) => m.userId === CHARLES)).toMatchObject({
      role: "org:admin",
      roleName: "Admin",
      publicUserData: expect.objectContaining({ firstName: "Charlie" }),
      searchText: "charlie babbage charles@example.com",
    });
  });

  test("after a removal, and a rejoin under a new membership id", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.deleted"));
    expect((await expectExact(t)).map((m) => m.userId)).toEqual([ADA]);
    await deliver(t, charles("organizationMembership.created", { id: "orgmem_charles2", updated_at: T0 + DAY }));
    expect((await expectExact(t)).map((m) => m.membershipId)).toEqual(
      ["orgmem_charles2", `orgmem_${ADA.slice(5)}`].sort(),
    );
  });

  test("after a twin replaced in one transaction (a newer membership id for the same person and team)", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.created", { id: "orgmem_newer", updated_at: T0 + DAY }));
    const members = await expectExact(t);
    expect(members.filter((m) => m.userId === CHARLES).map((m) => m.membershipId)).toEqual(["orgmem_newer"]);
  });

  test("after a reconcile's removal (Clerk no longer has the membership): gone, and 'left' in the feed", async () => {
    const t = newBackend();
    await team(t);
    const heard = Date.now();
    const removed = await runInComponent(t, async (ctx) =>
      removeClerkObjects(withHooks(ctx, "reconcile", {}), "memberships", ["orgmem_charles"], Date.now()),
    );
    expect(removed).toBe(1);
    expect((await expectExact(t)).map((m) => m.userId)).toEqual([ADA]);
    const left = (await activity(t)).at(-1);
    expect(left).toMatchObject({ kind: "member_left", userId: CHARLES, subject: "Charles Babbage" });
    expect(left!.at).toBeGreaterThanOrEqual(heard);
  });

  test("after a migration moves rows in: projected, and no news in the feed (it already has its history)", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created"));
    await runInComponent(t, async (ctx) => {
      const db = withHooks(ctx, "migration", {}).db;
      await db.insert("memberships", {
        clerkId: "orgmem_moved",
        clerkVersion: T0,
        organizationId: ORG,
        userId: CHARLES,
        role: "org:member",
        roleName: "Member",
        permissions: [],
        publicUserData: {
          firstName: "Charles",
          lastName: "Babbage",
          imageUrl: null,
          identifier: "charles@example.com",
        },
        searchText: "charles babbage charles@example.com",
        counted: true,
      });
      await db.insert("organizationInvitations", {
        clerkId: "orginv_moved",
        clerkVersion: T0,
        organizationId: ORG,
        emailAddress: "eve@example.com",
        role: "org:member",
        roleName: "Member",
        status: "pending",
        userId: null,
      });
    });
    expect((await expectExact(t)).map((m) => m.membershipId)).toEqual(["orgmem_moved"]);
    expect(await activity(t)).toEqual([]);
  });

  test("after a user's deletion cascade over many teams, in the component's batches", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    for (let i = 0; i < 5; i += 1) {
      const organization = clerkId("org", "u", i);
      await deliver(
        t,
        charles("organizationMembership.created", {
          id: `orgmem_u${i}`,
          organization: {
            object: "organization",
            id: organization,
            name: `Team ${i}`,
            slug: `team-${i}`,
            updated_at: T0,
          },
        }),
      );
    }
    await deliver(t, membershipEvent("organizationMembership.created"));
    expect(await projection(t)).toHaveLength(6);
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await settle(t);
    expect((await expectExact(t)).map((m) => m.userId)).toEqual([ADA]);
  });

  test("after an organization's deletion cascade", async () => {
    const t = newBackend();
    await team(t);
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_ada_b",
        organization: { object: "organization", id: ORG_B, name: "B", slug: "b", updated_at: T0 },
      }),
    );
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await settle(t);
    expect((await expectExact(t)).map((m) => m.organizationId)).toEqual([ORG_B]);
  });
});

describe("the activity feed, as the engine wrote it", () => {
  test("joined: the member's name and the role's name, at the membership's version", async () => {
    const t = newBackend();
    await team(t);
    expect(await activity(t)).toEqual([
      {
        organizationId: ORG,
        kind: "member_joined",
        userId: ADA,
        subject: "Ada Lovelace",
        email: null,
        role: "Admin",
        actorId: null,
        at: T0,
      },
      {
        organizationId: ORG,
        kind: "member_joined",
        userId: CHARLES,
        subject: "Charles Babbage",
        email: null,
        role: "Member",
        actorId: null,
        at: T0,
      },
    ]);
  });

  test("a role change: role_changed with the new role (its key when it has no name); an update keeping the role adds nothing", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.updated", { permissions: [], updated_at: T0 + MINUTE }));
    await deliver(
      t,
      charles("organizationMembership.updated", { role: "org:admin", role_name: null, updated_at: T0 + 2 * MINUTE }),
    );
    const entries = await activity(t);
    expect(entries.map(({ kind, role, at }) => ({ kind, role, at }))).toEqual([
      { kind: "member_joined", role: "Admin", at: T0 },
      { kind: "member_joined", role: "Member", at: T0 },
      { kind: "role_changed", role: "org:admin", at: T0 + 2 * MINUTE },
    ]);
  });

  test("a member with no name joins as 'A member' (their identifier, often an email, is never the subject)", async () => {
    const t = newBackend();
    await deliver(
      t,
      charles("organizationMembership.created", {
        public_user_data: publicUserData(clerkUserCharles({ first_name: null, last_name: null })),
      }),
    );
    expect((await activity(t))[0]).toMatchObject({ kind: "member_joined", subject: "A member" });
  });

  test("no departure note (a change made in Clerk's dashboard): 'left', stamped when Roster heard it", async () => {
    const t = newBackend();
    await team(t);
    const heard = Date.now();
    await deliver(t, charles("organizationMembership.deleted"));
    expect((await activity(t)).at(-1)).toMatchObject({
      kind: "member_left",
      userId: CHARLES,
      subject: "Charles Babbage",
      role: "Member",
      actorId: null,
    });
    expect((await activity(t)).at(-1)!.at).toBeGreaterThanOrEqual(heard);
  });

  test("an admin's removal noted before the webhook: 'removed', naming who acted; the note is taken", async () => {
    const t = newBackend();
    await team(t);
    await t.run(
      async (ctx) => await noteDeparture(ctx, { organizationId: ORG, userId: CHARLES, actorId: ADA }, Date.now()),
    );
    await deliver(t, charles("organizationMembership.deleted"));
    expect((await activity(t)).at(-1)).toMatchObject({ kind: "member_removed", userId: CHARLES, actorId: ADA });
    expect(await t.run(async (ctx) => await ctx.db.query("departureNotes").collect())).toEqual([]);
  });

  test("a member's own leave noted: 'left on their own', no actor", async () => {
    const t = newBackend();
    await team(t);
    await t.run(
      async (ctx) => await noteDeparture(ctx, { organizationId: ORG, userId: CHARLES, actorId: CHARLES }, Date.now()),
    );
    await deliver(t, charles("organizationMembership.deleted"));
    expect((await activity(t)).at(-1)).toMatchObject({
      kind: "member_left_self",
      subject: "Charles Babbage",
      actorId: null,
    });
  });

  test("a delete wins a tie with the last update; a late update is stale and writes nothing", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.updated", { updated_at: T0 + MINUTE }));
    expect((await deliver(t, charles("organizationMembership.deleted", { updated_at: T0 + MINUTE }))).outcome).toBe(
      "applied",
    );
    expect((await deliver(t, charles("organizationMembership.updated", { updated_at: T0 + MINUTE }))).outcome).toBe(
      "stale",
    );
    expect(await kinds(t)).toEqual(["member_joined", "member_joined", "member_left"]);
  });

  test("a twin replaced in one transaction is no new member and no departure", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.created", { id: "orgmem_newer", updated_at: T0 + DAY }));
    expect(await kinds(t)).toEqual(["member_joined", "member_joined"]);
  });

  test("a twin replaced while a removal is noted: the note waits on for the removal's own webhook", async () => {
    const t = newBackend();
    await team(t);
    await t.run(
      async (ctx) => await noteDeparture(ctx, { organizationId: ORG, userId: CHARLES, actorId: ADA }, Date.now()),
    );
    await deliver(t, charles("organizationMembership.created", { id: "orgmem_newer", updated_at: T0 + DAY }));
    expect(await kinds(t)).toEqual(["member_joined", "member_joined"]);
    await deliver(t, charles("organizationMembership.deleted", { id: "orgmem_newer", updated_at: T0 + DAY }));
    expect((await activity(t)).at(-1)).toMatchObject({ kind: "member_removed", userId: CHARLES, actorId: ADA });
  });

  test("a real leave and a later rejoin keep both entries", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, charles("organizationMembership.deleted"));
    // Two transactions, a moment apart (this test's clock stands still unless moved).
    vi.setSystemTime(Date.now() + MINUTE);
    await deliver(t, charles("organizationMembership.created", { id: "orgmem_back", updated_at: T0 + DAY }));
    expect(await kinds(t)).toEqual(["member_joined", "member_joined", "member_left", "member_joined"]);
  });

  test("invitations: sent, accepted, revoked with the address and role, at the invitation's version; an unchanged status adds nothing", async () => {
    const t = newBackend();
    await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
    await deliver(t, organizationInvitationEvent("organizationInvitation.created", { updated_at: T0 + 1 }));
    await deliver(t, organizationInvitationEvent("organizationInvitation.accepted", { updated_at: T0 + MINUTE }));
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.revoked", {
        id: "orginv_other",
        email_address: "Eve@Example.com",
        updated_at: T0 + 2 * MINUTE,
      }),
    );
    expect(await activity(t)).toEqual([
      {
        organizationId: ORG,
        kind: "invitation_sent",
        userId: null,
        subject: "Someone",
        email: "charles@example.com",
        role: "Member",
        actorId: null,
        at: T0,
      },
      {
        organizationId: ORG,
        kind: "invitation_accepted",
        userId: CHARLES,
        subject: "Someone",
        email: "charles@example.com",
        role: "Member",
        actorId: null,
        at: T0 + MINUTE,
      },
      {
        organizationId: ORG,
        kind: "invitation_revoked",
        userId: null,
        subject: "Someone",
        email: "eve@example.com",
        role: "Member",
        actorId: null,
        at: T0 + 2 * MINUTE,
      },
    ]);
  });

  test("an organization's deletion: no 'left' for its members, and its feed and notes go", async () => {
    const t = newBackend();
    await team(t);
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_ada_b",
        organization: { object: "organization", id: ORG_B, name: "B", slug: "b", updated_at: T0 },
      }),
    );
    await t.run(
      async (ctx) => await noteDeparture(ctx, { organizationId: ORG, userId: CHARLES, actorId: ADA }, Date.now()),
    );
    await deliver(t, organizationDeleted(ORG, T0 + DAY));
    await settle(t);
    expect((await activity(t)).map((entry) => [entry.organizationId, entry.kind])).toEqual([[ORG_B, "member_joined"]]);
    expect(await t.run(async (ctx) => await ctx.db.query("departureNotes").collect())).toEqual([]);
  });
});

describe("a user's deletion erases Roster's data about them", () => {
  test("'left' in each team, written redacted; earlier entries redacted; their profile and dismissals go; others untouched", async () => {
    const t = newBackend();
    await team(t);
    await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
    await deliver(t, organizationInvitationEvent("organizationInvitation.accepted", { updated_at: T0 + 1_000 }));
    await t.run(async (ctx) => {
      await ctx.db.insert("profiles", { userId: CHARLES, bio: "Engines", country: "GB" });
      await ctx.db.insert("profiles", { userId: ADA, bio: "Notes" });
      await ctx.db.insert("invitationDismissals", { userId: CHARLES, invitationId: "orginv_x" });
      await ctx.db.insert("invitationDismissals", { userId: ADA, invitationId: "orginv_y" });
      // An entry from before addresses were kept apart: the address in the subject.
      await ctx.db.insert("activity", {
        organizationId: ORG,
        kind: "invitation_sent",
        userId: null,
        subject: "charles@example.com",
        role: "Member",
        at: T0 - 1,
      });
    });
    const adaBefore = (await activity(t)).filter((entry) => entry.userId === ADA);
    expect((await deliver(t, userDeleted(CHARLES, T0 + DAY))).outcome).toBe("applied");
    await settle(t);

    const after = await activity(t);
    const text = JSON.stringify(after);
    for (const personal of [CHARLES, "Charles", "Babbage", "charles@example.com"]) expect(text).not.toContain(personal);
    expect(
      after
        .filter((entry) => entry.subject === DELETED_USER)
        .map((entry) => entry.kind)
        .sort(),
    ).toEqual(["invitation_accepted", "invitation_sent", "invitation_sent", "member_joined", "member_left"]);
    expect(after.filter((entry) => entry.userId === ADA)).toEqual(adaBefore);
    const rest = await t.run(async (ctx) => ({
      profiles: (await ctx.db.query("profiles").collect()).map((row) => row.userId),
      dismissals: (await ctx.db.query("invitationDismissals").collect()).map((row) => row.userId),
    }));
    expect(rest).toEqual({ profiles: [ADA], dismissals: [ADA] });
  });

  test("an invitation to another of their verified addresses is redacted too", async () => {
    const t = newBackend();
    await deliver(
      t,
      userEvent(
        "user.created",
        clerkUserCharles({
          email_addresses: [
            clerkEmailAddress({ id: "idn_cb1", email_address: "charles@example.com" }),
            clerkEmailAddress({ id: "idn_cb2", email_address: "Babbage@Engines.example" }),
          ],
          primary_email_address_id: "idn_cb1",
        }),
      ),
    );
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", {
        id: "orginv_work",
        email_address: "babbage@engines.example",
      }),
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await settle(t);
    expect(JSON.stringify(await activity(t))).not.toMatch(/babbage@engines/i);
  });

  test("entries naming them as who acted keep the entry, not them", async () => {
    const t = newBackend();
    await team(t);
    await t.run(
      async (ctx) => await noteDeparture(ctx, { organizationId: ORG, userId: CHARLES, actorId: ADA }, Date.now()),
    );
    await deliver(t, charles("organizationMembership.deleted"));
    await deliver(t, userDeleted(ADA, T0 + DAY));
    await settle(t);
    expect((await activity(t)).find((entry) => entry.kind === "member_removed")).toMatchObject({
      subject: "Charles Babbage",
      userId: CHARLES,
      actorId: null,
    });
  });

  test("over 450 teams: the component's cascade batches stay within tight limits, hook included; a redacted 'left' in each", async () => {
    // A batch of 200 deletes: the component's own writes plus, per change, the projection row and one entry.
    const t = newBackend({ documentsRead: 1_000, documentsWritten: 700 });
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    const TEAMS = 450;
    const row = (i: number) => ({
      organizationId: clerkId("org", "u", i),
      userId: CHARLES,
      role: "org:member",
      roleName: "Member",
      publicUserData: { firstName: "Charles", lastName: "Babbage", imageUrl: null, identifier: "charles@example.com" },
      searchText: "charles babbage charles@example.com",
    });
    // Seeded as a migration would leave them: the component's rows and Roster's projection of them.
    for (let start = 0; start < TEAMS; start += 150) {
      await runInComponent(t, async (ctx) => {
        for (let i = start; i < start + 150; i += 1)
          await ctx.db.insert("memberships", { ...row(i), clerkId: `orgmem_u${i}`, clerkVersion: T0, permissions: [] });
      });
    }
    await seedInBatches(
      t,
      TEAMS,
      async (ctx, i) => ctx.db.insert("teamMembers", { ...row(i), membershipId: `orgmem_u${i}` }),
      150,
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await settle(t);
    expect(await projection(t)).toEqual([]);
    const entries = await activity(t);
    expect(entries).toHaveLength(TEAMS);
    expect(
      entries.every((entry) => entry.kind === "member_left" && entry.subject === DELETED_USER && entry.userId === null),
    ).toBe(true);
    expect(new Set(entries.map((entry) => entry.organizationId)).size).toBe(TEAMS);
  });

  test(`in bounded runs of ${ERASURE_BATCH_SIZE}, each rescheduling the next, never finding a row twice`, async () => {
    const t = newBackend({ documentsRead: 1_000, documentsWritten: 500 });
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await seedInBatches(
      t,
      450,
      async (ctx, i) =>
        await ctx.db.insert("activity", {
          organizationId: clerkId("org", "e", i),
          kind: i % 2 === 0 ? "member_joined" : "invitation_sent",
          userId: i % 2 === 0 ? CHARLES : null,
          subject: i % 2 === 0 ? "Charles Babbage" : "Someone",
          email: i % 2 === 0 ? null : "charles@example.com",
          role: "Member",
          at: T0,
        }),
      150,
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await settle(t);
    const runs = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name.includes("eraseUser")),
    );
    // 450 rows at 200 a run: 3 runs (the last finds the rest and sees nothing is left).
    expect(runs.map((job) => job.state.kind)).toEqual(["success", "success", "success"]);
    expect(JSON.stringify(await activity(t))).not.toMatch(/Charles|charles@example.com/);
  });

  test("one run erases at most its batch", async () => {
    const t = newBackend();
    await seedInBatches(t, 450, async (ctx, i) =>
      ctx.db.insert("activity", {
        organizationId: ORG,
        kind: "member_joined",
        userId: CHARLES,
        subject: `C${i}`,
        role: null,
        at: T0 + i,
      }),
    );
    expect(await t.mutation(internal.clerk.eraseUser, { userId: CHARLES })).toEqual({
      erased: ERASURE_BATCH_SIZE,
      more: true,
    });
  });
});

describe("each change costs O(1), however much Roster holds", () => {
  const membershipRow = (clerkIdOf: string, role = "org:member") => ({
    _id: "component_row_id",
    clerkId: clerkIdOf,
    clerkVersion: T0,
    organizationId: ORG,
    userId: CHARLES,
    role,
    roleName: null,
    permissions: [],
    publicUserData: { firstName: "Charles", lastName: "Babbage", imageUrl: null, identifier: "charles@example.com" },
    searchText: "charles babbage charles@example.com",
  });

  /** Documents the hook reads and writes for `change`, called as the component calls it. */
  async function cost(t: Backend, change: Record<string, unknown>) {
    return await t.run(async (ctx) => {
      const before = await ctx.meta.getTransactionMetrics();
      await ctx.runMutation(internal.clerk.onChange, {
        source: "webhook",
        before: null,
        after: null,
        ...change,
      } as never);
      const after = await ctx.meta.getTransactionMetrics();
      return {
        read: after.documentsRead.used - before.documentsRead.used,
        written: after.documentsWritten.used - before.documentsWritten.used,
      };
    });
  }

  test("create, update and delete of a membership, with 300 entries about the member and 300 other members", async () => {
    const t = newBackend();
    await seedInBatches(t, 300, async (ctx, i) => {
      await ctx.db.insert("activity", {
        organizationId: ORG,
        kind: "member_joined",
        userId: CHARLES,
        subject: "Charles",
        role: null,
        at: T0 - i,
      });
      const {
        _id,
        clerkId: membershipId,
        clerkVersion: _version,
        permissions: _permissions,
        ...fields
      } = membershipRow(`orgmem_other${i}`);
      await ctx.db.insert("teamMembers", { ...fields, userId: `user_other${i}`, membershipId });
    });
    const created = await cost(t, { table: "memberships", op: "create", after: membershipRow("orgmem_c") });
    const updated = await cost(t, {
      table: "memberships",
      op: "update",
      before: membershipRow("orgmem_c"),
      after: membershipRow("orgmem_c", "org:admin"),
    });
    const unchanged = await cost(t, {
      table: "memberships",
      op: "update",
      before: membershipRow("orgmem_c", "org:admin"),
      after: { ...membershipRow("orgmem_c", "org:admin"), clerkVersion: T0 + 1, permissions: ["org:x"] },
    });
    const deleted = await cost(t, {
      table: "memberships",
      op: "delete",
      before: membershipRow("orgmem_c", "org:admin"),
    });
    // Create: the newest entry about the member (none projected yet), the row and "joined" written.
    // Update and delete: the projection row read and written (a write reads its document), one entry;
    // an update of fields the projection does not hold writes nothing.
    expect({ created, updated, unchanged, deleted }).toEqual({
      created: { read: 1, written: 2 },
      updated: { read: 2, written: 2 },
      unchanged: { read: 1, written: 0 },
      deleted: { read: 2, written: 2 },
    });
  });

  test("a user's or a team's deletion only schedules its erasure", async () => {
    const t = newBackend();
    await seedInBatches(t, 300, async (ctx, i) =>
      ctx.db.insert("activity", {
        organizationId: ORG,
        kind: "member_joined",
        userId: CHARLES,
        subject: "Charles",
        role: null,
        at: T0 - i,
      }),
    );
    const user = {
      _id: "u",
      clerkId: CHARLES,
      email: "charles@example.com",
      phone: null,
      verifiedEmails: ["charles@example.com"],
    };
    expect(await cost(t, { table: "users", op: "delete", before: user })).toEqual({ read: 0, written: 0 });
    expect(await cost(t, { table: "organizations", op: "delete", before: { _id: "o", clerkId: ORG } })).toEqual({
      read: 0,
      written: 0,
    });
    expect(await cost(t, { table: "sessions", op: "create", after: { _id: "s" } })).toEqual({ read: 0, written: 0 });
  });
});

describe("a hook that throws rolls the component's change back", () => {
  test("the event is kept failed (500), nothing of it is written anywhere; a retry once the hook works applies it", async () => {
    const t = newBackend();
    await team(t);
    // A projection row that makes the hook's unique read throw: two rows for one membership.
    await t.run(async (ctx) => {
      const [row] = await ctx.db.query("teamMembers").collect();
      const { _id, _creationTime, ...fields } = row!;
      await ctx.db.insert("teamMembers", { ...fields });
    });
    const before = await runInComponent(t, async (ctx) => await ctx.db.query("memberships").collect());
    const response = await deliver(
      t,
      membershipEvent("organizationMembership.updated", { role: "org:member", updated_at: T0 + MINUTE }),
      { svixId: "msg_fails" },
    );
    expect(response.status).toBe(500);
    expect(await runInComponent(t, async (ctx) => await ctx.db.query("memberships").collect())).toEqual(before);
    const logged = await runInComponent(t, async (ctx) =>
      (await ctx.db.query("webhookEvents").collect()).find((row) => row.svixId === "msg_fails"),
    );
    expect(logged?.outcome).toBe("failed");
    expect(await kinds(t)).toEqual(["member_joined", "member_joined"]);

    // The duplicate goes; Svix's retry of the same message applies it, hook and all.
    await t.run(async (ctx) => {
      const rows = await ctx.db.query("teamMembers").collect();
      const twins = rows.filter((row) =>
        rows.some((other) => other._id < row._id && other.membershipId === row.membershipId),
      );
      for (const row of twins) await ctx.db.delete("teamMembers", row._id);
    });
    const retried = await deliver(
      t,
      membershipEvent("organizationMembership.updated", { role: "org:member", updated_at: T0 + MINUTE }),
      { svixId: "msg_fails" },
    );
    expect(retried).toMatchObject({ status: 200, outcome: "applied" });
    await expectExact(t);
    expect(await kinds(t)).toEqual(["member_joined", "member_joined", "role_changed"]);
  });
});
