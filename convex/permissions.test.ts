import type { FunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkId,
  clerkPermission,
  clerkRole,
  clerkUserCharles,
  DAY,
  HOUR,
  membershipEvent,
  MINUTE,
  ORG,
  organizationDeleted,
  organizationDomainEvent,
  organizationInvitationEvent,
  publicUserData,
  roleDeleted,
  roleEvent,
  SESSION,
  sessionEvent,
  T0,
  userDeleted,
} from "../test/clerkEvents";
import { runInComponent } from "convex-clerk-sync/test";
import { applyClerkRole, recordRolesListed } from "../packages/clerk-sync/src/component/model/roles";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { api, components } from "./_generated/api";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const PAGE = { numItems: 10, cursor: null };
/** The component's internal session prune, called as its cron calls it. */
const PRUNE_ENDED_SESSIONS = (
  components.clerkSync as unknown as {
    cascades: {
      pruneEndedSessions: FunctionReference<"mutation", "internal", Record<string, never>, { deleted: number }>;
    };
  }
).cascades.pruneEndedSessions;

/** The role keys recorded as no longer naming a role, with when. */
async function deletedKeys(t: Backend) {
  return await runInComponent(t, async (ctx) =>
    (await ctx.db.query("deletedRoles").collect()).map((row) => [row.key, row.deletedAt]),
  );
}
const ROLE = clerkId("role", "aud");

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev" });
}
async function errorOf(promise: Promise<unknown>) {
  return await promise.then(
    () => null,
    (error: unknown) => error,
  );
}
function permission(key: string) {
  return clerkPermission({ id: `perm_${key.replace(/\W/g, "_")}`, key, type: "system" });
}
/** Ada (admin) and Charles in ORG; Charles holds `role` with the permissions his membership copies. */
async function team(t: Backend, role = "org:member", permissions?: string[]) {
  await deliver(t, membershipEvent("organizationMembership.created"));
  await deliver(
    t,
    membershipEvent("organizationMembership.created", {
      public_user_data: publicUserData(clerkUserCharles()),
      role,
      ...(permissions ? { permissions } : {}),
    }),
  );
}
/** What Charles may do, as `organizations.get` tells the client, and as the queries enforce. */
async function charlesMay(t: Backend) {
  const { viewer } = await as(t, CHARLES).query(api.organizations.get, { organizationId: ORG });
  const allowed = async (read: Promise<unknown>) => {
    const error = await errorOf(read);
    if (error === null) return true;
    expect(error).toMatchObject({ data: { code: "NOT_AN_ADMIN" } });
    return false;
  };
  const enforced = {
    members: await allowed(
      as(t, CHARLES).query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE }),
    ),
    invitations: await allowed(as(t, CHARLES).query(api.organizations.invitations, { organizationId: ORG })),
    domains: await allowed(as(t, CHARLES).query(api.organizations.domains, { organizationId: ORG })),
  };
  // What the client is told matches what the server enforces.
  expect({
    members: viewer.canReadMembers,
    invitations: viewer.canManageMembers,
    domains: viewer.canReadDomains,
  }).toEqual(enforced);
  return { ...enforced, isAdmin: viewer.isAdmin, permissions: viewer.permissions };
}

