import { runInComponent } from "convex-clerk-sync/test";
import type { FunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, components } from "./_generated/api";
import {
  ADA,
  CHARLES,
  clerkMembership,
  clerkOrganization,
  clerkUserCharles,
  membershipEvent,
  organizationEvent,
  userEvent,
} from "../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { RETRY_BATCH_SIZE } from "../packages/clerk-sync/src/component/model/retries";
import { FAMILY_BACKFILL_BATCH_SIZE } from "../packages/clerk-sync/src/component/webhooks/log";
import { eventHandlers } from "../packages/clerk-sync/src/component/webhooks/registry";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const PAGE = { numItems: 25, cursor: null };
/** The component's internal family backfill (an operator runs it with `npx convex run --component clerkSync`). */
const BACKFILL_FAMILY = (
  components.clerkSync as unknown as {
    webhooks: {
      log: {
        backfillFamily: FunctionReference<
          "mutation",
          "internal",
          Record<string, never>,
          { updated: number; isDone: boolean }
        >;
      };
    };
  }
).webhooks.log.backfillFamily;

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev" });
}
async function errorOf(promise: Promise<unknown>) {
  return await promise.then(
    () => null,
    (error: unknown) => error,
  );
}
/** A backend where Ada is an app admin (public metadata `rosterAdmin: true`). */
async function withAdmin(t: Backend = newBackend()) {
  expect(
    (await deliver(t, userEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }))).outcome,
  ).toBe("applied");
  return { t, ada: as(t, ADA) };
}
/** Makes user.created throw (a bug) until the returned spy is restored. */
function breakUserCreated() {
  vi.spyOn(console, "error").mockImplementation(() => {});
  return vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("bug in user.created"));
}

