import type { FunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkId,
  clerkOrganization,
  clerkUserCharles,
  DAY,
  membershipEvent,
  MINUTE,
  ORG,
  organizationDeleted,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  sessionEvent,
  T0,
  userDeleted,
  userEvent,
  verifiedDomain,
} from "../test/clerkEvents";
import { runInComponent } from "convex-clerk-sync/test";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { api, components } from "./_generated/api";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const ORG_B = clerkId("org", "diff");
const orgB = clerkOrganization({ id: ORG_B, name: "Difference Engines", slug: "difference-engines" });
const PAGE = { numItems: 10, cursor: null };
/** The component's internal session prune, called as its cron calls it. */
const PRUNE_ENDED_SESSIONS = (
  components.clerkSync as unknown as {
    cascades: {
      pruneEndedSessions: FunctionReference<"mutation", "internal", Record<string, never>, { deleted: number }>;
    };
  }
).cascades.pruneEndedSessions;

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev" });
}
/** Charles's membership of Ada's organization (a plain member unless told). */
function charlesJoins(
  overrides: Record<string, unknown> = {},
  type:
    | "organizationMembership.created"
    | "organizationMembership.updated"
    | "organizationMembership.deleted" = "organizationMembership.created",
) {
  return membershipEvent(type, {
    public_user_data: publicUserData(clerkUserCharles()),
    role: "org:member",
    ...overrides,
  });
}
/** Ada (admin) in ORG, Charles (member) in ORG, Grace (admin) in ORG_B. */
async function twoTeams(t: Backend) {
  await deliver(t, membershipEvent("organizationMembership.created"));
  await deliver(t, charlesJoins());
  await deliver(
    t,
    membershipEvent("organizationMembership.created", {
      id: "orgmem_grace",
      organization: orgB,
      public_user_data: {
        user_id: "user_grace",
        first_name: "Grace",
        last_name: "Hopper",
        identifier: "grace@example.com",
        image_url: null,
      },
    }),
  );
}
async function membersOf(t: Backend, viewer: string, organizationId = ORG, search?: string) {
  const page = await as(t, viewer).query(api.organizations.members, { organizationId, paginationOpts: PAGE, search });
  return page.page;
}
async function errorOf(promise: Promise<unknown>) {
  return await promise.then(
    () => null,
    (error: unknown) => error,
  );
}

describe("memberships", () => {
  test("a membership before its user shows the member from its public data, then from the user row", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, charlesJoins());
    expect(await membersOf(t, ADA)).toContainEqual(
      expect.objectContaining({
        userId: CHARLES,
        name: "Charles Babbage",
        identifier: "charles@example.com",
        role: "org:member",
        roleName: "Member",
      }),
    );
    await deliver(t, userEvent("user.created", clerkUserCharles({ first_name: "Charles", last_name: "Babbage FRS" })));
    expect(await membersOf(t, ADA)).toContainEqual(
      expect.objectContaining({ userId: CHARLES, name: "Charles Babbage FRS" }),
    );
  });

  test("a membership before its organization creates the organization from the embedded copy", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    expect(await as(t, ADA).query(api.organizations.listMine, {})).toEqual([
      expect.objectContaining({
        organizationId: ORG,
        name: "Analytical Engines",
        role: "org:admin",
        roleName: "Admin",
        isAdmin: true,
      }),
    ]);
    // organization.created arrives late, with the same version: it changes nothing.
    expect((await deliver(t, organizationEvent("organization.created"))).status).toBe(200);
    expect(await runInComponent(t, async (ctx) => (await ctx.db.query("organizations").collect()).length)).toBe(1);
  });

  test("the embedded organization never overwrites a newer one", async () => {
    const t = newBackend();
    await deliver(t, organizationEvent("organization.updated", { name: "Engines Ltd", updated_at: T0 + DAY }));
    await deliver(t, membershipEvent("organizationMembership.created"));
    const [org] = await as(t, ADA).query(api.organizations.listMine, {});
    expect(org?.name).toBe("Engines Ltd");
  });

  test("role changed twice, delivered out of order: the newer role stands, one change in the feed", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, charlesJoins());
    const toAdmin = charlesJoins({ role: "org:admin", updated_at: T0 + 2 * MINUTE }, "organizationMembership.updated");
    const toBilling = charlesJoins({ role: "org:billing", updated_at: T0 + MINUTE }, "organizationMembership.updated");
    expect((await deliver(t, toAdmin)).outcome).toBe("applied");
    expect((await deliver(t, toBilling)).outcome).toBe("stale");
    expect(await membersOf(t, ADA)).toContainEqual(
      expect.objectContaining({ userId: CHARLES, role: "org:admin", roleName: "Admin" }),
    );
    const feed = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    expect(feed.filter((e) => e.kind === "role_changed")).toEqual([
      expect.objectContaining({ subject: "Charles Babbage", role: "Admin" }),
    ]);
  });

  test("a delete wins a tie with the last update, and the member stays gone", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, charlesJoins({ updated_at: T0 + MINUTE }, "organizationMembership.updated"));
    expect(
      (await deliver(t, charlesJoins({ updated_at: T0 + MINUTE }, "organizationMembership.deleted"))).outcome,
    ).toBe("applied");
    expect(
      (await deliver(t, charlesJoins({ updated_at: T0 + MINUTE }, "organizationMembership.updated"))).outcome,
    ).toBe("stale");
    expect((await membersOf(t, ADA)).map((m) => m.userId)).toEqual([ADA]);
    const feed = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    expect(feed.map((e) => e.kind)).toEqual(["member_left", "member_joined", "member_joined"]);
  });

  test("one row per (organization, user): a newer membership replaces an older one", async () => {
    const t = newBackend();
    await deliver(t, charlesJoins({ id: "orgmem_old", updated_at: T0 }));
    await deliver(t, charlesJoins({ id: "orgmem_new", updated_at: T0 + DAY }));
    expect(
      (await deliver(t, charlesJoins({ id: "orgmem_old", updated_at: T0 + MINUTE }, "organizationMembership.updated")))
        .outcome,
    ).toBe("stale");
    const rows = await runInComponent(t, async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((r) => r.clerkId)).toEqual(["orgmem_new"]);
  });
});