describe("permissions come from the role's current permissions", () => {
  test("role.updated taking org:sys_memberships:read away blocks the members list at once", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created"));
    await team(t, "org:auditor", ["org:reports:read", "org:sys_memberships:read"]);
    expect(await charlesMay(t)).toMatchObject({ members: true, invitations: false, domains: false });

    await deliver(t, roleEvent("role.updated", { permissions: [clerkPermission()], updated_at: T0 + MINUTE }));
    expect(await charlesMay(t)).toEqual({
      members: false,
      invitations: false,
      domains: false,
      isAdmin: false,
      permissions: ["org:reports:read"],
    });
    // Organization and activity stay readable: they are for every member.
    expect(await as(t, CHARLES).query(api.organizations.activity, { organizationId: ORG })).not.toEqual([]);
  });

  test("role.updated granting a permission takes effect at once, for every holder", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created", { permissions: [] }));
    await team(t, "org:auditor", []);
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_grace",
        role: "org:auditor",
        permissions: [],
        public_user_data: { user_id: "user_grace", first_name: "Grace", last_name: "Hopper", identifier: "g@x.io" },
      }),
    );
    expect(await charlesMay(t)).toMatchObject({ members: false, domains: false });
    await deliver(
      t,
      roleEvent("role.updated", {
        permissions: [permission("org:sys_memberships:read"), permission("org:sys_domains:read")],
        updated_at: T0 + MINUTE,
      }),
    );
    expect(await charlesMay(t)).toMatchObject({ members: true, invitations: false, domains: true });
    const grace = await as(t, "user_grace").query(api.organizations.get, { organizationId: ORG });
    expect(grace.viewer).toMatchObject({ canReadMembers: true, canReadDomains: true, canManageMembers: false });
  });

  test("role.deleted leaves its holders no permissions from it, even though their membership copied some", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created"));
    await team(t, "org:auditor", ["org:reports:read", "org:sys_memberships:read"]);
    expect(await charlesMay(t)).toMatchObject({ members: true });
    expect((await deliver(t, roleDeleted(ROLE, T0 + MINUTE))).outcome).toBe("applied");
    expect(await charlesMay(t)).toEqual({
      members: false,
      invitations: false,
      domains: false,
      isAdmin: false,
      permissions: [],
    });
    // Still a member: the organization itself stays readable.
    expect(await as(t, CHARLES).query(api.organizations.get, { organizationId: ORG })).toMatchObject({
      organizationId: ORG,
    });
    // A late role.updated does not bring the role back.
    expect((await deliver(t, roleEvent("role.updated", { updated_at: T0 + 2 * MINUTE }))).outcome).toBe("stale");
    expect(await charlesMay(t)).toMatchObject({ members: false });
  });

  test("a role created again under a deleted role's key counts", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created"));
    await team(t, "org:auditor", []);
    await deliver(t, roleDeleted(ROLE, T0 + MINUTE));
    expect(await charlesMay(t)).toMatchObject({ members: false });
    await deliver(
      t,
      roleEvent("role.created", {
        id: clerkId("role", "aud", 2),
        permissions: [permission("org:sys_memberships:read")],
        updated_at: T0 + 2 * MINUTE,
      }),
    );
    expect(await charlesMay(t)).toMatchObject({ members: true });
  });

  test("a role Roster has not seen falls back to the permissions the membership copied", async () => {
    const t = newBackend();
    await team(t, "org:auditor", ["org:sys_memberships:read", "org:sys_domains:read"]);
    expect(await charlesMay(t)).toEqual({
      members: true,
      invitations: false,
      domains: true,
      isAdmin: false,
      permissions: ["org:sys_memberships:read", "org:sys_domains:read"],
    });
  });

  test.each([
    ["no permissions", [], { members: false, invitations: false, domains: false }],
    [
      "only org:sys_memberships:read",
      ["org:sys_memberships:read"],
      { members: true, invitations: false, domains: false },
    ],
    ["only org:sys_domains:read", ["org:sys_domains:read"], { members: false, invitations: false, domains: true }],
    ["only org:sys_domains:manage", ["org:sys_domains:manage"], { members: false, invitations: false, domains: true }],
    [
      "only org:sys_memberships:manage",
      ["org:sys_memberships:manage"],
      { members: true, invitations: true, domains: false },
    ],
  ])("a custom role with %s", async (_label, keys, expected) => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created", { key: "org:custom", permissions: keys.map(permission) }));
    // The membership's copy says otherwise: the role's current permissions decide.
    await team(t, "org:custom", ["org:sys_memberships:manage", "org:sys_domains:manage"]);
    expect(await charlesMay(t)).toEqual({ ...expected, isAdmin: false, permissions: keys });
  });

  test("a custom role with org:sys_memberships:manage sees pending invitations", async () => {
    const t = newBackend();
    await deliver(
      t,
      roleEvent("role.created", { key: "org:recruiter", permissions: [permission("org:sys_memberships:manage")] }),
    );
    await team(t, "org:recruiter", []);
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", { email_address: "ida@example.com" }),
    );
    expect(await as(t, CHARLES).query(api.organizations.invitations, { organizationId: ORG })).toEqual([
      expect.objectContaining({ emailAddress: "ida@example.com", status: "pending" }),
    ]);
  });

  test("a role from Clerk's Backend API (for backfill) counts like one from a webhook", async () => {
    const t = newBackend();
    await team(t, "org:auditor", ["org:sys_memberships:read"]);
    const apiRole = { ...clerkRole({ permissions: [permission("org:sys_domains:read")] }), updated_at: T0 + MINUTE };
    expect(await runInComponent(t, async (ctx) => await applyClerkRole(ctx, apiRole, T0 + MINUTE))).toBe("applied");
    expect(await charlesMay(t)).toMatchObject({ members: false, domains: true });
    // Newer wins: an older copy changes nothing, and a deleted role stays deleted.
    expect(await runInComponent(t, async (ctx) => await applyClerkRole(ctx, clerkRole(), T0))).toBe("stale");
    await deliver(t, roleDeleted(ROLE, T0 + 2 * MINUTE));
    expect(await runInComponent(t, async (ctx) => await applyClerkRole(ctx, apiRole, T0 + 3 * MINUTE))).toBe("stale");
    expect(await charlesMay(t)).toMatchObject({ members: false, domains: false, permissions: [] });
  });

  test("a role whose key changed: its holders keep the old key, which grants nothing", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created", { permissions: [permission("org:sys_memberships:manage")] }));
    await team(t, "org:auditor", ["org:sys_memberships:manage"]);
    expect(await charlesMay(t)).toMatchObject({ members: true, invitations: true });

    // Clerk's API renames the role's key; Charles's membership still says org:auditor.
    const renamed = roleEvent("role.updated", { key: "org:inspector", updated_at: T0 + MINUTE });
    expect((await deliver(t, renamed)).outcome).toBe("applied");
    expect(await charlesMay(t)).toEqual({
      members: false,
      invitations: false,
      domains: false,
      isAdmin: false,
      permissions: [],
    });
    expect(await deletedKeys(t)).toEqual([["org:auditor", T0 + MINUTE]]);
    // An older snapshot under yet another key changes nothing and records nothing.
    expect((await deliver(t, roleEvent("role.updated", { key: "org:old", updated_at: T0 }))).outcome).toBe("stale");
    expect(await deletedKeys(t)).toEqual([["org:auditor", T0 + MINUTE]]);
    // A snapshot that keeps the key records nothing either.
    await deliver(t, roleEvent("role.updated", { key: "org:inspector", updated_at: T0 + 2 * MINUTE }));
    expect(await deletedKeys(t)).toEqual([["org:auditor", T0 + MINUTE]]);
    // The key back: its holders hold the role (as it is now) again.
    await deliver(t, roleEvent("role.updated", { key: "org:auditor", updated_at: T0 + 3 * MINUTE }));
    expect(await charlesMay(t)).toMatchObject({
      members: true,
      invitations: false,
      permissions: ["org:reports:read", "org:sys_memberships:read"],
    });
  });

  test("org:admin keeps full access, whatever its role row holds", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created", { id: clerkId("role", "adm"), key: "org:admin", permissions: [] }));
    await team(t, "org:admin", []);
    await deliver(t, organizationDomainEvent("organizationDomain.created"));
    expect(await charlesMay(t)).toEqual({
      members: true,
      invitations: true,
      domains: true,
      isAdmin: true,
      permissions: [],
    });
  });
});

