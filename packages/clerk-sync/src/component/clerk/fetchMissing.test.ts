import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api.js";
import {
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  CHARLES,
  envelope,
  ORG,
  T0,
} from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import { loopbackFetch, startFakeClerkApi, type FakeClerkApi } from "../../../../../test/fakeClerkApi.js";
import { FETCH_MISSING_DELAY_MS, fetchMissingLater } from "./missing.js";

let api: FakeClerkApi;

beforeEach(async () => {
  vi.useFakeTimers();
  vi.stubGlobal("fetch", loopbackFetch);
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  api = await startFakeClerkApi({ users: [clerkUserCharles()], organizations: [clerkOrganization()], memberships: [] });
  vi.stubEnv("CLERK_SECRET_KEY", api.secretKey);
  vi.stubEnv("CLERK_API_URL", api.url);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await api.close();
});

async function schedule(t: Backend, refs: Parameters<typeof fetchMissingLater>[1]) {
  return await t.run(async (ctx) => await fetchMissingLater(ctx, refs));
}

async function userRow(t: Backend, clerkId: string) {
  return await t.run(async (ctx) => {
    const row = await ctx.db
      .query("users")
      .withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId))
      .unique();
    if (row === null) return null;
    const { _id, _creationTime, ...rest } = row;
    return rest;
  });
}

describe("fetching what an event names but Convex has never seen", () => {
  test("fetches a missing user after a short delay and stores what user.created would have", async () => {
    const t = await newBackend();
    expect(
      await schedule(t, [
        { kind: "user", clerkId: CHARLES },
        { kind: "user", clerkId: CHARLES },
        { kind: "organization", clerkId: ORG },
        { kind: "session", clerkId: "sess_x" },
      ]),
    ).toBe(2);
    vi.advanceTimersByTime(FETCH_MISSING_DELAY_MS - 1_000);
    await t.finishInProgressScheduledFunctions();
    expect(api.requests).toHaveLength(0);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(api.requests.map((r) => r.path).sort()).toEqual([`/v1/organizations/${ORG}`, `/v1/users/${CHARLES}`]);

    const viaWebhook = await newBackend();
    await deliver(viaWebhook, envelope("user.created", clerkUserCharles(), T0));
    expect(await userRow(t, CHARLES)).toEqual(await userRow(viaWebhook, CHARLES));
    expect(await t.run(async (ctx) => (await ctx.db.query("organizations").collect()).map((o) => o.clerkId))).toEqual([
      ORG,
    ]);
  });

  test("makes no request for the user when they land by webhook during the delay", async () => {
    const t = await newBackend();
    await schedule(t, [{ kind: "user", clerkId: CHARLES }]);
    await deliver(t, envelope("user.created", clerkUserCharles(), T0));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    // The first event with a key and nothing pinned asks for the instance check (GET /v1/instance, /v1/domains).
    expect(api.requests.map((request) => request.path)).toEqual(["/v1/instance", "/v1/domains"]);
  });

  test("schedules nothing for a known user, a deleted user, or without CLERK_SECRET_KEY", async () => {
    const t = await newBackend();
    await deliver(t, envelope("user.created", clerkUser(), T0));
    await deliver(t, envelope("user.deleted", { deleted: true, id: CHARLES, object: "user" }, T0));
    expect(
      await schedule(t, [
        { kind: "user", clerkId: String(clerkUser().id) },
        { kind: "user", clerkId: CHARLES },
        { kind: "user", clerkId: null },
      ]),
    ).toBe(0);
    vi.stubEnv("CLERK_SECRET_KEY", "");
    expect(await schedule(t, [{ kind: "organization", clerkId: ORG }])).toBe(0);
  });

  test("writes nothing for an id Clerk does not know", async () => {
    const t = await newBackend();
    const result = await t.action(internal.clerk.fetchMissing.fetchOne, {
      kind: "user",
      clerkId: "user_unknown",
      attempt: 1,
    });
    expect(result).toBe("gone");
    expect(await userRow(t, "user_unknown")).toBeNull();
  });

  test("retries after Retry-After when rate limited", async () => {
    const t = await newBackend();
    api.rateLimitNext(1, 4);
    expect(await t.action(internal.clerk.fetchMissing.fetchOne, { kind: "user", clerkId: CHARLES, attempt: 1 })).toBe(
      "retrying",
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const [limited, retried] = api.requests;
    expect(limited!.status).toBe(429);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(4_000);
    expect(await userRow(t, CHARLES)).toMatchObject({ firstName: "Charles" });
  });
});
