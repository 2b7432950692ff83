import { describe, expect, test } from "vitest";
import { DEFAULT_ROLES } from "../test/clerkEvents";
import {
  CLERK_DEFAULT_INSTANCE,
  CLERK_RULES,
  clerkRefusal,
  type ClerkRuleRequest,
  type ClerkWorld,
} from "./clerkRules";

const ORG = "org_1";
const roles = Object.fromEntries(Object.entries(DEFAULT_ROLES).map(([key, role]) => [key, role.permissions]));
const admin = DEFAULT_ROLES["org:admin"]!.permissions;
const member = DEFAULT_ROLES["org:member"]!.permissions;

/** Ada (admin, the caller) and Charles (member) in one team, one pending invitation, one request. */
function world(change: (world: ClerkWorld) => void = () => {}): ClerkWorld {
  const built: ClerkWorld = {
    instance: { ...CLERK_DEFAULT_INSTANCE },
    roles,
    caller: {
      userId: "user_ada",
      organizationsCount: 2,
      invitations: [{ id: "orginv_lab", organizationId: "org_lab" }],
    },
    organization: {
      id: ORG,
      members: [
        { userId: "user_ada", emailAddresses: ["ada@example.com"], role: "org:admin", permissions: admin },
        { userId: "user_cb", emailAddresses: ["charles@example.com"], role: "org:member", permissions: member },
      ],
      pendingInvitations: [{ id: "orginv_kj", emailAddress: "katherine@example.com", role: "org:member" }],
      membershipRequests: [{ id: "orgmemreq_dv", userId: "user_dv" }],
    },
  };
  change(built);
  return built;
}

const invite = (emailAddress: string, role = "org:member"): ClerkRuleRequest => ({
  type: "inviteMember",
  organizationId: ORG,
  emailAddress,
  role,
});