describe("admin.eventLog", () => {
  test("names the users and organizations a row touched, and stores each row's family", async () => {
    const { t, ada } = await withAdmin();
    await deliver(t, organizationEvent("organization.created", clerkOrganization()));
    await deliver(t, membershipEvent("organizationMembership.created", clerkMembership()));
    const { page } = await ada.query(api.admin.eventLog, { paginationOpts: PAGE });
    const [membership, organization, user] = page;
    expect(user?.family).toBe("user");
    expect(user?.subjects).toEqual([{ clerkId: ADA, kind: "user", name: "Ada Lovelace" }]);
    expect(organization?.family).toBe("organization");
    expect(organization?.subjects[0]).toMatchObject({ kind: "organization", name: "Analytical Engines" });
    expect(membership?.family).toBe("organizationMembership");
    expect(membership?.subjects.map((s) => [s.kind, s.name])).toEqual([
      ["other", null],
      ["organization", "Analytical Engines"],
      ["user", "Ada Lovelace"],
    ]);
  });

  test("filters by family, alone and with an outcome, through indexes; rows from before `family` still list", async () => {
    const { t, ada } = await withAdmin();
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await deliver(t, organizationEvent("organization.created", clerkOrganization()));
    const broken = breakUserCreated();
    await deliver(t, userEvent("user.created", { id: "user_2broken000000000000000001" }));
    broken.mockRestore();
    // Logged before the family field existed.
    await runInComponent(t, async (ctx) => {
      await ctx.db.insert("webhookEvents", {
        svixId: "msg_legacy",
        type: "user.updated",
        clerkIds: [CHARLES],
        timestamp: null,
        receivedAt: 1,
        outcome: "applied",
        attempts: 1,
      });
    });
    const types = async (args: { outcome?: "failed" | "applied"; family?: string }) =>
      (await ada.query(api.admin.eventLog, { paginationOpts: PAGE, ...args })).page.map(
        (r) => `${r.type} ${r.outcome}`,
      );

    expect(await types({ family: "user" })).toEqual([
      "user.created failed",
      "user.created applied",
      "user.created applied",
    ]);
    expect(await types({ family: "user", outcome: "failed" })).toEqual(["user.created failed"]);
    expect(await types({ family: "organization", outcome: "applied" })).toEqual(["organization.created applied"]);
    expect(await types({ family: "session" })).toEqual([]);
    const all = await types({});
    expect(all).toHaveLength(5);
    expect(all[0]).toBe("user.updated applied");
    // The legacy row shows its family all the same.
    const legacy = (await ada.query(api.admin.eventLog, { paginationOpts: PAGE })).page[0];
    expect(legacy?.family).toBe("user");
  });

  test("webhooks/log:backfillFamily stores the family on rows logged before it, in batches, so the filter finds them", async () => {
    vi.useFakeTimers();
    const { t, ada } = await withAdmin();
    await runInComponent(t, async (ctx) => {
      for (let n = 0; n < FAMILY_BACKFILL_BATCH_SIZE + 5; n += 1)
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_old${n}`,
          type: n % 2 === 0 ? "session.created" : "organization.updated",
          clerkIds: [],
          timestamp: null,
          receivedAt: n,
          outcome: "applied",
          attempts: 1,
        });
    });
    const sessions = async () =>
      (await ada.query(api.admin.eventLog, { paginationOpts: { numItems: 100, cursor: null }, family: "session" })).page
        .length;
    expect(await sessions()).toBe(0);
    expect(await t.mutation(BACKFILL_FAMILY, {})).toEqual({
      updated: FAMILY_BACKFILL_BATCH_SIZE - 1, // Ada's row has it already
      isDone: false,
    });
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await sessions()).toBe(100);
    const left = await runInComponent(
      t,
      async (ctx) => (await ctx.db.query("webhookEvents").collect()).filter((row) => row.family === undefined).length,
    );
    expect(left).toBe(0);
  });

  test("a page of 100 rows reads the rows and one lookup per distinct user or organization, no more", async () => {
    // 100 rows + org_0…9 + user_50…150 (the first 4 ids of each row are named) + the caller = 212.
    const { t, ada } = await withAdmin(newBackend({ documentsRead: 212 }));
    await runInComponent(t, async (ctx) => {
      for (let n = 0; n < 10; n += 1)
        await ctx.db.insert("organizations", {
          clerkId: `org_${n}`,
          clerkVersion: 1,
          name: `Org ${n}`,
          slug: null,
          imageUrl: null,
          membersCount: null,
          publicMetadata: "{}",
          createdBy: null,
        });
    });
    await runInComponent(t, async (ctx) => {
      for (let n = 0; n < 155; n += 1)
        await ctx.db.insert("users", {
          clerkId: `user_${n}`,
          clerkVersion: 1,
          email: null,
          phone: null,
          username: `user${n}`,
          firstName: null,
          lastName: null,
          imageUrl: null,
          publicMetadata: "{}",
        });
    });
    await runInComponent(t, async (ctx) => {
      for (let n = 0; n < 150; n += 1)
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_${n}`,
          type: "organizationMembership.updated",
          family: "organizationMembership",
          clerkIds: [`orgmem_${n}`, `org_${n % 10}`, `user_${n}`, `user_${n + 1}`, `user_${n + 2}`, `user_${n + 3}`],
          timestamp: null,
          receivedAt: n,
          outcome: "applied",
          attempts: 1,
        });
    });
    const { page } = await ada.query(api.admin.eventLog, { paginationOpts: { numItems: 100, cursor: null } });
    expect(page).toHaveLength(100);
    // Ids past the fourth are listed, not looked up.
    expect(page[0]?.subjects).toHaveLength(6);
    expect(page[0]?.subjects.map((s) => s.name)).toEqual(
      ["", "Org 9", "user149", "user150", null, null].map((n) => n || null),
    );
  });

  test("is for app admins only", async () => {
    const { t } = await withAdmin();
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    const error = await errorOf(as(t, CHARLES).query(api.admin.eventLog, { paginationOpts: PAGE }));
    expect(error).toMatchObject({ data: { code: "NOT_AN_ADMIN" } });
    expect(await errorOf(as(t, CHARLES).mutation(api.admin.retryFailed, {}))).toMatchObject({
      data: { code: "NOT_AN_ADMIN" },
    });
    expect(await errorOf(t.mutation(api.admin.retryFailed, {}))).toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  });
});

