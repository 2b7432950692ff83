import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { instrumentModules, Recorder } from "../../../../../scripts/bench/instrument.js";
import {
  CHARLES,
  clerkId,
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  DAY,
  membershipEvent,
  MINUTE,
  ORG,
  organizationDeleted,
  organizationEvent,
  primaryEmail,
  publicUserData,
  T0,
  userDeleted,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import {
  deliver,
  modules,
  newBackend,
  SECRET,
  setHook,
  testSchema,
  type Backend,
} from "../../../../../test/component/backend.js";
import { countMembers, countUncounted } from "./memberCount.js";
import { MEMBER_SEARCH_INLINE } from "./memberships.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

/** A backend whose every function call is recorded with the documents it read and wrote (no hooks). */
async function instrumentedBackend() {
  const recorder = new Recorder();
  const t = convexTest({ schema: testSchema, modules: instrumentModules(modules, recorder), transactionLimits: true });
  await setHook(t, "none");
  return { t, recorder };
}

/** Member number `n` of ORG, as Clerk would send their membership. */
function member(n: number) {
  const userId = clerkId("user", "burst", n);
  const user = clerkUser({ id: userId, first_name: "Member", last_name: `Number${n}` });
  return { userId, membershipId: `orgmem_burst${n}`, publicUserData: publicUserData(user) };
}

function memberEvent(
  type: "organizationMembership.created" | "organizationMembership.updated" | "organizationMembership.deleted",
  n: number,
  overrides: Record<string, unknown> = {},
) {
  const { membershipId, publicUserData: data } = member(n);
  return membershipEvent(type, { id: membershipId, public_user_data: data, role: "org:member", ...overrides });
}

/** ORG's members count, as the component keeps it (Roster's team views show it). */
async function shownCount(t: Backend) {
  return await t.run(async (ctx) => await countMembers(ctx, ORG));
}

/**
 * Counts the memberships written before the counters existed, batch after batch, as a migration
 * would (the engine's countUncounted; Roster's `memberships:countExisting` wrapped it before the move).
 */
async function countExisting(t: Backend, batchSize: number) {
  let cursor: string | null = null;
  for (;;) {
    const from: string | null = cursor;
    const { isDone, continueCursor }: { isDone: boolean; continueCursor: string } = await t.run(
      async (ctx) => await countUncounted(ctx, from, batchSize),
    );
    if (isDone) return;
    cursor = continueCursor;
  }
}

async function liveMemberships(t: Backend) {
  return await t.run(
    async (ctx) =>
      (
        await ctx.db
          .query("memberships")
          .withIndex("by_organization_and_user", (q) => q.eq("organizationId", ORG))
          .collect()
      ).length,
  );
}

describe("no hot rows", () => {
  test("a burst of membership events for one organization never writes the organization's row", async () => {
    const { t, recorder } = await instrumentedBackend();
    await deliver(t, organizationEvent("organization.created", { members_count: 1 }));
    await deliver(t, membershipEvent("organizationMembership.created"));
    const before = await t.run(async (ctx) => await ctx.db.query("organizations").unique());

    const { calls } = await recorder.during(async () => {
      // The organization each event embeds is Clerk's: the same updated_at, a members_count that moves.
      for (let n = 1; n <= 30; n++) {
        const organization = clerkOrganization({ members_count: n + 1 });
        expect((await deliver(t, memberEvent("organizationMembership.created", n, { organization }))).outcome).toBe(
          "applied",
        );
      }
      for (let n = 1; n <= 10; n++) {
        const organization = clerkOrganization({ members_count: 31 });
        const update = memberEvent("organizationMembership.updated", n, {
          organization,
          role: "org:admin",
          updated_at: T0 + MINUTE,
        });
        expect((await deliver(t, update)).outcome).toBe("applied");
      }
      for (let n = 21; n <= 30; n++) {
        const organization = clerkOrganization({ members_count: 51 - n });
        const removal = memberEvent("organizationMembership.deleted", n, { organization, updated_at: T0 + MINUTE });
        expect((await deliver(t, removal)).outcome).toBe("applied");
      }
    });

    const writes = calls.filter((c) => c.kind === "mutation").map((c) => c.counts.byTable.organizations?.writes ?? 0);
    expect(writes.length).toBeGreaterThanOrEqual(50);
    expect(writes.every((w) => w === 0)).toBe(true);
    expect(await t.run(async (ctx) => await ctx.db.query("organizations").unique())).toEqual(before);
    expect(await shownCount(t)).toBe(21);
  });

  test("the organization row still changes when the organization's own fields change", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationEvent("organization.updated", { name: "Difference Engines", updated_at: T0 + DAY }));
    expect(await t.run(async (ctx) => await ctx.db.query("organizations").unique())).toMatchObject({
      name: "Difference Engines",
    });
    expect(await shownCount(t)).toBe(1);
  });

  describe.each([
    [
      "organization.updated",
      () => organizationEvent("organization.updated", { updated_at: T0 + MINUTE }),
      "organizations",
    ],
    ["user.updated", () => userEvent("user.updated", clerkUser({ updated_at: T0 + MINUTE })), "users"],
    [
      "organizationMembership.updated",
      () => membershipEvent("organizationMembership.updated", { updated_at: T0 + MINUTE }),
      "memberships",
    ],
  ] as const)("a second %s with the same snapshot", (_type, event, table) => {
    test("writes only its event log row", async () => {
      const { t, recorder } = await instrumentedBackend();
      await deliver(t, membershipEvent("organizationMembership.created"));
      await deliver(t, organizationEvent("organization.created"));
      await deliver(t, userEvent("user.created", clerkUser()));
      expect((await deliver(t, event())).outcome).toBe("applied");
      const { calls } = await recorder.during(async () => {
        expect((await deliver(t, event())).outcome).toBe("applied");
      });
      const written = calls.flatMap((c) =>
        Object.entries(c.counts.byTable).flatMap(([name, n]) => (n.writes > 0 ? [[name, n.writes]] : [])),
      );
      expect(written).toEqual([["webhookEvents", 1]]);
      expect(calls.some((c) => (c.counts.byTable[table]?.reads ?? 0) > 0)).toBe(true);
    });
  });

  test("an organization snapshot reads its row once", async () => {
    const { t, recorder } = await instrumentedBackend();
    await deliver(t, organizationEvent("organization.created"));
    const { calls } = await recorder.during(async () => {
      await deliver(t, organizationEvent("organization.updated", { name: "Renamed", updated_at: T0 + MINUTE }));
    });
    const reads = calls.map((c) => c.counts.byTable.organizations?.reads ?? 0);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe("the members count", () => {
  test("stays exact through duplicates, redeliveries and out-of-order created, updated and deleted", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    expect(await shownCount(t)).toBe(1);

    // Redelivered (same svix id) and sent again (a new svix id): one member.
    const joins = memberEvent("organizationMembership.created", 1);
    await deliver(t, joins, { svixId: "msg_join_1" });
    await deliver(t, joins, { svixId: "msg_join_1" });
    await deliver(t, joins);
    expect(await shownCount(t)).toBe(2);

    // Updated before created.
    await deliver(t, memberEvent("organizationMembership.updated", 2, { updated_at: T0 + MINUTE }));
    await deliver(t, memberEvent("organizationMembership.created", 2));
    expect(await shownCount(t)).toBe(3);

    // Deleted before created and updated: never counted.
    await deliver(t, memberEvent("organizationMembership.deleted", 3, { updated_at: T0 + MINUTE }));
    await deliver(t, memberEvent("organizationMembership.created", 3));
    await deliver(t, memberEvent("organizationMembership.updated", 3, { updated_at: T0 + MINUTE }));
    expect(await shownCount(t)).toBe(3);

    // Deleted twice.
    const leaves = memberEvent("organizationMembership.deleted", 1, { updated_at: T0 + MINUTE });
    await deliver(t, leaves);
    await deliver(t, leaves);
    expect(await shownCount(t)).toBe(2);
    expect(await liveMemberships(t)).toBe(2);
  });

  test("a newer membership replacing an older one for the same person counts once", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    const charles = { public_user_data: publicUserData(clerkUserCharles()), role: "org:member" };
    await deliver(t, membershipEvent("organizationMembership.created", { ...charles, id: "orgmem_old" }));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", { ...charles, id: "orgmem_new", updated_at: T0 + DAY }),
    );
    expect(await shownCount(t)).toBe(2);
    await deliver(t, membershipEvent("organizationMembership.deleted", { ...charles, id: "orgmem_new" }));
    expect(await shownCount(t)).toBe(1);
    expect(await liveMemberships(t)).toBe(1);
  });

  test("follows the user.deleted cascade, and the organization's deletion drops its counters", async () => {
    vi.useFakeTimers();
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    for (let n = 1; n <= 5; n++) await deliver(t, memberEvent("organizationMembership.created", n));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        public_user_data: publicUserData(clerkUserCharles()),
        role: "org:member",
      }),
    );
    expect(await shownCount(t)).toBe(7);
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await shownCount(t)).toBe(6);
    expect(await liveMemberships(t)).toBe(6);

    await deliver(t, organizationDeleted(ORG, T0 + 2 * DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const left = await t.run(async (ctx) => ({
      shards: (await ctx.db.query("memberCountShards").collect()).length,
      memberships: (await ctx.db.query("memberships").collect()).length,
    }));
    expect(left).toEqual({ shards: 0, memberships: 0 });
  });

  test("counts memberships written before the counters existed once, however often the count runs", async () => {
    vi.useFakeTimers();
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    // Rows as an earlier Roster stored them: no `counted` mark, no counter.
    await t.run(async (ctx) => {
      for (let n = 1; n <= 7; n++) {
        const { userId, membershipId } = member(n);
        await ctx.db.insert("memberships", {
          clerkId: membershipId,
          clerkVersion: T0,
          organizationId: ORG,
          userId,
          role: "org:member",
          roleName: "Member",
          permissions: [],
          publicUserData: { firstName: "Member", lastName: `Number${n}`, imageUrl: null, identifier: null },
          searchText: `member number${n}`,
        });
      }
    });
    expect(await shownCount(t)).toBe(1);
    await countExisting(t, 3);
    expect(await shownCount(t)).toBe(8);
    await countExisting(t, 500);
    expect(await shownCount(t)).toBe(8);
    // A counted legacy row leaving is taken off the count.
    await deliver(t, memberEvent("organizationMembership.deleted", 4, { updated_at: T0 + MINUTE }));
    expect(await shownCount(t)).toBe(7);
  });
});

