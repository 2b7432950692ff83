/**
 * Each of Roster's public functions reads Clerk's data in at most two calls into the clerkSync
 * component (the measure): every `ClerkSync` method is one component call, so counting the
 * method calls a function makes counts its boundary calls.
 */
import { ClerkSync } from "convex-clerk-sync";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkUserCharles,
  membershipEvent,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  ORG,
  publicUserData,
  userEvent,
} from "../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { api } from "./_generated/api";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The ClerkSync methods that are not a component call (handles, routes). */
const NOT_CALLS = new Set(["constructor", "handles", "registerRoutes"]);

/** Spies on every ClerkSync method that calls the component; returns how many calls were made since the last read. */
function countBoundaryCalls(): () => number {
  const prototype = ClerkSync.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const spies = Object.getOwnPropertyNames(ClerkSync.prototype)
    .filter((name) => !NOT_CALLS.has(name) && typeof prototype[name] === "function")
    .map((name) => vi.spyOn(prototype, name));
  return () => {
    const total = spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    for (const spy of spies) spy.mockClear();
    return total;
  };
}

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev", email: "ada@example.com" });
}

/** Ada (app admin, org admin) and Charles in ORG, an invitation and a domain. */
async function team(t: Backend) {
  await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
  await deliver(t, userEvent("user.created", clerkUserCharles()));
  await deliver(t, organizationEvent("organization.created"));
  await deliver(t, membershipEvent("organizationMembership.created"));
  await deliver(
    t,
    membershipEvent("organizationMembership.created", {
      id: "orgmem_charles",
      public_user_data: publicUserData(clerkUserCharles()),
      role: "org:member",
    }),
  );
  await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
  await deliver(t, organizationDomainEvent("organizationDomain.created"));
}

describe("boundary calls per Roster function", () => {
  test("every query makes at most two component calls; the members page exactly one", async () => {
    const t = newBackend();
    await team(t);
    const ada = as(t, ADA);
    const calls = countBoundaryCalls();
    const page = { numItems: 10, cursor: null };
    const organizationId = ORG;

    const queries: Array<[string, () => Promise<unknown>]> = [
      ["users.me", () => ada.query(api.users.me, {})],
      ["organizations.listMine", () => ada.query(api.organizations.listMine, {})],
      ["organizations.get", () => ada.query(api.organizations.get, { organizationId })],
      ["organizations.members", () => ada.query(api.organizations.members, { organizationId, paginationOpts: page })],
      [
        "organizations.members (search)",
        () => ada.query(api.organizations.members, { organizationId, paginationOpts: page, search: "charles" }),
      ],
      ["organizations.invitations", () => ada.query(api.organizations.invitations, { organizationId })],
      [
        "organizations.memberAddressesAmong",
        () =>
          ada.query(api.organizations.memberAddressesAmong, {
            organizationId,
            emailAddresses: ["charles@example.com", "nobody@example.com"],
          }),
      ],
      ["organizations.domains", () => ada.query(api.organizations.domains, { organizationId })],
      ["organizations.activity", () => ada.query(api.organizations.activity, { organizationId })],
      ["organizations.keepers", () => ada.query(api.organizations.keepers, { organizationId })],
      ["invitations.mine", () => ada.query(api.invitations.mine, {})],
      ["admin.eventLog", () => ada.query(api.admin.eventLog, { paginationOpts: page })],
      ["admin.syncHealth", () => ada.query(api.admin.syncHealth, {})],
      ["admin.communications", () => ada.query(api.admin.communications, {})],
      ["admin.retryRun", () => ada.query(api.admin.retryRun, {})],
      ["clerk.admin.syncStatus", () => ada.query(api.clerk.admin.syncStatus, {})],
    ];
    const counted: Record<string, number> = {};
    for (const [name, run] of queries) {
      await run();
      counted[name] = calls();
    }
    for (const [name, count] of Object.entries(counted)) expect([name, count <= 2]).toEqual([name, true]);
    expect(counted["organizations.members"]).toBe(1);
    expect(counted["organizations.members (search)"]).toBe(1);
    expect(counted["organizations.get"]).toBe(1);
    expect(counted["users.me"]).toBe(1);

    // The members page still shows each member, from the projection and the component together.
    const members = await ada.query(api.organizations.members, { organizationId, paginationOpts: page });
    expect(members.page.map((m) => [m.userId, m.name, m.roleUnknown]).sort()).toEqual(
      [
        [ADA, "Ada Lovelace", false],
        [CHARLES, "Charles Babbage", false],
      ].sort(),
    );
  });

  test("mutations: at most two component calls each", async () => {
    const t = newBackend();
    await team(t);
    const ada = as(t, ADA);
    const calls = countBoundaryCalls();
    await ada.mutation(api.users.updateProfile, { bio: "Analyst" });
    expect(calls()).toBe(1);
    await ada.mutation(api.memberships.noteDeparture, { organizationId: ORG, userId: CHARLES });
    expect(calls()).toBe(1);
    await ada.mutation(api.memberships.dropDeparture, { organizationId: ORG, userId: CHARLES });
    expect(calls()).toBe(1);
    await ada.mutation(api.admin.retryFailed, {});
    expect(calls()).toBe(2);
  });
});
