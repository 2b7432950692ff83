import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  clerkUser,
  INSTANCE_ID,
  membershipEvent,
  organizationInvitationEvent,
  primaryEmail,
  publicUserData,
  userDeleted,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, seedInBatches, type Backend } from "../../../../../test/component/backend.js";
import { internal } from "../_generated/api.js";
import { computeSyncHealth } from "../model/eventLog.js";
import { latestRetryRun, startRetryRun } from "../model/retries.js";
import { eraseKeptPayloads, keepPayload, MAX_SUBJECTS, payloadSubjects } from "./kept.js";

/** What a log row says once user.deleted erased its payload. */
const ERASED_NOTE = "Its payload named a user who has since been deleted: it was erased and cannot be retried.";
import { MOVE_PAYLOADS_BATCH_SIZE } from "./log.js";
import { eventHandlers } from "./registry.js";

const DAY = 24 * 60 * 60 * 1000;
const EVE = "user_2eve000000000000000000001";
const EVE_EMAIL = "Eve.Moneypenny@Example.com";
const OTHER_INSTANCE = "ins_2otherInstance00000000000";

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Makes every event of `type` fail to apply (a bug in its handler) until restored. */
function breakHandler(type: keyof typeof eventHandlers) {
  return vi.spyOn(eventHandlers, type).mockRejectedValue(new Error(`bug in ${type}`));
}

async function logRow(t: Backend, svixId: string) {
  return await t.run(
    async (ctx) =>
      await ctx.db
        .query("webhookEvents")
        .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
        .unique(),
  );
}

async function kept(t: Backend) {
  return await t.run(async (ctx) => ({
    payloads: (await ctx.db.query("failedPayloads").collect()).map((row) => row.svixId).sort(),
    subjects: (await ctx.db.query("failedPayloadSubjects").collect())
      .map((row) => `${row.svixId} ${row.subject}`)
      .sort(),
  }));
}

describe("payloadSubjects", () => {
  test("finds user ids anywhere and addresses under Clerk's email keys, in lower case, once each", () => {
    const payload = membershipEvent("organizationMembership.created", {
      public_user_data: publicUserData(clerkUser({ id: EVE, ...primaryEmail(EVE_EMAIL, EVE) })),
    });
    const subjects = payloadSubjects(payload);
    expect(subjects).toContain(EVE);
    expect(subjects).toContain(EVE_EMAIL.toLowerCase());
    expect(subjects.filter((subject) => subject === EVE)).toHaveLength(1);
    // Not an address under another key, not a user id with other characters.
    expect(payloadSubjects({ note: "a@b.c", id: "user_x-y", email_address: "no-at-sign" })).toEqual([]);
    expect(payloadSubjects({ to_email_address: "A@B.C", created_by: "user_2a" })).toEqual(["a@b.c", "user_2a"]);
  });

  test("stops at MAX_SUBJECTS and at a depth no Clerk payload reaches", () => {
    const many = Array.from({ length: MAX_SUBJECTS + 5 }, (_, i) => `user_${i}`);
    expect(payloadSubjects({ ids: many })).toEqual(many.slice(0, MAX_SUBJECTS));
    let deep: unknown = { user_id: "user_deep" };
    for (let i = 0; i < 10; i += 1) deep = { next: deep };
    expect(payloadSubjects(deep)).toEqual([]);
    expect(payloadSubjects({ a: { b: { c: { user_id: "user_shallow" } } } })).toEqual(["user_shallow"]);
  });
});