describe("the organization a membership carries", () => {
  /** The members count a member sees: the exact one, not the members_count Clerk embeds. */
  async function membersCount(t: Backend, viewer: string) {
    return (await as(t, viewer).query(api.organizations.get, { organizationId: ORG }))?.membersCount;
  }
  const grace = {
    user_id: "user_grace",
    first_name: "Grace",
    last_name: "Hopper",
    identifier: "grace@example.com",
    image_url: null,
  };

  test("joins carrying Clerk's members count out of order: the count shown is the exact one", async () => {
    const t = newBackend();
    await deliver(t, organizationEvent("organization.created", { members_count: 1 }));
    await deliver(
      t,
      charlesJoins({ updated_at: T0 + 2 * MINUTE, organization: clerkOrganization({ members_count: 3 }) }),
    );
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_grace",
        public_user_data: grace,
        updated_at: T0 + MINUTE,
        organization: clerkOrganization({ members_count: 2 }),
      }),
    );
    expect(await membersCount(t, CHARLES)).toBe(2);
  });

  test("a member leaving brings the count down", async () => {
    const t = newBackend();
    await deliver(t, organizationEvent("organization.created", { members_count: 1 }));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, charlesJoins({ organization: clerkOrganization({ members_count: 2 }) }));
    expect(await membersCount(t, ADA)).toBe(2);
    await deliver(
      t,
      charlesJoins({ organization: clerkOrganization({ members_count: 1 }) }, "organizationMembership.deleted"),
    );
    expect(await membersCount(t, ADA)).toBe(1);
  });

  test("an embedded organization without an id does not fail the membership", async () => {
    const t = newBackend();
    const event = charlesJoins({ organization: { object: "organization", name: "No id" }, organization_id: ORG });
    expect(await deliver(t, event)).toEqual({ status: 200, outcome: "applied" });
    expect(
      await runInComponent(t, async (ctx) =>
        (await ctx.db.query("memberships").collect()).map((m) => m.organizationId),
      ),
    ).toEqual([ORG]);
  });
});

