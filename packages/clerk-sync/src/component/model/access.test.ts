import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, userEvent } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import {
  APP_ADMIN_METADATA_KEY,
  isAppAdmin,
  memberAccess,
  requireAppAdmin,
  requireIdentity,
  requireMember,
  requireOrgAccess,
  requireUser,
  type AccessCheck,
} from "./access.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ORG = "org_access";
const USER = "user_access";

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev" });
}

async function insertMembership(ctx: MutationCtx, role: string, permissions: string[], userId = USER) {
  const id = await ctx.db.insert("memberships", {
    clerkId: `orgmem_${userId}`,
    clerkVersion: 1,
    organizationId: ORG,
    userId,
    role,
    roleName: null,
    permissions,
    publicUserData: { firstName: null, lastName: null, imageUrl: null, identifier: null },
    searchText: "",
  });
  return (await ctx.db.get("memberships", id))!;
}

async function accessOf(role: string, permissions: string[]) {
  const t = await newBackend();
  return await t.run(async (ctx) => await memberAccess(ctx, await insertMembership(ctx, role, permissions)));
}

/** The ConvexError data a call threw (or null when it did not throw). */
async function refusal(promise: Promise<unknown>) {
  return await promise.then(
    () => null,
    (error: { data?: unknown }) => error.data ?? error,
  );
}

describe("who is signed in", () => {
  test("signed out: NOT_SIGNED_IN, asking to sign in", async () => {
    const t = await newBackend();
    expect(await refusal(t.run(async (ctx) => await requireIdentity(ctx)))).toEqual({
      code: "NOT_SIGNED_IN",
      message: "Sign in first.",
    });
  });

  test("a deleted account: USER_DELETED, saying so", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await ctx.db.insert("tombstones", { kind: "user", clerkId: USER, deletedAt: 1 }));
    expect(await refusal(as(t, USER).run(async (ctx) => await requireUser(ctx)))).toEqual({
      code: "USER_DELETED",
      message: "This account has been deleted.",
    });
    expect((await as(t, "user_alive").run(async (ctx) => await requireUser(ctx))).subject).toBe("user_alive");
  });
});

describe("app admins", () => {
  test('are the users whose public metadata holds "rosterAdmin": true', () => {
    expect(APP_ADMIN_METADATA_KEY).toBe("rosterAdmin");
    const user = (publicMetadata: string) => ({ publicMetadata }) as Doc<"users">;
    expect(isAppAdmin(user('{"rosterAdmin":true}'))).toBe(true);
    expect(isAppAdmin(user('{"rosterAdmin":"true"}'))).toBe(false);
    expect(isAppAdmin(user('{"admin":true}'))).toBe(false);
    expect(isAppAdmin(user("{}"))).toBe(false);
    expect(isAppAdmin(null)).toBe(false);
  });

  test("requireAppAdmin lets an admin through and refuses anyone else with NOT_AN_ADMIN", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    await deliver(t, userEvent("user.created", { id: USER, public_metadata: {} }));
    expect((await as(t, ADA).run(async (ctx) => await requireAppAdmin(ctx))).subject).toBe(ADA);
    const expected = { code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." };
    expect(await refusal(as(t, USER).run(async (ctx) => await requireAppAdmin(ctx)))).toEqual(expected);
    expect(await refusal(as(t, "user_unknown").run(async (ctx) => await requireAppAdmin(ctx)))).toEqual(expected);
  });
});

describe("memberAccess decides from the role's permissions", () => {
  test("org:admin may do everything, whatever its permissions list", async () => {
    expect(await accessOf("org:admin", [])).toEqual({
      permissions: [],
      isAdmin: true,
      canReadMembers: true,
      canManageMembers: true,
      canReadDomains: true,
      canManageDomains: true,
      canManageProfile: true,
      canDeleteTeam: true,
    });
  });

  test("a role with no permissions may do nothing", async () => {
    expect(await accessOf("org:member", [])).toMatchObject({
      isAdmin: false,
      canReadMembers: false,
      canManageMembers: false,
      canReadDomains: false,
    });
  });

  const none = {
    canReadMembers: false,
    canManageMembers: false,
    canReadDomains: false,
    canManageDomains: false,
    canManageProfile: false,
    canDeleteTeam: false,
  };
  test.each<[string, Partial<typeof none>]>([
    ["org:sys_memberships:read", { canReadMembers: true }],
    ["org:sys_memberships:manage", { canReadMembers: true, canManageMembers: true }],
    ["org:sys_domains:read", { canReadDomains: true }],
    ["org:sys_domains:manage", { canReadDomains: true, canManageDomains: true }],
    ["org:sys_profile:manage", { canManageProfile: true }],
    ["org:sys_profile:delete", { canDeleteTeam: true }],
    ["org:reports:read", {}],
  ])("a custom role holding only %s", async (permission, expected) => {
    expect(await accessOf("org:custom", [permission])).toEqual({
      permissions: [permission],
      isAdmin: false,
      ...none,
      ...expected,
    });
  });

  test("the role's current permissions win over the membership's copy", async () => {
    const t = await newBackend();
    const access = await t.run(async (ctx) => {
      await ctx.db.insert("roles", {
        clerkId: "role_custom",
        clerkVersion: 1,
        key: "org:custom",
        name: null,
        description: null,
        permissions: ["org:sys_domains:read"],
      });
      return await memberAccess(ctx, await insertMembership(ctx, "org:custom", ["org:sys_memberships:manage"]));
    });
    expect(access).toMatchObject({
      permissions: ["org:sys_domains:read"],
      canManageMembers: false,
      canReadDomains: true,
    });
  });
});

describe("requireMember and requireOrgAccess", () => {
  test("not a member, or the organization deleted: NOT_A_MEMBER", async () => {
    const t = await newBackend();
    const expected = { code: "NOT_A_MEMBER", message: "You are not a member of this team." };
    expect(await refusal(as(t, USER).run(async (ctx) => await requireMember(ctx, ORG)))).toEqual(expected);
    await t.run(async (ctx) => await insertMembership(ctx, "org:member", []));
    expect((await as(t, USER).run(async (ctx) => await requireMember(ctx, ORG))).userId).toBe(USER);
    await t.run(async (ctx) => await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: 1 }));
    expect(await refusal(as(t, USER).run(async (ctx) => await requireMember(ctx, ORG)))).toEqual(expected);
  });

  test.each<[AccessCheck, string]>([
    ["canReadMembers", "Your role in this team may not see its members."],
    ["canManageMembers", "Only members who may manage this team's members can see this."],
    ["canReadDomains", "Only members who may read this team's domains can see this."],
  ])("without %s: NOT_AN_ADMIN with its own message", async (check, message) => {
    const t = await newBackend();
    await t.run(async (ctx) => await insertMembership(ctx, "org:member", ["org:reports:read"]));
    expect(await refusal(as(t, USER).run(async (ctx) => await requireOrgAccess(ctx, ORG, check)))).toEqual({
      code: "NOT_AN_ADMIN",
      message,
    });
  });

  test("with the permission: the membership and its access", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await insertMembership(ctx, "org:custom", ["org:sys_domains:manage"]));
    const granted = await as(t, USER).run(async (ctx) => await requireOrgAccess(ctx, ORG, "canReadDomains"));
    expect(granted.membership.role).toBe("org:custom");
    expect(granted.access).toMatchObject({ canReadDomains: true, canReadMembers: false });
  });
});