describe("what Clerk refuses", () => {
  test.each<[string, ClerkRuleRequest, ClerkWorld, string]>([
    [
      "inviting a current member (any case)",
      invite("Charles@Example.com"),
      world(),
      "already_a_member_in_organization",
    ],
    ["a second pending invitation", invite("KATHERINE@example.com"), world(), "organization_invitation_not_unique"],
    ["an address that is not one", invite("not-an-address"), world(), "form_param_format_invalid"],
    ["a role the instance does not have", invite("grace@example.com", "org:owner"), world(), "resource_not_found"],
    [
      "inviting past the membership limit (members plus pending invitations)",
      invite("grace@example.com"),
      world((w) => (w.instance.maxAllowedMemberships = 3)),
      "organization_membership_quota_exceeded",
    ],
    [
      "a member without the permission to manage members",
      invite("grace@example.com"),
      world((w) => (w.caller = { userId: "user_cb", organizationsCount: 1, invitations: [] })),
      "missing_organization_permission",
    ],
    [
      "someone not in the team",
      invite("grace@example.com"),
      world((w) => (w.caller = { userId: "user_zz", organizationsCount: 0, invitations: [] })),
      "organization_not_found_or_unauthorized",
    ],
    [
      "the last holder of the minimum permissions leaving",
      { type: "leaveOrganization", organizationId: ORG, userId: "user_ada" },
      world(),
      "organization_minimum_permissions_needed",
    ],
    [
      "the last holder demoted",
      { type: "updateMember", organizationId: ORG, userId: "user_ada", role: "org:member" },
      world(),
      "organization_minimum_permissions_needed",
    ],
    [
      "the last holder removed",
      { type: "removeMember", organizationId: ORG, userId: "user_ada" },
      world(),
      "organization_minimum_permissions_needed",
    ],
    [
      "leaving the only team where personal accounts are off",
      { type: "leaveOrganization", organizationId: ORG, userId: "user_cb" },
      world((w) => {
        w.instance.personalAccounts = false;
        w.caller = { userId: "user_cb", organizationsCount: 1, invitations: [] };
      }),
      "personal_accounts_not_allowed",
    ],
    [
      "revoking an invitation that is no longer pending",
      { type: "revokeInvitation", organizationId: ORG, invitationId: "orginv_gone" },
      world(),
      "resource_not_found",
    ],
    [
      "joining through an invitation that is no longer pending",
      { type: "acceptUserInvitation", invitationId: "orginv_gone" },
      world(),
      "organization_invitation_not_pending",
    ],
    [
      "accepting a request that is no longer pending",
      { type: "acceptMembershipRequest", organizationId: ORG, requestId: "orgmemreq_gone" },
      world(),
      "resource_not_found",
    ],
    [
      "creating a team where the instance does not let this user",
      { type: "createOrganization", name: "Lab", userId: "user_ada" },
      world((w) => (w.instance.createOrganization = false)),
      "user_create_organization_not_enabled",
    ],
    [
      "accepting a request past the membership limit",
      { type: "acceptMembershipRequest", organizationId: ORG, requestId: "orgmemreq_dv" },
      world((w) => (w.instance.maxAllowedMemberships = 3)),
      "organization_membership_quota_exceeded",
    ],
  ])("%s", (_name, request, given, code) => {
    expect(clerkRefusal(request, given)?.code).toBe(code);
  });

  test("the rule is the permissions, not the role's name: a custom role holding them keeps the team", () => {
    const custom = world((w) => {
      w.roles = { ...w.roles, "org:owner": admin };
      w.organization!.members[1] = { ...w.organization!.members[1]!, role: "org:owner", permissions: admin };
    });
    expect(clerkRefusal({ type: "leaveOrganization", organizationId: ORG, userId: "user_ada" }, custom)).toBeNull();
    // An "admin" whose role lost the delete permission does not count.
    const weak = world((w) => {
      w.organization!.members[1] = {
        ...w.organization!.members[1]!,
        role: "org:admin",
        permissions: admin.filter((permission) => permission !== "org:sys_profile:delete"),
      };
    });
    expect(clerkRefusal({ type: "leaveOrganization", organizationId: ORG, userId: "user_ada" }, weak)?.code).toBe(
      "organization_minimum_permissions_needed",
    );
  });

  test("what Clerk accepts passes: a new address, a member leaving, a second admin stepping down", () => {
    expect(clerkRefusal(invite("grace@example.com"), world())).toBeNull();
    expect(clerkRefusal({ type: "acceptUserInvitation", invitationId: "orginv_lab" }, world())).toBeNull();
    const asCharles = world((w) => (w.caller = { userId: "user_cb", organizationsCount: 1, invitations: [] }));
    expect(clerkRefusal({ type: "leaveOrganization", organizationId: ORG, userId: "user_cb" }, asCharles)).toBeNull();
    const twoAdmins = world((w) => (w.organization!.members[1]!.permissions = admin));
    expect(
      clerkRefusal({ type: "updateMember", organizationId: ORG, userId: "user_ada", role: "org:member" }, twoAdmins),
    ).toBeNull();
  });

  test("the messages are Clerk's", () => {
    expect(clerkRefusal(invite("charles@example.com"), world())?.message).toBe(
      "charles@example.com is already a member of the organization.",
    );
    expect(clerkRefusal(invite("katherine@example.com"), world())?.message).toBe(
      "Organizations cannot have duplicate pending invitations for an email address.",
    );
    const full = world((w) => (w.instance.maxAllowedMemberships = 3));
    expect(clerkRefusal(invite("grace@example.com"), full)?.message).toBe(
      "You have reached your limit of 3 organization memberships, including outstanding invitations.",
    );
  });

  test("every rule cites its source, and every unconfirmed one says what is unconfirmed", () => {
    for (const rule of CLERK_RULES) {
      expect(rule.source).not.toBe("");
      expect(rule.calls.length).toBeGreaterThan(0);
      if (rule.unconfirmed !== undefined) expect(rule.unconfirmed.length).toBeGreaterThan(10);
    }
  });
});
