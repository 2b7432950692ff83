import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  HOUR,
  membershipEvent,
  ORG,
  ORG_DOMAIN,
  ORG_INVITATION,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  SESSION,
  sessionEvent,
  T0,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import { requireOrgAccess } from "../model/access.js";
import { removeClerkObjects } from "./apply.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const ADA_MEMBERSHIP = membershipEvent("organizationMembership.created").data.id as string;

/** Ada, her organization with her membership (as admin), an invitation, a domain and Ada's session. */
async function world(t: Backend) {
  for (const event of [
    userEvent("user.created"),
    organizationEvent("organization.created"),
    membershipEvent("organizationMembership.created"),
    organizationInvitationEvent("organizationInvitation.created"),
    organizationDomainEvent("organizationDomain.created"),
    sessionEvent("session.created"),
  ])
    expect((await deliver(t, event)).outcome).toBe("applied");
}

/** What a reconcile does once Clerk answered "not found" for these objects, and the cascade it schedules. */
async function reconcileRemoves(t: Backend, kind: "users" | "organizations" | "memberships", clerkId: string) {
  expect(await t.run(async (ctx) => await removeClerkObjects(ctx, kind, [clerkId], Date.now()))).toBe(1);
  await t.finishAllScheduledFunctions(() => vi.runAllTimers());
}

async function rows(t: Backend) {
  return await t.run(async (ctx) => ({
    users: (await ctx.db.query("users").collect()).map((r) => r.clerkId),
    organizations: (await ctx.db.query("organizations").collect()).map((r) => r.clerkId),
    memberships: (await ctx.db.query("memberships").collect()).map((r) => r.clerkId),
    invitations: (await ctx.db.query("organizationInvitations").collect()).map((r) => r.clerkId),
    domains: (await ctx.db.query("organizationDomains").collect()).map((r) => r.clerkId),
    sessions: (await ctx.db.query("sessions").collect()).map((r) => r.clerkId),
    tombstones: (await ctx.db.query("tombstones").collect()).map(({ kind, clerkId, deletedAt, provisional }) => ({
      kind,
      clerkId,
      deletedAt,
      provisional,
    })),
  }));
}

/** Whether Ada may read ORG's members, as the engine's access check answers (Roster's members query asks it). */
async function adaReadsMembers(t: Backend) {
  return await t
    .withIdentity({ subject: ADA })
    .run(async (ctx) => await requireOrgAccess(ctx, ORG, "canReadMembers"))
    .then(
      () => true,
      () => false,
    );
}

describe("a reconcile's removal keeps the removed row's version", () => {
  test.each([
    ["users", ADA, "user", T0],
    ["organizations", ORG, "organization", T0],
    ["memberships", ADA_MEMBERSHIP, "organizationMembership", T0],
  ] as const)(
    "%s: a provisional tombstone at the row's version, not the time of the removal",
    async (kind, id, tombstoneKind, version) => {
      const t = await newBackend();
      await world(t);
      vi.advanceTimersByTime(5 * HOUR);
      await reconcileRemoves(t, kind, id);
      expect((await rows(t)).tombstones).toContainEqual({
        kind: tombstoneKind,
        clerkId: id,
        deletedAt: version,
        provisional: true,
      });
    },
  );

  test("a row already gone is not removed again, and its final tombstone stays final", async () => {
    const t = await newBackend();
    await world(t);
    await deliver(t, membershipEvent("organizationMembership.deleted"));
    expect(await t.run(async (ctx) => await removeClerkObjects(ctx, "memberships", [ADA_MEMBERSHIP], Date.now()))).toBe(
      0,
    );
    expect((await rows(t)).tombstones.map(({ clerkId, provisional }) => [clerkId, provisional === true])).toEqual([
      [ADA_MEMBERSHIP, false],
    ]);
  });
});

describe("what a reconcile's removal of a user takes with it comes back on the same terms", () => {
  test("the user's memberships and sessions: late events are stale, before and after the user comes back", async () => {
    const t = await newBackend();
    await world(t);
    await reconcileRemoves(t, "users", ADA);
    const removed = await rows(t);
    expect(removed).toMatchObject({ users: [], memberships: [], sessions: [] });
    // Each row the cascade removed keeps its own version in a provisional tombstone.
    expect(removed.tombstones).toEqual(
      expect.arrayContaining([
        { kind: "organizationMembership", clerkId: ADA_MEMBERSHIP, deletedAt: T0, provisional: true },
        { kind: "session", clerkId: SESSION, deletedAt: T0, provisional: true },
      ]),
    );

    // While the user is gone, nothing of theirs comes back from a webhook, however new.
    expect((await deliver(t, membershipEvent("organizationMembership.created"))).outcome).toBe("stale");
    const newerMembership = membershipEvent("organizationMembership.updated", { updated_at: T0 + HOUR });
    expect((await deliver(t, newerMembership)).outcome).toBe("stale");
    expect((await deliver(t, sessionEvent("session.created", { updated_at: T0 + HOUR }))).outcome).toBe("stale");
    expect(await adaReadsMembers(t)).toBe(false);

    // Clerk shows the user alive (a newer snapshot): the user is back, and their tombstone gone…
    expect((await deliver(t, userEvent("user.updated", { updated_at: T0 + HOUR }))).outcome).toBe("applied");
    expect((await rows(t)).tombstones.map((row) => row.kind)).not.toContain("user");
    // …but a late membership event no newer than the removed membership still is not news.
    expect((await deliver(t, membershipEvent("organizationMembership.created"))).outcome).toBe("stale");
    expect(await adaReadsMembers(t)).toBe(false);
    // A newer one is.
    expect((await deliver(t, newerMembership)).outcome).toBe("applied");
    expect(await adaReadsMembers(t)).toBe(true);
    expect((await rows(t)).tombstones.map((row) => row.clerkId)).not.toContain(ADA_MEMBERSHIP);
  });
});