// Once a backfill has listed Clerk's roles, Roster knows every role Clerk has: a key none of them
// holds (its role.created missed, or a role.deleted for a role Roster never stored) grants nothing.
describe("a role key Roster does not know", () => {
  /** What a backfill records when it has listed Clerk's roles (convex/clerk/sync.ts). */
  async function rolesListed(t: Backend) {
    await runInComponent(t, async (ctx) => await recordRolesListed(ctx, 2, T0 + HOUR));
  }

  test("before Clerk's roles were ever listed, the membership's copy decides (no admin locked out)", async () => {
    const t = newBackend();
    await team(t, "org:ghost", ["org:sys_memberships:manage"]);
    // A role.deleted for a role Roster never stored: no key to remember.
    expect((await deliver(t, roleDeleted(clerkId("role", "ghost"), T0 + MINUTE))).outcome).toBe("applied");
    expect(await charlesMay(t)).toMatchObject({ members: true, invitations: true });
  });

  test("once they were listed, it grants nothing, whatever the membership copied", async () => {
    const t = newBackend();
    await team(t, "org:ghost", ["org:sys_memberships:manage", "org:sys_domains:read"]);
    await deliver(t, roleDeleted(clerkId("role", "ghost"), T0 + MINUTE));
    await rolesListed(t);
    expect(await charlesMay(t)).toEqual({
      members: false,
      invitations: false,
      domains: false,
      isAdmin: false,
      permissions: [],
    });
    // A role Clerk has under that key (its role.created arriving) decides again.
    await deliver(
      t,
      roleEvent("role.created", { key: "org:ghost", permissions: [permission("org:sys_domains:read")] }),
    );
    expect(await charlesMay(t)).toMatchObject({ members: false, domains: true, permissions: ["org:sys_domains:read"] });
  });

  test("org:admin keeps full access even when no listed role holds its key", async () => {
    const t = newBackend();
    await team(t, "org:admin", []);
    await rolesListed(t);
    expect(await charlesMay(t)).toMatchObject({ members: true, invitations: true, domains: true, isAdmin: true });
  });

  test("the members list says which members hold a role Clerk does not have", async () => {
    const t = newBackend();
    await deliver(t, roleEvent("role.created", { key: "org:auditor" }));
    await deliver(t, roleEvent("role.created", { id: clerkId("role", "gone"), key: "org:gone" }));
    await deliver(t, roleDeleted(clerkId("role", "gone"), T0 + MINUTE));
    await team(t, "org:ghost", []);
    for (const [n, role] of [
      [1, "org:auditor"],
      [2, "org:gone"],
      [3, "org:member"],
    ] as const)
      await deliver(
        t,
        membershipEvent("organizationMembership.created", {
          id: `orgmem_r${n}`,
          role,
          public_user_data: { user_id: `user_r${n}`, first_name: role, last_name: null, identifier: `r${n}@x.io` },
        }),
      );
    const unknownRoles = async () => {
      const { page } = await as(t, ADA).query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE });
      return Object.fromEntries(page.map((member) => [member.role, member.roleUnknown]));
    };
    // Before a listing only a deleted role's key is known to be no role.
    expect(await unknownRoles()).toEqual({
      "org:admin": false,
      "org:auditor": false,
      "org:gone": true,
      "org:ghost": false,
      "org:member": false,
    });
    await rolesListed(t);
    expect(await unknownRoles()).toEqual({
      "org:admin": false,
      "org:auditor": false,
      "org:gone": true,
      "org:ghost": true,
      "org:member": true,
    });
  });
});

