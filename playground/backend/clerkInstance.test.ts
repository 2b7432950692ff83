import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import { deliver, newBackend, seedAppAdmin } from "../../test/convex";
import { identityOf } from "../../test/react/clerkMock";
import { PLAYGROUND_ENV, PLAYGROUND_ISSUER, PLAYGROUND_SIGNING_SECRET } from "../config";
import { SIGN_IN_CHOICES } from "../people";
import { PEOPLE, seedEvents } from "../seed";
import { answerClerkApi, applyToClerkData, sampleClerkData } from "./clerkInstance";

const DOROTHY = PEOPLE.find((person) => !person.seeded)!;
const ADA = SIGN_IN_CHOICES[0]!;

beforeEach(() => {
  for (const [name, value] of Object.entries(PLAYGROUND_ENV)) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the playground's simulated Clerk Backend API", () => {
  test("answers the playground's secret key only, and only for its own URL", async () => {
    const data = sampleClerkData(Date.now());
    const users = answerClerkApi(data, `${PLAYGROUND_ENV.CLERK_API_URL}/v1/users?limit=100`, {
      headers: { Authorization: `Bearer ${PLAYGROUND_ENV.CLERK_SECRET_KEY}` },
    });
    expect(users?.status).toBe(200);
    expect(((await users!.json()) as unknown[]).length).toBe(PEOPLE.length);
    const refused = answerClerkApi(data, `${PLAYGROUND_ENV.CLERK_API_URL}/v1/users`, {
      headers: { Authorization: "Bearer sk_test_other" },
    });
    expect(refused?.status).toBe(401);
    expect(answerClerkApi(data, "https://api.clerk.com/v1/users")).toBeNull();
  });

  test("follows the events Roster applied: a deleted organization takes its memberships along", () => {
    const data = sampleClerkData(Date.now());
    const organization = data.organizations[0]!;
    applyToClerkData(data, { type: "organization.deleted", data: { id: organization.id, deleted: true } });
    expect(data.organizations.map((o) => o.id)).not.toContain(organization.id);
    expect(data.memberships.some((m) => (m.organization as { id: string }).id === organization.id)).toBe(false);
  });

  test("a real backfill over it brings in Dorothy, whose user.created never arrived", async () => {
    vi.useFakeTimers({ now: Date.now() });
    const data = sampleClerkData(Date.now());
    vi.stubGlobal("fetch", (input: string, init?: RequestInit) => {
      const answer = answerClerkApi(data, input, init);
      return answer ? Promise.resolve(answer) : Promise.reject(new Error(`offline: ${input}`));
    });
    const t = newBackend();
    for (const { event, svixId } of seedEvents(Date.now()))
      await deliver(t, event, { secret: PLAYGROUND_SIGNING_SECRET, ...(svixId === undefined ? {} : { svixId }) });
    const asAda = t.withIdentity(identityOf(ADA, PLAYGROUND_ISSUER));
    // The synced tables and the runs are the clerkSync component's.
    const dorothyRow = () =>
      runInComponent(t, async (ctx) =>
        ctx.db
          .query("users")
          .withIndex("by_clerkId", (q) => q.eq("clerkId", DOROTHY.id))
          .unique(),
      );
    expect(await dorothyRow()).toBeNull();

    await asAda.mutation(api.clerk.admin.startSync, { mode: "backfill" });
    let run: { status: string } | null = null;
    for (let step = 0; step < 100 && run?.status !== "completed"; step += 1) {
      vi.advanceTimersByTime(2_000);
      await t.finishInProgressScheduledFunctions();
      run = await runInComponent(t, async (ctx) => await ctx.db.query("clerkSyncRuns").order("desc").first());
      expect(run?.status).not.toBe("failed");
    }
    expect(run?.status).toBe("completed");
    expect(await dorothyRow()).toMatchObject({ firstName: "Dorothy", email: DOROTHY.email });
  });

  test("on a deployment no webhook has reached yet, an admin's backfill hands over Roster's hooks and runs", async () => {
    vi.useFakeTimers({ now: Date.now() });
    const data = sampleClerkData(Date.now());
    vi.stubGlobal("fetch", (input: string, init?: RequestInit) => {
      const answer = answerClerkApi(data, input, init);
      return answer ? Promise.resolve(answer) : Promise.reject(new Error(`offline: ${input}`));
    });
    const t = newBackend();
    await seedAppAdmin(t, ADA.id);
    // No delivery: the component has no handles yet.
    expect(await runInComponent(t, async (ctx) => await ctx.db.query("config").first())).toBeNull();
    await t.withIdentity(identityOf(ADA, PLAYGROUND_ISSUER)).mutation(api.clerk.admin.startSync, { mode: "backfill" });
    let run: { status: string; error?: string | null } | null = null;
    for (let step = 0; step < 100 && run?.status !== "completed"; step += 1) {
      vi.advanceTimersByTime(2_000);
      await t.finishInProgressScheduledFunctions();
      run = await runInComponent(t, async (ctx) => await ctx.db.query("clerkSyncRuns").order("desc").first());
      expect(run?.status, run?.error ?? "").not.toBe("failed");
    }
    expect(run?.status).toBe("completed");
    // The hooks ran: Roster's members projection holds the backfilled memberships.
    const members = await t.run(async (ctx) => await ctx.db.query("teamMembers").collect());
    expect(members.length).toBe(data.memberships.length);
  });
});