describe("what a reconcile's removal of an organization takes with it comes back on the same terms", () => {
  const charlesJoins = (overrides: Record<string, unknown> = {}) =>
    membershipEvent("organizationMembership.created", {
      id: "orgmem_charles",
      role: "org:member",
      public_user_data: publicUserData(clerkUserCharles()),
      ...overrides,
    });

  test("memberships, invitations and domains: late events are stale, before and after it comes back", async () => {
    const t = await newBackend();
    await world(t);
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await reconcileRemoves(t, "organizations", ORG);
    expect(await rows(t)).toMatchObject({ organizations: [], memberships: [], invitations: [], domains: [] });
    expect((await rows(t)).tombstones).toEqual(
      expect.arrayContaining([
        { kind: "organizationMembership", clerkId: ADA_MEMBERSHIP, deletedAt: T0, provisional: true },
        { kind: "organizationInvitation", clerkId: ORG_INVITATION, deletedAt: T0, provisional: true },
        { kind: "organizationDomain", clerkId: ORG_DOMAIN, deletedAt: T0, provisional: true },
      ]),
    );

    // While the organization is gone: late events are stale, and so is a membership Roster never
    // saw, even one carrying the organization (a copy no newer than the removed one brings nothing back).
    for (const late of [
      membershipEvent("organizationMembership.created"),
      organizationInvitationEvent("organizationInvitation.created"),
      organizationDomainEvent("organizationDomain.created"),
      charlesJoins(),
      organizationInvitationEvent("organizationInvitation.created", { id: "orginv_new", updated_at: T0 + HOUR }),
    ])
      expect((await deliver(t, late)).outcome).toBe("stale");
    expect(await rows(t)).toMatchObject({ organizations: [], memberships: [], invitations: [], domains: [] });

    // A membership carrying a newer copy of the organization is news of both: both come back.
    const newerOrg = clerkOrganization({ updated_at: T0 + HOUR });
    expect((await deliver(t, charlesJoins({ organization: newerOrg, updated_at: T0 + HOUR }))).outcome).toBe("applied");
    expect(await rows(t)).toMatchObject({ organizations: [ORG], memberships: ["orgmem_charles"] });

    // Back now, the organization's removed children still need news newer than themselves.
    for (const late of [
      membershipEvent("organizationMembership.created"),
      organizationInvitationEvent("organizationInvitation.created"),
      organizationDomainEvent("organizationDomain.created"),
    ])
      expect((await deliver(t, late)).outcome).toBe("stale");
    expect(await adaReadsMembers(t)).toBe(false);
    expect(
      (await deliver(t, organizationDomainEvent("organizationDomain.updated", { updated_at: T0 + HOUR }))).outcome,
    ).toBe("applied");
    expect((await rows(t)).domains).toEqual([ORG_DOMAIN]);
  });
});

describe("a cascade whose parent came back before it ran", () => {
  test("keeps the rows it has not removed yet: the organization is alive after all", async () => {
    const t = await newBackend();
    await world(t);
    expect(await t.run(async (ctx) => await removeClerkObjects(ctx, "organizations", [ORG], Date.now()))).toBe(1);
    // Clerk shows the organization alive before the scheduled cascade runs.
    expect((await deliver(t, organizationEvent("organization.updated", { updated_at: T0 + HOUR }))).outcome).toBe(
      "applied",
    );
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await rows(t)).toMatchObject({
      organizations: [ORG],
      memberships: [ADA_MEMBERSHIP],
      invitations: [ORG_INVITATION],
      domains: [ORG_DOMAIN],
      tombstones: [],
    });
    expect(await adaReadsMembers(t)).toBe(true);
  });
});

describe("a fresh read from Clerk brings back what a reconcile removed, at any version", () => {
  test("fetch-missing: the user as Clerk has it now, the same version as the removed row", async () => {
    const t = await newBackend();
    await world(t);
    await reconcileRemoves(t, "users", ADA);
    const data = JSON.stringify(clerkUser());
    expect(await t.mutation(internal.clerk.fetchMissing.applyFetched, { kind: "user", data })).toBe("applied");
    const after = await rows(t);
    expect(after.users).toEqual([ADA]);
    expect(after.tombstones.map((row) => row.kind)).not.toContain("user");
  });
});