describe("payloadSubjects, key by key and level by level", () => {
  test.each(["email_address", "to_email_address", "identifier", "from_email_address"])(
    "an address under %s is a subject",
    (key) => {
      expect(payloadSubjects({ data: { [key]: "Eve@X.example" } })).toEqual(["eve@x.example"]);
    },
  );

  test("a user id must be the whole string; null values and numbers are passed over", () => {
    expect(payloadSubjects({ a: "auser_2x", b: "user_", c: null, d: 7, e: "user_2ok" })).toEqual(["user_2ok"]);
  });

  test("six levels down is read, seven is not, in objects and in arrays alike", () => {
    const nest = (levels: number, leaf: unknown): unknown => {
      let value = leaf;
      for (let i = 0; i < levels; i += 1) value = { n: value };
      return value;
    };
    const nestArrays = (levels: number, leaf: unknown): unknown => {
      let value = leaf;
      for (let i = 0; i < levels; i += 1) value = [value];
      return value;
    };
    expect(payloadSubjects(nest(6, "user_2six"))).toEqual(["user_2six"]);
    expect(payloadSubjects(nest(7, "user_2seven"))).toEqual([]);
    expect(payloadSubjects(nestArrays(6, "user_2six"))).toEqual(["user_2six"]);
    expect(payloadSubjects(nestArrays(7, "user_2seven"))).toEqual([]);
  });
});

describe("eraseKeptPayloads", () => {
  async function keepFor(t: Backend, svixId: string, subjects: string[], logged = true) {
    await t.run(async (ctx) => {
      await keepPayload(ctx, svixId, "{}", subjects);
      if (logged)
        await ctx.db.insert("webhookEvents", {
          svixId,
          type: "user.updated",
          clerkIds: [],
          timestamp: null,
          receivedAt: 1,
          firstFailedAt: 1,
          outcome: "failed",
          attempts: 1,
          error: "bug",
        });
    });
  }

  test("stops at its limit (the rest for the next batch) and finds addresses given in any case", async () => {
    const t = await newBackend();
    await keepFor(t, "msg_1", [EVE]);
    await keepFor(t, "msg_2", [EVE]);
    await keepFor(t, "msg_3", ["eve@x.example"]);
    expect(await t.run(async (ctx) => await eraseKeptPayloads(ctx, EVE, ["Eve@X.example"], 1))).toBe(1);
    expect((await kept(t)).payloads).toEqual(["msg_2", "msg_3"]);
    expect(await t.run(async (ctx) => await eraseKeptPayloads(ctx, EVE, ["Eve@X.example"], 5))).toBe(2);
    expect(await kept(t)).toEqual({ payloads: [], subjects: [] });
    expect(await t.run(async (ctx) => await eraseKeptPayloads(ctx, EVE, ["Eve@X.example"], 5))).toBe(0);
  });

  test("a payload whose log row is gone is erased all the same", async () => {
    const t = await newBackend();
    await keepFor(t, "msg_orphan", [EVE], false);
    expect(await t.run(async (ctx) => await eraseKeptPayloads(ctx, EVE, [], 5))).toBe(1);
    expect(await kept(t)).toEqual({ payloads: [], subjects: [] });
  });

  test("keeping the same text again leaves the stored rows as they are", async () => {
    const t = await newBackend();
    await keepFor(t, "msg_same", [EVE, "eve@x.example"]);
    const ids = async () =>
      await t.run(async (ctx) => [
        ...(await ctx.db.query("failedPayloads").collect()).map((row) => row._id),
        ...(await ctx.db.query("failedPayloadSubjects").collect()).map((row) => row._id),
      ]);
    const before = await ids();
    await t.run(async (ctx) => await keepPayload(ctx, "msg_same", "{}", [EVE, "eve@x.example"]));
    expect(await ids()).toEqual(before);
  });
});

