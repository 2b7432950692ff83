import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkId,
  clerkUser,
  clerkUserCharles,
  membershipEvent,
  MINUTE,
  ORG,
  publicUserData,
  roleEvent,
  T0,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import { countingDb, emptyCounts } from "../../../../../scripts/bench/countingDb.js";
import { keeperRoles, keeperStanding, teamKeepers, wouldOrphan } from "./keepers.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

/** Charles's membership of Ada's organization with `role`. */
function charles(
  role: string,
  type:
    | "organizationMembership.created"
    | "organizationMembership.updated"
    | "organizationMembership.deleted" = "organizationMembership.created",
  at = T0 + MINUTE,
) {
  return membershipEvent(type, {
    public_user_data: publicUserData(clerkUserCharles()),
    role,
    created_at: T0 + MINUTE,
    updated_at: at,
  });
}

/** Ada (admin) and Charles (`charlesRole`) in ORG. */
async function team(t: Backend, charlesRole = "org:member") {
  await deliver(t, userEvent("user.created", { id: ADA }));
  await deliver(t, userEvent("user.created", clerkUserCharles()));
  await deliver(t, membershipEvent("organizationMembership.created"));
  await deliver(t, charles(charlesRole));
}

/** Every permission a keeper must hold. */
const OWNER = ["org:sys_memberships:read", "org:sys_memberships:manage", "org:sys_profile:delete"];

/** A custom role holding exactly `permissions`. */
function customRole(key: string, permissions: string[], at = T0) {
  return roleEvent("role.created", {
    id: `role_${key.replace(/\W/g, "")}`,
    key,
    name: key,
    permissions: permissions.map((permission, i) => ({ object: "permission", id: `perm_${i}`, key: permission })),
    updated_at: at,
  });
}

describe("keeper roles are the ones holding every permission Clerk insists on", () => {
  test("org:admin always; a custom role only with read and manage members, and delete", async () => {
    const t = await newBackend();
    await deliver(t, customRole("org:owner", OWNER));
    await deliver(t, customRole("org:manager", ["org:sys_memberships:manage"]));
    await deliver(t, customRole("org:unreader", ["org:sys_memberships:manage", "org:sys_profile:delete"]));
    await deliver(t, customRole("org:deleter", ["org:sys_profile:delete"]));
    expect(await t.run(async (ctx) => await keeperRoles(ctx))).toEqual(["org:admin", "org:owner"]);
  });

  test("sorted by key, so a custom role named before org:admin comes first", async () => {
    const t = await newBackend();
    await deliver(t, customRole("org:a_owner", OWNER));
    expect(await t.run(async (ctx) => await keeperRoles(ctx))).toEqual(["org:a_owner", "org:admin"]);
  });

  test("a role losing a permission stops keeping teams", async () => {
    const t = await newBackend();
    await deliver(t, customRole("org:owner", OWNER));
    await deliver(
      t,
      roleEvent("role.updated", {
        id: "role_orgowner",
        key: "org:owner",
        permissions: [{ object: "permission", id: "perm_0", key: "org:sys_memberships:manage" }],
        updated_at: T0 + MINUTE,
      }),
    );
    expect(await t.run(async (ctx) => await keeperRoles(ctx))).toEqual(["org:admin"]);
  });
});

describe("wouldOrphan", () => {
  test("the sole admin leaving, removed or demoted orphans the team; a member going does not", async () => {
    const t = await newBackend();
    await team(t);
    await t.run(async (ctx) => {
      expect(await wouldOrphan(ctx, ORG, ADA)).toBe(true);
      expect(await wouldOrphan(ctx, ORG, ADA, "org:member")).toBe(true);
      expect(await wouldOrphan(ctx, ORG, ADA, "org:admin")).toBe(false);
      expect(await wouldOrphan(ctx, ORG, CHARLES)).toBe(false);
    });
  });

  test("with a second admin, either may go", async () => {
    const t = await newBackend();
    await team(t, "org:admin");
    await t.run(async (ctx) => {
      expect(await wouldOrphan(ctx, ORG, ADA)).toBe(false);
      expect(await wouldOrphan(ctx, ORG, CHARLES, "org:member")).toBe(false);
    });
  });

  test("a custom role with those permissions keeps the team too: the admin may then go", async () => {
    const t = await newBackend();
    await deliver(t, customRole("org:owner", OWNER));
    await team(t, "org:owner");
    await t.run(async (ctx) => {
      expect(await wouldOrphan(ctx, ORG, ADA)).toBe(false);
      // …but not both: demoting the owner to a role without the permissions leaves Ada.
      expect(await wouldOrphan(ctx, ORG, CHARLES, "org:member")).toBe(false);
    });
  });

  test("a team already without a keeper refuses nothing", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created", { role: "org:member" }));
    expect(await t.run(async (ctx) => await wouldOrphan(ctx, ORG, ADA))).toBe(false);
  });

  test("the check reads a bounded number of holders, whatever the team's size", async () => {
    const t = await newBackend();
    await team(t, "org:admin");
    const keepers = await t.run(async (ctx) => await teamKeepers(ctx, ORG, 1));
    expect(keepers).toHaveLength(1);
  });
});

describe("teamKeepers and keeperStanding", () => {
  const GRACE = clerkId("user", "gh");

  /** Ada (admin), Charles and Grace (both org:owner, a custom keeper role) in ORG. */
  async function adminAndTwoOwners(t: Backend) {
    await deliver(t, customRole("org:owner", OWNER));
    await team(t, "org:owner");
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        public_user_data: publicUserData(clerkUser({ id: GRACE })),
        role: "org:owner",
      }),
    );
  }

  test("never more keepers than the limit, though the roles together hold more", async () => {
    const t = await newBackend();
    await adminAndTwoOwners(t);
    const keepers = await t.run(async (ctx) => await teamKeepers(ctx, ORG, 2));
    expect(keepers.map((keeper) => keeper.userId)).toEqual([ADA, CHARLES]);
  });

  test("stops reading holders once it has found enough", async () => {
    const t = await newBackend();
    await adminAndTwoOwners(t);
    await deliver(t, charles("org:admin", "organizationMembership.updated", T0 + 2 * MINUTE));
    // Ada and Charles hold org:admin: Grace's org:owner holders are never read.
    const counts = emptyCounts();
    const keepers = await t.run(async (ctx) => await teamKeepers({ ...ctx, db: countingDb(ctx.db, counts) }, ORG, 2));
    expect(keepers.map((keeper) => keeper.userId).sort()).toEqual([ADA, CHARLES].sort());
    expect(counts.byTable.memberships).toEqual({ reads: 2, writes: 0 });
  });

  test("several keepers: no sole keeper; none: orphaned", async () => {
    const t = await newBackend();
    await adminAndTwoOwners(t);
    expect(await t.run(async (ctx) => await keeperStanding(ctx, ORG))).toEqual({
      keeperRoles: ["org:admin", "org:owner"],
      soleKeeperId: null,
      orphaned: false,
    });
    const alone = await newBackend();
    await deliver(alone, membershipEvent("organizationMembership.created", { role: "org:member" }));
    expect(await alone.run(async (ctx) => await keeperStanding(ctx, ORG))).toEqual({
      keeperRoles: ["org:admin"],
      soleKeeperId: null,
      orphaned: true,
    });
  });
});