describe("admin.retryFailed", () => {
  test("retries every failed event in scheduled batches, recording progress, once each", async () => {
    vi.useFakeTimers();
    const { t, ada } = await withAdmin();
    const original = eventHandlers["user.created"]!;
    const broken = breakUserCreated();
    const count = RETRY_BATCH_SIZE * 2 + 3;
    const ids = Array.from({ length: count }, (_, n) => `user_2retry${String(n).padStart(18, "0")}`);
    for (const id of ids) await deliver(t, userEvent("user.created", { id }));
    // Three still fail; the rest apply now that the cause is fixed.
    const stillBroken = new Set(ids.slice(0, 3));
    broken.mockImplementation(async (ctx, event) => {
      if (stillBroken.has((event.data as { id: string }).id)) throw new Error("still broken");
      return await original(ctx, event);
    });
    vi.advanceTimersByTime(1_000);
    const runId = await ada.mutation(api.admin.retryFailed, {});
    let run = await ada.query(api.admin.retryRun, {});
    expect(run).toMatchObject({ id: runId, status: "running", total: count, retried: 0, startedBy: ADA });
    expect(await errorOf(ada.mutation(api.admin.retryFailed, {}))).toMatchObject({ data: { code: "RETRY_RUNNING" } });

    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    run = await ada.query(api.admin.retryRun, {});
    expect(run).toMatchObject({
      status: "completed",
      total: count,
      retried: count,
      applied: count - 3,
      stillFailing: 3,
    });
    const failed = await ada.query(api.admin.eventLog, { paginationOpts: PAGE, outcome: "failed" });
    expect(failed.page.map((row) => row.attempts)).toEqual([2, 2, 2]);
  });

  test("with nothing failed: a completed run with nothing to do, and nothing scheduled", async () => {
    const { t, ada } = await withAdmin();
    await ada.mutation(api.admin.retryFailed, {});
    expect(await ada.query(api.admin.retryRun, {})).toMatchObject({ status: "completed", total: 0, retried: 0 });
    expect(
      await runInComponent(t, async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).length),
    ).toBe(0);
    expect(await t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").collect()).length)).toBe(0);
  });

  test("a run whose batches stopped reporting is taken over by a new one", async () => {
    vi.useFakeTimers();
    const { t, ada } = await withAdmin();
    const broken = breakUserCreated();
    await deliver(t, userEvent("user.created", { id: "user_2stalled000000000000001" }));
    broken.mockRestore();
    vi.advanceTimersByTime(1_000);
    const first = await ada.mutation(api.admin.retryFailed, {});
    await runInComponent(t, async (ctx) => {
      for (const job of await ctx.db.system.query("_scheduled_functions").collect())
        await ctx.scheduler.cancel(job._id);
    });
    vi.advanceTimersByTime(11 * 60 * 1000);
    const second = await ada.mutation(api.admin.retryFailed, {});
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const runs = await runInComponent(t, async (ctx) => await ctx.db.query("webhookRetryRuns").collect());
    expect(runs.map((run) => [run._id, run.status])).toEqual([
      [first, "failed"],
      [second, "completed"],
    ]);
    expect(runs[1]?.applied).toBe(1);
  });
});

describe("admin.retryEvent", () => {
  test("re-applies one failed event; another failed event stays failed", async () => {
    vi.useFakeTimers();
    const { t, ada } = await withAdmin();
    const broken = breakUserCreated();
    await deliver(t, userEvent("user.created", { id: "user_2one00000000000000000001" }));
    await deliver(t, userEvent("user.created", { id: "user_2two00000000000000000002" }));
    broken.mockRestore();
    const failed = await ada.query(api.admin.eventLog, { paginationOpts: PAGE, outcome: "failed" });
    const target = failed.page[1]!;
    await ada.mutation(api.admin.retryEvent, { eventId: target.id });
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const rows = (await ada.query(api.admin.eventLog, { paginationOpts: PAGE, family: "user" })).page;
    expect(rows.find((row) => row.id === target.id)).toMatchObject({
      outcome: "applied",
      attempts: 2,
      subjects: [{ kind: "user", name: expect.any(String) as string }],
    });
    expect(rows.filter((row) => row.outcome === "failed")).toHaveLength(1);
    // It is not failed any more: nothing to retry.
    expect(await errorOf(ada.mutation(api.admin.retryEvent, { eventId: target.id }))).toMatchObject({
      data: { code: "NOT_RETRYABLE" },
    });
  });
});