describe("a delete takes access away before its cascade has run", () => {
  test("a deleted user can no longer read their organization, and listMine drops it", async () => {
    vi.useFakeTimers({ now: T0 + HOUR });
    const t = newBackend();
    await team(t);
    expect(await as(t, CHARLES).query(api.organizations.listMine, {})).toHaveLength(1);
    expect((await deliver(t, userDeleted(CHARLES, T0 + HOUR))).outcome).toBe("applied");
    // The cascade is scheduled, not run: Charles's membership row is still there.
    expect(await runInComponent(t, async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(2);

    expect(await as(t, CHARLES).query(api.organizations.listMine, {})).toEqual([]);
    expect(await as(t, CHARLES).query(api.users.me, {})).toBeNull();
    for (const read of [
      as(t, CHARLES).query(api.organizations.get, { organizationId: ORG }),
      as(t, CHARLES).query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE }),
      as(t, CHARLES).query(api.organizations.activity, { organizationId: ORG }),
    ]) {
      expect(await errorOf(read)).toMatchObject({ data: { code: "USER_DELETED" } });
    }
    // Ada is untouched.
    expect(await as(t, ADA).query(api.organizations.listMine, {})).toHaveLength(1);
  });

  test("a deleted organization is gone for its members at once", async () => {
    vi.useFakeTimers({ now: T0 + HOUR });
    const t = newBackend();
    await team(t);
    expect((await deliver(t, organizationDeleted(ORG, T0 + HOUR))).outcome).toBe("applied");
    expect(await runInComponent(t, async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(2);

    for (const who of [ADA, CHARLES]) {
      expect(await as(t, who).query(api.organizations.listMine, {})).toEqual([]);
      for (const read of [
        as(t, who).query(api.organizations.get, { organizationId: ORG }),
        as(t, who).query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE }),
        as(t, who).query(api.organizations.activity, { organizationId: ORG }),
        as(t, who).query(api.organizations.invitations, { organizationId: ORG }),
        as(t, who).query(api.organizations.domains, { organizationId: ORG }),
      ]) {
        expect(await errorOf(read)).toMatchObject({ data: { code: "NOT_A_MEMBER" } });
      }
    }
  });
});