describe("invitations and domains", () => {
  test("an invitation accepted before it was created stays accepted", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    expect(
      (await deliver(t, organizationInvitationEvent("organizationInvitation.accepted", { updated_at: T0 + DAY })))
        .outcome,
    ).toBe("applied");
    expect((await deliver(t, organizationInvitationEvent("organizationInvitation.created"))).outcome).toBe("stale");
    expect(await as(t, ADA).query(api.organizations.invitations, { organizationId: ORG })).toEqual([]);
    const rows = await runInComponent(t, async (ctx) => await ctx.db.query("organizationInvitations").collect());
    expect(rows).toEqual([expect.objectContaining({ status: "accepted", userId: CHARLES })]);
    const feed = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    expect(feed).toContainEqual(
      expect.objectContaining({ kind: "invitation_accepted", subject: "charles@example.com" }),
    );
  });

  test("admins see pending invitations and domains; members get NOT_AN_ADMIN", async () => {
    const t = newBackend();
    await twoTeams(t);
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", { email_address: "ida@example.com" }),
    );
    await deliver(t, organizationDomainEvent("organizationDomain.created", verifiedDomain()));
    expect(await as(t, ADA).query(api.organizations.invitations, { organizationId: ORG })).toEqual([
      expect.objectContaining({ emailAddress: "ida@example.com", status: "pending", roleName: "Member" }),
    ]);
    expect(await as(t, ADA).query(api.organizations.domains, { organizationId: ORG })).toEqual([
      expect.objectContaining({
        name: "engines.example",
        verificationStatus: "verified",
        enrollmentMode: "automatic_invitation",
      }),
    ]);
    for (const query of [api.organizations.invitations, api.organizations.domains]) {
      expect(await errorOf(as(t, CHARLES).query(query, { organizationId: ORG }))).toMatchObject({
        data: { code: "NOT_AN_ADMIN" },
      });
      expect(await errorOf(as(t, "user_grace").query(query, { organizationId: ORG }))).toMatchObject({
        data: { code: "NOT_A_MEMBER" },
      });
    }
  });
});

describe("who may read what", () => {
  test("a member of one organization gets NOT_A_MEMBER for another's data, not an empty answer", async () => {
    const t = newBackend();
    await twoTeams(t);
    for (const read of [
      as(t, ADA).query(api.organizations.members, { organizationId: ORG_B, paginationOpts: PAGE }),
      as(t, ADA).query(api.organizations.get, { organizationId: ORG_B }),
      as(t, ADA).query(api.organizations.activity, { organizationId: ORG_B }),
      as(t, "user_grace").query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE }),
    ]) {
      expect(await errorOf(read)).toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    }
    expect((await membersOf(t, "user_grace", ORG_B)).map((m) => m.name)).toEqual(["Grace Hopper"]);
  });

  test("signed-out callers get nothing", async () => {
    const t = newBackend();
    await twoTeams(t);
    expect(await t.query(api.organizations.listMine, {})).toEqual([]);
    expect(
      await errorOf(t.query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE })),
    ).toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
    expect(await errorOf(t.query(api.admin.eventLog, { paginationOpts: PAGE }))).toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
  });

  test("listMine lists only the caller's organizations, with their role", async () => {
    const t = newBackend();
    await twoTeams(t);
    expect(await as(t, CHARLES).query(api.organizations.listMine, {})).toEqual([
      expect.objectContaining({ organizationId: ORG, role: "org:member", isAdmin: false }),
    ]);
    const details = await as(t, CHARLES).query(api.organizations.get, { organizationId: ORG });
    expect(details).toMatchObject({
      name: "Analytical Engines",
      viewer: { role: "org:member", isAdmin: false, canManageMembers: false, canReadDomains: false },
    });
  });

  test("private metadata never leaves the server", async () => {
    const t = newBackend();
    await deliver(
      t,
      userEvent("user.created", { private_metadata: { ssn: "SECRET-1" }, public_metadata: { rosterAdmin: true } }),
    );
    await deliver(t, organizationEvent("organization.created", { private_metadata: { token: "SECRET-2" } }));
    await deliver(t, membershipEvent("organizationMembership.created", { private_metadata: { note: "SECRET-3" } }));
    const everything = await runInComponent(t, async (ctx) => {
      const tables = ["users", "organizations", "memberships", "webhookEvents"] as const;
      return JSON.stringify(await Promise.all(tables.map((table) => ctx.db.query(table).collect())));
    });
    expect(everything).not.toMatch(/SECRET-/);
  });

  test("the event log and sync health are for app admins (rosterAdmin in public metadata) only", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    await twoTeams(t);
    expect(await errorOf(as(t, CHARLES).query(api.admin.eventLog, { paginationOpts: PAGE }))).toMatchObject({
      data: { code: "NOT_AN_ADMIN" },
    });
    expect(await errorOf(as(t, CHARLES).query(api.admin.syncHealth, {}))).toMatchObject({
      data: { code: "NOT_AN_ADMIN" },
    });
    expect(await as(t, ADA).query(api.users.me, {})).toMatchObject({ isAppAdmin: true });

    const log = await as(t, ADA).query(api.admin.eventLog, { paginationOpts: PAGE });
    expect(log.page.map((e) => e.type)).toEqual([
      "organizationMembership.created",
      "organizationMembership.created",
      "organizationMembership.created",
      "user.created",
    ]);
    const applied = await as(t, ADA).query(api.admin.eventLog, { paginationOpts: PAGE, outcome: "failed" });
    expect(applied.page).toEqual([]);
    expect(await as(t, ADA).query(api.admin.syncHealth, {})).toMatchObject({
      failedLast24h: 0,
      failedTotal: 0,
      lastEventAt: expect.any(Number),
    });
  });
});

