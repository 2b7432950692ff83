import { describe, expect, test } from "vitest";
import { baselineFrom, compareWithBaseline, sameStream, sideOf, tableDelta, type ComparableResults } from "./compare";

const PROJECTION = ["teamMembers", "activity"];
const side = (reads: number, writes: number) => ({ reads, writes });
const mean = (x: number) => ({ mean: x, max: x });

/** Today: every table Roster's own; a membership join reads 3, writes 4 (one of them its activity entry). */
const today: ComparableResults = {
  generatedAt: "2026-12-07T16:50:00.000Z",
  command: "npm run bench",
  config: { events: 1000, seed: 1 },
  throughput: {
    byType: {
      "organizationMembership.created": {
        count: 10,
        reads: mean(3),
        writes: mean(4),
        byTable: {
          memberships: side(0, 1),
          activity: side(0, 1),
          organizations: side(1, 0),
          users: side(1, 0),
          clerkInstance: side(1, 0),
          webhookEvents: side(0, 1),
          memberCountShards: side(0, 1),
        },
      },
      "user.created": {
        count: 5,
        reads: mean(1),
        writes: mean(2),
        byTable: { users: side(0, 1), webhookEvents: side(0, 1), clerkInstance: side(1, 0) },
      },
    },
  },
  query: {
    rows: [
      { orgSize: 1000, pageSize: 10, returned: 10, reads: 31, search: false },
      { orgSize: 1000, pageSize: 10, returned: 1, reads: 4, search: true },
    ],
  },
  queries: [{ name: "organizations:get", reads: 4, componentCalls: 0, error: null }],
};

const baseline = baselineFrom(today, { commit: "d9d518d", subject: "today" }, PROJECTION);

/** After the move: the same events through the component, with a projection row more and a config read. */
function now(overrides: {
  joinReads?: number;
  joinProjectionWrites?: number;
  componentMutations?: number;
  queryCalls?: number;
  pageReads?: number;
}): ComparableResults {
  const { joinReads = 3, joinProjectionWrites = 2, componentMutations = 1, queryCalls = 1, pageReads = 31 } = overrides;
  const boundary = (mutations: number) => ({
    toComponent: { mean: 1, max: 1 },
    toComponentMutations: { max: mutations },
    toApp: { mean: 1 },
  });
  return {
    ...today,
    throughput: {
      byType: {
        "organizationMembership.created": {
          count: 10,
          reads: mean(joinReads),
          writes: mean(3 + joinProjectionWrites),
          projection: side(0, joinProjectionWrites),
          boundary: boundary(componentMutations),
        },
        "user.created": { count: 5, reads: mean(1), writes: mean(2), projection: side(0, 0), boundary: boundary(1) },
      },
    },
    query: {
      rows: [
        { orgSize: 1000, pageSize: 10, returned: 10, reads: pageReads, search: false, componentCalls: 1 },
        { orgSize: 1000, pageSize: 10, returned: 1, reads: 4, search: true, componentCalls: 1 },
      ],
    },
    queries: [{ name: "organizations:get", reads: 5, componentCalls: queryCalls, error: null }],
  };
}

describe("today's figures against now's", () => {
  test("the baseline keeps per event type the totals and the projection's share of them", () => {
    expect(baseline.measuredOn).toMatchObject({ commit: "d9d518d", generatedAt: today.generatedAt });
    expect(baseline.stream).toEqual({ events: 1000, seed: 1 });
    expect(baseline.events["organizationMembership.created"]).toMatchObject({
      reads: 3,
      writes: 4,
      projection: side(0, 1),
    });
    expect(baseline.events["user.created"]?.projection).toEqual(side(0, 0));
    expect(baseline.membersPages).toHaveLength(2);
    expect(baseline.queries).toEqual({ "organizations:get": { reads: 4, componentCalls: 0 } });
  });

  test("sideOf sums the named tables and ignores the others", () => {
    expect(sideOf({ activity: side(1, 2), teamMembers: side(3, 4), users: side(9, 9) }, PROJECTION)).toEqual(
      side(4, 6),
    );
    expect(sideOf({}, PROJECTION)).toEqual(side(0, 0));
  });

  test("more projection rows than today pass; every check holds for a move that costs nothing more", () => {
    const c = compareWithBaseline(baseline, now({}), PROJECTION);
    const join = c.events.find((e) => e.label === "organizationMembership.created");
    expect(join).toMatchObject({
      today: { reads: 3, writes: 4, apartFromProjection: side(3, 3) },
      now: { reads: 3, writes: 5, projection: side(0, 2), apartFromProjection: side(3, 3), componentMutations: 1 },
      aboveToday: false,
    });
    expect(c.checks).toEqual({
      oneComponentMutationPerWebhook: true,
      noEventAboveTodayApartFromProjection: true,
      rosterQueriesAtMostTwoComponentCalls: true,
      membersPageWithinOnePlusThreePerMember: true,
    });
    expect(c.queries).toEqual([
      {
        name: "organizations:get",
        today: { reads: 4, componentCalls: 0 },
        now: { reads: 5, componentCalls: 1, error: null },
      },
    ]);
    expect(c.membersPages[0]).toMatchObject({ today: 31, now: 31, limit: 31 });
  });

  test("one read more than today outside the projection fails", () => {
    const c = compareWithBaseline(baseline, now({ joinReads: 4 }), PROJECTION);
    expect(c.events.find((e) => e.label === "organizationMembership.created")?.aboveToday).toBe(true);
    expect(c.checks.noEventAboveTodayApartFromProjection).toBe(false);
  });

  test("a second component mutation in a webhook, a third component call in a query, a page over 1 + 3 × page fail", () => {
    expect(
      compareWithBaseline(baseline, now({ componentMutations: 2 }), PROJECTION).checks.oneComponentMutationPerWebhook,
    ).toBe(false);
    expect(
      compareWithBaseline(baseline, now({ queryCalls: 3 }), PROJECTION).checks.rosterQueriesAtMostTwoComponentCalls,
    ).toBe(false);
    expect(
      compareWithBaseline(baseline, now({ pageReads: 32 }), PROJECTION).checks.membersPageWithinOnePlusThreePerMember,
    ).toBe(false);
  });

  test("tableDelta says which tables a difference comes from, the component's named as today's, the projection left out", () => {
    expect(
      tableDelta(
        { users: side(1, 1), webhookEvents: side(0, 1), activity: side(0, 1) },
        {
          "clerkSync:users": side(1, 1),
          "clerkSync:webhookEvents": side(0, 1),
          "clerkSync:config": side(3, 0),
          teamMembers: side(1, 1),
          activity: side(0, 1),
        },
        PROJECTION,
      ),
    ).toEqual({ config: side(3, 0) });
  });

  test("a run compares with the baseline only on the same stream", () => {
    expect(sameStream(baseline, today)).toBe(true);
    expect(sameStream(baseline, { ...today, config: { events: 50, seed: 1 } })).toBe(false);
  });
});