describe("the member search follows user.updated", () => {
  /** The members of `organizationId` the memberships' search index finds for `term`. */
  async function search(t: Backend, term: string, organizationId = ORG) {
    return await t.run(async (ctx) =>
      (
        await ctx.db
          .query("memberships")
          .withSearchIndex("search_members", (q) => q.search("searchText", term).eq("organizationId", organizationId))
          .take(10)
      ).map((m) => m.userId),
    );
  }

  test("finds a member by their new name and email, not their old ones", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    const charles = publicUserData(clerkUserCharles());
    await deliver(
      t,
      membershipEvent("organizationMembership.created", { public_user_data: charles, role: "org:member" }),
    );
    expect(await search(t, "babbage")).toEqual([CHARLES]);

    const renamed = clerkUserCharles({
      last_name: "Difference",
      ...primaryEmail("engine@example.com", CHARLES),
      updated_at: T0 + DAY,
    });
    await deliver(t, userEvent("user.updated", renamed));
    expect(await search(t, "babbage")).toEqual([]);
    expect(await search(t, "difference")).toEqual([CHARLES]);
    expect(await search(t, "engine@example.com")).toEqual([CHARLES]);
    const row = await t.run(async (ctx) =>
      ctx.db
        .query("memberships")
        .withIndex("by_organization_and_user", (q) => q.eq("organizationId", ORG).eq("userId", CHARLES))
        .unique(),
    );
    expect(row?.publicUserData).toMatchObject({ lastName: "Difference", identifier: "engine@example.com" });
  });

  test("a membership event raised before the rename but delivered after it keeps the new name", async () => {
    const t = await newBackend();
    await deliver(t, membershipEvent("organizationMembership.created"));
    const charles = publicUserData(clerkUserCharles());
    await deliver(
      t,
      membershipEvent("organizationMembership.created", { public_user_data: charles, role: "org:member" }),
    );
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await deliver(t, userEvent("user.updated", clerkUserCharles({ last_name: "Difference", updated_at: T0 + DAY })));
    // A role change from before the rename, with the public data of then.
    const late = membershipEvent("organizationMembership.updated", {
      public_user_data: charles,
      role: "org:admin",
      updated_at: T0 + MINUTE,
    });
    expect((await deliver(t, late)).outcome).toBe("applied");
    expect(await search(t, "babbage")).toEqual([]);
    expect(await search(t, "difference")).toEqual([CHARLES]);
  });

  test("a member of many organizations: the first memberships at once, the rest in scheduled batches", async () => {
    vi.useFakeTimers();
    const t = await newBackend();
    const organizations = MEMBER_SEARCH_INLINE * 2 + 3;
    const charles = publicUserData(clerkUserCharles());
    for (let n = 1; n <= organizations; n++) {
      const organization = clerkOrganization({ id: clerkId("org", "many", n) });
      await deliver(t, membershipEvent("organizationMembership.created", { id: `orgmem_many${n}`, organization }));
      await deliver(
        t,
        membershipEvent("organizationMembership.created", {
          id: `orgmem_charles${n}`,
          organization,
          public_user_data: charles,
          role: "org:member",
        }),
      );
    }
    await deliver(t, userEvent("user.updated", clerkUserCharles({ last_name: "Difference", updated_at: T0 + DAY })));
    const texts = async () =>
      await t.run(async (ctx) =>
        (
          await ctx.db
            .query("memberships")
            .withIndex("by_user", (q) => q.eq("userId", CHARLES))
            .collect()
        ).map((m) => m.searchText),
      );
    const atOnce = (await texts()).filter((text) => text.includes("difference")).length;
    expect(atOnce).toBe(MEMBER_SEARCH_INLINE);
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const all = await texts();
    expect(all).toHaveLength(organizations);
    expect(all.every((text) => text.includes("difference") && !text.includes("babbage"))).toBe(true);
    expect(await search(t, "difference", clerkId("org", "many", organizations))).toEqual([CHARLES]);
  });
});