describe("sync health", () => {
  test("counts an event that failed again today among the last 24 hours' failures, however old its first try", async () => {
    vi.useFakeTimers({ now: T0 });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = newBackend();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    const broken = { ...membershipEvent("organizationMembership.created"), data: { id: "orgmem_broken" } };
    await deliver(t, broken, { svixId: "msg_broken" });
    vi.setSystemTime(T0 + 2 * DAY);
    expect(await as(t, ADA).query(api.admin.syncHealth, {})).toMatchObject({ failedLast24h: 0, failedTotal: 1 });
    await deliver(t, broken, { svixId: "msg_broken" });
    expect(await as(t, ADA).query(api.admin.syncHealth, {})).toMatchObject({ failedLast24h: 1, failedTotal: 1 });
    vi.restoreAllMocks();
  });
});

describe("members list", () => {
  test("pages through members and searches by name or email", async () => {
    const t = newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    for (let i = 1; i <= 12; i += 1) {
      const id = clerkId("user", "m", i);
      await deliver(
        t,
        membershipEvent("organizationMembership.created", {
          id: `orgmem_${i}`,
          role: "org:member",
          public_user_data: {
            user_id: id,
            first_name: `Member${i}`,
            last_name: "Test",
            identifier: `member${i}@example.com`,
          },
        }),
      );
    }
    const first = await as(t, ADA).query(api.organizations.members, {
      organizationId: ORG,
      paginationOpts: { numItems: 5, cursor: null },
    });
    expect(first.page).toHaveLength(5);
    expect(first.isDone).toBe(false);
    const second = await as(t, ADA).query(api.organizations.members, {
      organizationId: ORG,
      paginationOpts: { numItems: 50, cursor: first.continueCursor },
    });
    expect(second.page).toHaveLength(8);
    expect(new Set([...first.page, ...second.page].map((m) => m.userId)).size).toBe(13);

    expect((await membersOf(t, ADA, ORG, "member7")).map((m) => m.name)).toEqual(["Member7 Test"]);
    expect((await membersOf(t, ADA, ORG, "Ada")).map((m) => m.userId)).toEqual([ADA]);
  });

  test("shows who has an active session", async () => {
    vi.useFakeTimers({ now: T0 + MINUTE });
    const t = newBackend();
    await twoTeams(t);
    await deliver(t, sessionEvent("session.created"));
    const active = async () => Object.fromEntries((await membersOf(t, ADA)).map((m) => [m.userId, m.isActive]));
    expect(await active()).toEqual({ [ADA]: true, [CHARLES]: false });
    await deliver(t, sessionEvent("session.ended"));
    expect(await active()).toEqual({ [ADA]: false, [CHARLES]: false });
    // A late session.created (older) does not bring the ended session back to life.
    expect((await deliver(t, sessionEvent("session.created"))).outcome).toBe("stale");
  });

  test("ended sessions are kept past Svix's retry window, then pruned; a replay after that is not active", async () => {
    vi.useFakeTimers({ now: T0 + 2 * DAY });
    const t = newBackend();
    await twoTeams(t);
    await deliver(t, sessionEvent("session.ended"));
    // Svix retries for about a day: a late session.created two days on is still stale.
    expect(await t.mutation(PRUNE_ENDED_SESSIONS, {})).toEqual({ deleted: 0 });
    expect((await deliver(t, sessionEvent("session.created"))).outcome).toBe("stale");

    vi.setSystemTime(T0 + 9 * DAY);
    await deliver(
      t,
      sessionEvent("session.created", { id: "sess_live", updated_at: T0 + 9 * DAY - MINUTE, expire_at: T0 + 16 * DAY }),
    );
    expect(await t.mutation(PRUNE_ENDED_SESSIONS, {})).toEqual({ deleted: 1 });
    const left = await runInComponent(t, async (ctx) =>
      (await ctx.db.query("sessions").collect()).map((s) => s.clerkId),
    );
    expect(left).toEqual(["sess_live"]);
    // A manual replay of the first session.created, long after: its session has expired by now.
    expect((await deliver(t, sessionEvent("session.created"), { signedAt: new Date(T0 + 9 * DAY) })).status).toBe(200);
    const active = Object.fromEntries((await membersOf(t, ADA)).map((m) => [m.userId, m.isActive]));
    expect(active[ADA]).toBe(true); // sess_live
    const replayed = await runInComponent(t, async (ctx) =>
      (await ctx.db.query("sessions").collect()).find((s) => s.clerkId !== "sess_live"),
    );
    expect(replayed?.status).toBe("expired");
  });
});

