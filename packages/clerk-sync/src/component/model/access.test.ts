import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { newBackend, SECRET } from "../../../../../test/component/backend.js";
import type { MutationCtx } from "../_generated/server.js";
import { memberAccess, memberStanding, membershipOf, type AccessCheck } from "./access.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ORG = "org_access";
const USER = "user_access";

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

describe("membershipOf and memberStanding (the app hands over who asks)", () => {
  test("a deleted account: USER_DELETED, saying so", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await insertMembership(ctx, "org:member", []));
    await t.run(async (ctx) => await ctx.db.insert("tombstones", { kind: "user", clerkId: USER, deletedAt: 1 }));
    expect(await t.run(async (ctx) => await membershipOf(ctx, USER, ORG))).toEqual({
      refused: { code: "USER_DELETED", message: "This account has been deleted." },
    });
  });

  test("not a member, or the organization deleted: NOT_A_MEMBER", async () => {
    const t = await newBackend();
    const expected = { refused: { code: "NOT_A_MEMBER", message: "You are not a member of this team." } };
    expect(await t.run(async (ctx) => await membershipOf(ctx, USER, ORG))).toEqual(expected);
    await t.run(async (ctx) => await insertMembership(ctx, "org:member", []));
    expect(await t.run(async (ctx) => await membershipOf(ctx, USER, ORG))).toMatchObject({ userId: USER });
    await t.run(async (ctx) => await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: 1 }));
    expect(await t.run(async (ctx) => await memberStanding(ctx, USER, ORG))).toEqual(expected);
  });

  test.each<[AccessCheck, string]>([
    ["canReadMembers", "Your role in this team may not see its members."],
    ["canManageMembers", "Only members who may manage this team's members can see this."],
    ["canReadDomains", "Only members who may read this team's domains can see this."],
  ])("without %s: NOT_AN_ADMIN with its own message", async (check, message) => {
    const t = await newBackend();
    await t.run(async (ctx) => await insertMembership(ctx, "org:member", ["org:reports:read"]));
    expect(await t.run(async (ctx) => await memberStanding(ctx, USER, ORG, check))).toEqual({
      refused: { code: "NOT_AN_ADMIN", message },
    });
  });

  test("with the permission: the membership and its access", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await insertMembership(ctx, "org:custom", ["org:sys_domains:manage"]));
    const granted = await t.run(async (ctx) => await memberStanding(ctx, USER, ORG, "canReadDomains"));
    if ("refused" in granted) throw new Error(`refused: ${granted.refused.code}`);
    expect(granted.membership.role).toBe("org:custom");
    expect(granted.access).toMatchObject({ canReadDomains: true, canReadMembers: false });
  });
});