describe("the activity feed keeps addresses private", () => {
  /** Members whose membership carries no name: their identifier is their email. */
  async function namelessTeam(t: Backend) {
    await deliver(t, membershipEvent("organizationMembership.created"));
    const nameless = {
      user_id: CHARLES,
      first_name: null,
      last_name: null,
      identifier: "charles@example.com",
      image_url: null,
    };
    await deliver(
      t,
      membershipEvent("organizationMembership.created", { role: "org:member", public_user_data: nameless }),
    );
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_grace",
        role: "org:member",
        public_user_data: { user_id: "user_grace", first_name: "Grace", last_name: "Hopper", identifier: "grace@x.io" },
      }),
    );
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", { email_address: "ida@example.com" }),
    );
    await deliver(
      t,
      membershipEvent(
        "organizationMembership.deleted",
        { role: "org:member", public_user_data: nameless, updated_at: T0 + MINUTE },
        { timestamp: T0 + 2 * MINUTE },
      ),
    );
  }

  test("a plain member sees names and no address at all", async () => {
    const t = newBackend();
    await namelessTeam(t);
    const feed = await as(t, "user_grace").query(api.organizations.activity, { organizationId: ORG });
    const text = JSON.stringify(feed);
    expect(text).not.toMatch(/@/);
    expect(feed.map((e) => [e.kind, e.subject])).toEqual([
      ["member_left", "A former member"],
      ["invitation_sent", "Someone"],
      ["member_joined", "Grace Hopper"],
      ["member_joined", "A member"],
      ["member_joined", "Ada Lovelace"],
    ]);
  });

  test("an admin sees the invitee's address, and former members by name only", async () => {
    const t = newBackend();
    await namelessTeam(t);
    const feed = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    expect(feed.map((e) => [e.kind, e.subject])).toEqual([
      ["member_left", "A former member"],
      ["invitation_sent", "ida@example.com"],
      ["member_joined", "Grace Hopper"],
      ["member_joined", "A member"],
      ["member_joined", "Ada Lovelace"],
    ]);
  });

  test("entries written before addresses were kept apart are cleaned for plain members", async () => {
    const t = newBackend();
    await team(t);
    await t.run(async (ctx) => {
      const base = { organizationId: ORG, userId: null, role: "Member", at: T0 + DAY };
      await ctx.db.insert("activity", { ...base, kind: "invitation_sent", subject: "ida@example.com" });
      await ctx.db.insert("activity", { ...base, kind: "member_left", subject: "old@example.com", at: T0 + 2 * DAY });
    });
    const forCharles = await as(t, CHARLES).query(api.organizations.activity, { organizationId: ORG });
    expect(forCharles.slice(0, 2).map((e) => e.subject)).toEqual(["A former member", "Someone"]);
    const forAda = await as(t, ADA).query(api.organizations.activity, { organizationId: ORG });
    expect(forAda.slice(0, 2).map((e) => e.subject)).toEqual(["A former member", "ida@example.com"]);
  });
});

describe("active now", () => {
  test("an active session past its expiry is not active now", async () => {
    vi.useFakeTimers({ now: T0 + MINUTE });
    const t = newBackend();
    await team(t);
    await deliver(t, sessionEvent("session.created", { expire_at: T0 + HOUR }));
    await deliver(t, sessionEvent("session.created", { id: "sess_charles", user_id: CHARLES, expire_at: null }));
    const active = async () => {
      const page = await as(t, ADA).query(api.organizations.members, { organizationId: ORG, paginationOpts: PAGE });
      return Object.fromEntries(page.page.map((m) => [m.userId, m.isActive]));
    };
    expect(await active()).toEqual({ [ADA]: true, [CHARLES]: true });
    // No session.ended ever arrives; the session simply expires.
    vi.setSystemTime(T0 + HOUR + 1);
    expect(await active()).toEqual({ [ADA]: false, [CHARLES]: true });
    // Another session of Ada's, still valid, makes her active again.
    await deliver(t, sessionEvent("session.created", { id: "sess_ada2", expire_at: T0 + DAY }));
    expect(await active()).toEqual({ [ADA]: true, [CHARLES]: true });
  });

  test("the hourly cron marks sessions past their expiry as expired, so open views update", async () => {
    vi.useFakeTimers({ now: T0 + MINUTE });
    const t = newBackend();
    await team(t);
    await deliver(t, sessionEvent("session.created", { expire_at: T0 + HOUR }));
    await deliver(t, sessionEvent("session.created", { id: "sess_charles", user_id: CHARLES, expire_at: T0 + DAY }));
    const statuses = async () =>
      Object.fromEntries(
        (await runInComponent(t, async (ctx) => await ctx.db.query("sessions").collect())).map((s) => [
          s.clerkId,
          s.status,
        ]),
      );
    expect(await t.mutation(PRUNE_ENDED_SESSIONS, {})).toEqual({ deleted: 0 });
    vi.setSystemTime(T0 + 2 * HOUR);
    expect(await t.mutation(PRUNE_ENDED_SESSIONS, {})).toEqual({ deleted: 1 });
    expect(await statuses()).toEqual({ [SESSION]: "expired", sess_charles: "active" });
    // A newer event from Clerk for the session still applies.
    await deliver(t, sessionEvent("session.created", { expire_at: T0 + DAY, updated_at: T0 + 2 * HOUR }));
    expect(await statuses()).toEqual({ [SESSION]: "active", sess_charles: "active" });
  });
});