describe("deletes and their cascades", () => {
  test("organization deleted with members: its children go, a late membership update is stale and does not bring the organization back", async () => {
    vi.useFakeTimers();
    const t = newBackend();
    await twoTeams(t);
    await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
    await deliver(t, organizationDomainEvent("organizationDomain.created"));
    expect((await deliver(t, organizationDeleted(ORG, T0 + DAY))).outcome).toBe("applied");
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());

    const left = {
      ...(await runInComponent(t, async (ctx) => ({
        organizations: (await ctx.db.query("organizations").collect()).map((o) => o.clerkId),
        memberships: (await ctx.db.query("memberships").collect()).map((m) => m.organizationId),
        invitations: (await ctx.db.query("organizationInvitations").collect()).length,
        domains: (await ctx.db.query("organizationDomains").collect()).length,
      }))),
      ...(await t.run(async (ctx) => ({
        activity: (await ctx.db.query("activity").collect()).map((a) => a.organizationId),
        projection: (await ctx.db.query("teamMembers").collect()).map((m) => m.organizationId),
      }))),
    };
    expect(left).toEqual({
      organizations: [ORG_B],
      memberships: [ORG_B],
      invitations: 0,
      domains: 0,
      activity: [ORG_B],
      projection: [ORG_B],
    });

    const late = charlesJoins(
      { updated_at: T0 + 2 * DAY, organization: clerkOrganization({ updated_at: T0 + 2 * DAY }) },
      "organizationMembership.updated",
    );
    expect((await deliver(t, late)).outcome).toBe("stale");
    expect((await deliver(t, organizationEvent("organization.updated", { updated_at: T0 + 3 * DAY }))).outcome).toBe(
      "stale",
    );
    expect(await as(t, CHARLES).query(api.organizations.listMine, {})).toEqual([]);
    expect(await errorOf(as(t, CHARLES).query(api.organizations.get, { organizationId: ORG }))).toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
  });

  test("a duplicate organization.deleted changes nothing and starts no second cascade", async () => {
    vi.useFakeTimers();
    const t = newBackend();
    await twoTeams(t);
    const deleted = organizationDeleted(ORG, T0 + DAY);
    /** The jobs scheduled in the component (its cascade) and in Roster (its own erasure, from the hook). */
    const scheduled = async () => ({
      component: await runInComponent(
        t,
        async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).length,
      ),
      roster: await t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).length),
    });
    expect((await deliver(t, deleted, { svixId: "msg_del" })).outcome).toBe("applied");
    const once = await scheduled();
    expect(once.component).toBe(1);
    expect((await deliver(t, deleted, { svixId: "msg_del" })).outcome).toBe("duplicate");
    expect((await deliver(t, deleted)).outcome).toBe("stale");
    expect(await scheduled()).toEqual(once);
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await runInComponent(t, async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(1);
  });

  test("user.deleted removes the user's memberships and sessions, and says they left", async () => {
    vi.useFakeTimers();
    const t = newBackend();
    await twoTeams(t);
    await deliver(t, sessionEvent("session.created", { user_id: CHARLES, id: "sess_charles" }));
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect((await membersOf(t, ADA)).map((m) => m.userId)).toEqual([ADA]);
    expect(await runInComponent(t, async (ctx) => (await ctx.db.query("sessions").collect()).length)).toBe(0);
    const feed = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    // The feed says they left, and erasure shows them as "Deleted user".
    expect(feed[0]).toMatchObject({ kind: "member_left", userId: null, subject: "Deleted user" });
    // A late membership for the deleted user is stale.
    expect(
      (await deliver(t, charlesJoins({ updated_at: T0 + 2 * DAY }, "organizationMembership.updated"))).outcome,
    ).toBe("stale");
  });
});