describe("user.deleted erases the kept payloads that name the user", () => {
  test("by Clerk id and by address; the log rows say why they cannot be retried; others stay", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { id: EVE, ...primaryEmail(EVE_EMAIL, EVE) }));
    const restoreMemberships = breakHandler("organizationMembership.created");
    const restoreInvitations = breakHandler("organizationInvitation.created");
    // Fails naming Eve by id (and her address in public_user_data).
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        public_user_data: publicUserData(clerkUser({ id: EVE, ...primaryEmail(EVE_EMAIL, EVE) })),
      }),
      { svixId: "msg_eve_member" },
    );
    // Fails naming only her address (an invitation carries no user id).
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", { email_address: EVE_EMAIL.toLowerCase() }),
      { svixId: "msg_eve_invited" },
    );
    // Fails naming Ada only.
    await deliver(t, membershipEvent("organizationMembership.created"), { svixId: "msg_ada_member" });
    restoreMemberships.mockRestore();
    restoreInvitations.mockRestore();
    expect((await kept(t)).payloads).toEqual(["msg_ada_member", "msg_eve_invited", "msg_eve_member"]);

    await deliver(t, userDeleted(EVE));
    await t.finishAllScheduledFunctions(vi.runAllTimers);

    const left = await kept(t);
    expect(left.payloads).toEqual(["msg_ada_member"]);
    expect(left.subjects.every((subject) => subject.startsWith("msg_ada_member "))).toBe(true);
    expect(left.subjects).toContain(`msg_ada_member ${ADA}`);
    for (const svixId of ["msg_eve_member", "msg_eve_invited"])
      expect(await logRow(t, svixId)).toMatchObject({
        outcome: "failed",
        error: "Its payload named a user who has since been deleted: it was erased and cannot be retried.",
      });
    // Nothing left to re-apply: a retry skips them.
    expect(await t.action(internal.webhooks.log.retryOne, { svixId: "msg_eve_member" })).toMatchObject({ skipped: 1 });
  });

  test("a hundred kept payloads of 200 KiB are erased under Convex's limits, in several batches", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { id: EVE, ...primaryEmail(EVE_EMAIL, EVE) }));
    const big = JSON.stringify({ data: { id: EVE, note: "x".repeat(200 * 1024) } });
    // 20 MiB in all: more than one function may read, so one cascade batch must not take them all.
    await seedInBatches(
      t,
      100,
      async (ctx, i) => {
        await keepPayload(ctx, `msg_big_${i}`, big, [EVE]);
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_big_${i}`,
          type: "user.updated",
          clerkIds: [EVE],
          timestamp: null,
          receivedAt: 1,
          firstFailedAt: 1,
          outcome: "failed",
          attempts: 1,
          error: "bug",
        });
      },
      10,
    );
    await deliver(t, userDeleted(EVE));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await kept(t)).payloads).toEqual([]);
    expect(await logRow(t, "msg_big_99")).toMatchObject({ error: ERASED_NOTE });
  });

  test("a foreign event's kept payload is erased too", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { id: EVE, ...primaryEmail(EVE_EMAIL, EVE) }));
    await deliver(t, { ...userEvent("user.updated", { id: EVE }), instance_id: OTHER_INSTANCE }, { svixId: "msg_f" });
    expect((await kept(t)).payloads).toEqual(["msg_f"]);
    await deliver(t, userDeleted(EVE));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await kept(t)).toEqual({ payloads: [], subjects: [] });
    expect(await logRow(t, "msg_f")).toMatchObject({ outcome: "foreign", error: ERASED_NOTE });
  });
});

describe("retention counts from the first failure", () => {
  test("a failed event retried every 80 days is pruned 90 days after it first failed", async () => {
    const t = await newBackend();
    const broken = breakHandler("user.created");
    await deliver(t, userEvent("user.created", { id: EVE }), { svixId: "msg_retried" });
    const firstFailedAt = (await logRow(t, "msg_retried"))!.firstFailedAt;
    vi.advanceTimersByTime(80 * DAY);
    await t.action(internal.webhooks.log.retryOne, { svixId: "msg_retried" });
    expect(await logRow(t, "msg_retried")).toMatchObject({ outcome: "failed", attempts: 2, firstFailedAt });
    vi.advanceTimersByTime(11 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, {})).toEqual({ deleted: 1, more: false });
    expect(await kept(t)).toEqual({ payloads: [], subjects: [] });
    broken.mockRestore();
  });

  test("one batch takes failed events first, then foreign ones, up to its size", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { id: ADA }));
    const broken = breakHandler("user.created");
    await deliver(t, userEvent("user.created", { id: EVE }), { svixId: "msg_failed" });
    broken.mockRestore();
    for (const svixId of ["msg_f1", "msg_f2"])
      await deliver(t, { ...userEvent("user.updated", { id: EVE }), instance_id: OTHER_INSTANCE }, { svixId });
    vi.advanceTimersByTime(91 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, { batchSize: 2 })).toEqual({ deleted: 2, more: true });
    expect(await logRow(t, "msg_failed")).toBeNull();
    const left = await t.run(async (ctx) =>
      (await ctx.db.query("webhookEvents").collect()).filter((row) => row.outcome === "foreign"),
    );
    expect(left).toHaveLength(1);
  });

  test("foreign events are kept as long as failed ones, then pruned with their payloads", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created", { id: EVE }));
    await deliver(t, { ...userEvent("user.updated", { id: EVE }), instance_id: OTHER_INSTANCE }, { svixId: "msg_f" });
    vi.advanceTimersByTime(31 * DAY);
    await t.mutation(internal.webhooks.log.prune, {});
    expect((await kept(t)).payloads).toEqual(["msg_f"]);
    vi.advanceTimersByTime(60 * DAY);
    expect(await t.mutation(internal.webhooks.log.pruneFailed, {})).toEqual({ deleted: 1, more: false });
    expect(await logRow(t, "msg_f")).toBeNull();
    expect(await kept(t)).toEqual({ payloads: [], subjects: [] });
  });
});

describe("retrying an event that is now foreign settles it", () => {
  test("the failed row itself becomes foreign, its payload stays kept, and the run counts it apart", async () => {
    const t = await newBackend();
    // Pinned by the first event; an event from another instance failed before the pin (nothing checked it).
    await deliver(t, userEvent("user.created", { id: ADA }));
    await t.run(async (ctx) => {
      await ctx.db.insert("webhookEvents", {
        svixId: "msg_was_failed",
        type: "user.updated",
        clerkIds: [],
        timestamp: null,
        receivedAt: Date.now() - 1_000,
        firstFailedAt: Date.now() - 1_000,
        outcome: "failed",
        attempts: 1,
        error: "bug",
      });
      await ctx.db.insert("failedPayloads", {
        svixId: "msg_was_failed",
        payload: JSON.stringify({ ...userEvent("user.updated", { id: EVE }), instance_id: OTHER_INSTANCE }),
      });
    });
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toEqual({
      retried: 1,
      applied: 0,
      stillFailing: 0,
      foreign: 1,
    });
    const rows = await t.run(async (ctx) =>
      (await ctx.db.query("webhookEvents").collect()).filter((row) => row.svixId === "msg_was_failed"),
    );
    expect(rows).toMatchObject([{ outcome: "foreign", attempts: 2, instanceId: OTHER_INSTANCE }]);
    expect((await kept(t)).payloads).toEqual(["msg_was_failed"]);
    // Settled: the next retry finds nothing failed.
    expect(await t.action(internal.webhooks.log.retryFailed, {})).toMatchObject({ retried: 0, foreign: 0 });

    // The operator's retry run (the admin page's) counts it apart from applied.
    await t.run(async (ctx) => {
      const row = (await ctx.db
        .query("webhookEvents")
        .withIndex("by_svixId", (q) => q.eq("svixId", "msg_was_failed"))
        .unique())!;
      await ctx.db.patch("webhookEvents", row._id, { outcome: "failed", instanceId: undefined });
    });
    vi.advanceTimersByTime(1_000);
    await t.run(async (ctx) => {
      const runId = await startRetryRun(ctx, ADA, Date.now());
      await ctx.scheduler.runAfter(0, internal.webhooks.log.retryBatch, { runId });
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.run(async (ctx) => await latestRetryRun(ctx))).toMatchObject({
      status: "completed",
      retried: 1,
      applied: 0,
      foreign: 1,
    });
  });
});

/** A failed row as logged before failedPayloads existed: its 24 KiB payload on the row, no first-failure time. */
async function seedLegacyFailed(t: Backend, count: number, receivedAt: (i: number) => number) {
  const padding = "x".repeat(24 * 1024);
  await seedInBatches(
    t,
    count,
    async (ctx, i) => {
      const payload = JSON.stringify({
        ...userEvent("user.updated", { id: `user_2legacy${i}`, private_metadata: { secret: 1 } }),
        padding,
      });
      await ctx.db.insert("webhookEvents", {
        svixId: `msg_legacy${i}`,
        type: "user.updated",
        clerkIds: [],
        timestamp: null,
        receivedAt: receivedAt(i),
        outcome: "failed",
        attempts: 1,
        error: "bug",
        payload,
      });
    },
    100,
  );
}

/** Sync health as the engine computes it, in one transaction under the backend's limits (Roster's admin page gates who may read it). */
async function syncHealth(t: Backend) {
  return await t.run(async (ctx) => await computeSyncHealth(ctx, Date.now()));
}

describe.each([
  ["all from the last day", 0, 400],
  ["half over a day old", 200, 200],
  ["all over a day old", 400, 0],
])("400 failed rows of 24 KiB logged before the failed-payload table, %s", (_label, old, recent) => {
  const receivedAt = (now: number) => (i: number) => (i < old ? now - 2 * DAY + i : now - 1_000 + i - 400);

  test("sync health answers under Convex's default limits (each row read once)", async () => {
    const t = await newBackend();
    await seedLegacyFailed(t, 400, receivedAt(Date.now()));
    expect(await syncHealth(t)).toMatchObject({ failedLast24h: recent, failedTotal: 400 });
  });

  test("the batched migration moves every payload (stripped, first-failure time set); then sync health reads none", async () => {
    // 1.5 MiB a transaction: one migration batch (16 rows of 24 KiB, each read twice) fits; a scan of 400 does not.
    const t = await newBackend({ bytesRead: 1.5 * 1024 * 1024 });
    await seedLegacyFailed(t, 400, receivedAt(Date.now()));
    await expect(syncHealth(t)).rejects.toThrow();

    expect(await t.mutation(internal.webhooks.log.movePayloads, {})).toMatchObject({
      migrated: MOVE_PAYLOADS_BATCH_SIZE,
      moved: MOVE_PAYLOADS_BATCH_SIZE,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers, 100);
    expect(await syncHealth(t)).toMatchObject({ failedLast24h: recent, failedTotal: 400 });

    const rows = await t.run(async (ctx) => await ctx.db.query("webhookEvents").take(400));
    expect(rows.every((row) => row.payload === undefined && row.firstFailedAt === row.receivedAt)).toBe(true);
    const stripped = await t.run(async (ctx) => {
      let count = 0;
      for (let i = 0; i < 400; i += 1) {
        const kept = await ctx.db
          .query("failedPayloads")
          .withIndex("by_svixId", (q) => q.eq("svixId", `msg_legacy${i}`))
          .unique();
        if (kept !== null && !kept.payload.includes("private_metadata")) count += 1;
        if (i % 40 === 39) break; // a sample: reading all 400 would pass the test's own limit
      }
      return count;
    });
    expect(stripped).toBe(40);
    // With the users they name, and still retryable.
    const named = await t.run(
      async (ctx) =>
        await ctx.db
          .query("failedPayloadSubjects")
          .withIndex("by_subject", (q) => q.eq("subject", "user_2legacy7"))
          .collect(),
    );
    expect(named.map((row) => row.svixId)).toEqual(["msg_legacy7"]);
    expect(await t.query(internal.webhooks.log.failedPayload, { svixId: "msg_legacy0" })).toContain("user_2legacy0");
    // Nothing left to migrate: a second run is one empty batch.
    expect(await t.mutation(internal.webhooks.log.movePayloads, {})).toEqual({ migrated: 0, moved: 0, isDone: true });
  }, 60_000);
});

describe("npm run webhook's made-up instance", () => {
  test("an event without an instance_id never pins", async () => {
    const t = await newBackend();
    const event: Record<string, unknown> = userEvent("user.created", { id: EVE });
    delete event.instance_id;
    await deliver(t, event);
    expect(await t.query(internal.webhooks.instance.pinned, {})).toBeNull();
    expect(await deliver(t, { ...userEvent("user.updated", { id: EVE }), instance_id: INSTANCE_ID })).toMatchObject({
      outcome: "applied",
    });
  });
});

describe("movePayloads, at its edges", () => {
  async function legacy(t: Backend, svixId: string, outcome: "failed" | "foreign" | "applied", payload?: string) {
    await t.run(async (ctx) => {
      await ctx.db.insert("webhookEvents", {
        svixId,
        type: "user.updated",
        clerkIds: [],
        timestamp: null,
        receivedAt: 1_000,
        outcome,
        attempts: 1,
        ...(payload === undefined ? {} : { payload }),
      });
    });
  }

  test("a payload already kept is not replaced; a foreign row gets its time; settled rows are not touched; it says what it did", async () => {
    const t = await newBackend();
    await legacy(t, "msg_both", "failed", '{"type":"user.updated","data":{"id":"user_2old"}}');
    await t.run(async (ctx) => await keepPayload(ctx, "msg_both", '{"kept":true}', ["user_2new"]));
    await legacy(t, "msg_foreign", "foreign");
    await legacy(t, "msg_applied", "applied");
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    expect(await t.mutation(internal.webhooks.log.movePayloads, {})).toEqual({ migrated: 2, moved: 1, isDone: true });
    expect(info).toHaveBeenCalledWith("movePayloads: 2 row(s) migrated, 1 payload(s) moved.");
    expect(await t.query(internal.webhooks.log.failedPayload, { svixId: "msg_both" })).toBe('{"kept":true}');
    expect((await kept(t)).subjects).toEqual(["msg_both user_2new"]);
    const rows = await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(rows.map((row) => [row.svixId, row.firstFailedAt, row.payload])).toEqual([
      ["msg_both", 1_000, undefined],
      ["msg_foreign", 1_000, undefined],
      ["msg_applied", undefined, undefined],
    ]);
    info.mockClear();
    expect(await t.mutation(internal.webhooks.log.movePayloads, {})).toEqual({ migrated: 0, moved: 0, isDone: true });
    expect(info).not.toHaveBeenCalled();
  });

  test("a full batch schedules the next, with the same size; a smaller one is the last", async () => {
    const t = await newBackend();
    for (let i = 0; i < 3; i += 1) await legacy(t, `msg_${i}`, "failed", "{}");
    expect(await t.mutation(internal.webhooks.log.movePayloads, { batchSize: 2 })).toEqual({
      migrated: 2,
      moved: 2,
      isDone: false,
    });
    const scheduled = await t.run(async (ctx) => await ctx.db.system.query("_scheduled_functions").collect());
    expect(scheduled.map((job) => [job.name, job.args])).toEqual([["webhooks/log:movePayloads", [{ batchSize: 2 }]]]);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await kept(t)).payloads).toEqual(["msg_0", "msg_1", "msg_2"]);
  });

  test("failed rows first, then foreign ones, within one batch", async () => {
    const t = await newBackend();
    await legacy(t, "msg_foreign", "foreign");
    await legacy(t, "msg_failed", "failed", "{}");
    expect(await t.mutation(internal.webhooks.log.movePayloads, { batchSize: 1 })).toMatchObject({
      migrated: 1,
      moved: 1,
    });
    const rows = await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(rows.map((row) => [row.svixId, row.firstFailedAt])).toEqual([
      ["msg_foreign", undefined],
      ["msg_failed", 1_000],
    ]);
  });
});
