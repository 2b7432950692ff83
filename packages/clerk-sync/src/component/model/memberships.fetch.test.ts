import { afterEach, describe, expect, test, vi } from "vitest";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { ClerkEvent } from "../webhooks/envelope.js";
import { membershipEventHandlers } from "./memberships.js";

const V = 1_700_000_000_000;
const ORG = "org_fetch";
const USER = "user_fetch";

function snapshot(version: number): ClerkEvent {
  return {
    type: "organizationMembership.created",
    timestamp: version,
    instanceId: null,
    data: {
      object: "organization_membership",
      id: "orgmem_fetch",
      role: "org:member",
      permissions: [],
      organization: { object: "organization", id: ORG, name: "Fetch", updated_at: version },
      public_user_data: { user_id: USER, first_name: "Emmy", last_name: "Noether", identifier: "emmy@example.com" },
      created_at: version,
      updated_at: version,
    },
  };
}

/** The fetches from Clerk the membership events scheduled, as (kind, id). */
async function scheduledFetches(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect())
      .filter((job) => job.name === "clerk/fetchMissing:fetchOne")
      .map((job) => job.args[0] as { kind: string; clerkId: string; attempt: number }),
  );
}

async function apply(t: Backend, event: ClerkEvent) {
  const handler = membershipEventHandlers[event.type]!;
  return await t.run(async (ctx) => await handler(ctx, event));
}

// A member whose user.created was missed is fetched from Clerk (when CLERK_SECRET_KEY is set),
// but only by an event that applied: a stale snapshot names nobody new.
describe("a membership event and the member Convex has never seen", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("an applied event schedules one fetch of the member from Clerk", async () => {
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_fetch");
    const t = await newBackend();
    expect((await apply(t, snapshot(V))).outcome).toBe("applied");
    expect(await scheduledFetches(t)).toEqual([{ kind: "user", clerkId: USER, attempt: 1 }]);
  });

  test("a stale event schedules nothing", async () => {
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_fetch");
    const t = await newBackend();
    await apply(t, snapshot(V + 1));
    const before = (await scheduledFetches(t)).length;
    expect((await apply(t, snapshot(V))).outcome).toBe("stale");
    expect((await scheduledFetches(t)).length).toBe(before);
  });

  test("without CLERK_SECRET_KEY nothing is fetched", async () => {
    vi.stubEnv("CLERK_SECRET_KEY", "");
    const t = await newBackend();
    expect((await apply(t, snapshot(V))).outcome).toBe("applied");
    expect(await scheduledFetches(t)).toEqual([]);
  });
});
