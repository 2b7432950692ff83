import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  HOUR,
  ORG,
  ORG_DOMAIN,
  ORG_INVITATION,
  SESSION,
  T0,
  organizationDeleted,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  sessionEvent,
  userDeleted,
  userEvent,
} from "../../../../../test/clerkEvents.js";
import { deliver, hookCalls, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import type { Id } from "../_generated/dataModel.js";
import {
  anyParentDeleted,
  deleteSynced,
  findTombstone,
  isFinal,
  keepsOut,
  parentGone,
  tombstoneOf,
  upsertSynced,
  writeSynced,
} from "./sync.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function userRow(t: Backend, clerkId = ADA) {
  return await t.run(
    async (ctx) =>
      await ctx.db
        .query("users")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId))
        .unique(),
  );
}

async function tombstone(t: Backend, kind: string, clerkId: string) {
  return await t.run(
    async (ctx) =>
      await ctx.db
        .query("tombstones")
        .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", kind).eq("clerkId", clerkId))
        .unique(),
  );
}

// Clerk stamps the envelope when it sends; `updated_at` is when the object changed. A snapshot
// retried by Svix arrives with an old `updated_at` and a new envelope `timestamp`.
describe("an event's version is the data's updated_at, not the envelope's timestamp", () => {
  test("an older snapshot sent later (newer envelope timestamp) is stale and changes nothing", async () => {
    const t = await newBackend();
    const newer = userEvent(
      "user.updated",
      { first_name: "Newer", updated_at: T0 + 2 * HOUR },
      { timestamp: T0 + 2 * HOUR },
    );
    const older = userEvent(
      "user.updated",
      { first_name: "Older", updated_at: T0 + HOUR },
      { timestamp: T0 + 3 * HOUR },
    );
    expect(await deliver(t, newer)).toEqual({ status: 200, outcome: "applied" });
    expect(await deliver(t, older)).toEqual({ status: 200, outcome: "stale" });
    expect(await userRow(t)).toMatchObject({ firstName: "Newer", clerkVersion: T0 + 2 * HOUR });
  });

  test("a newer snapshot stamped with an older envelope timestamp still wins", async () => {
    const t = await newBackend();
    const first = userEvent(
      "user.updated",
      { first_name: "First", updated_at: T0 + HOUR },
      { timestamp: T0 + 5 * HOUR },
    );
    const second = userEvent("user.updated", { first_name: "Second", updated_at: T0 + 2 * HOUR }, { timestamp: T0 });
    expect(await deliver(t, first)).toEqual({ status: 200, outcome: "applied" });
    expect(await deliver(t, second)).toEqual({ status: 200, outcome: "applied" });
    // The row keeps the data's version, never the envelope's.
    expect(await userRow(t)).toMatchObject({ firstName: "Second", clerkVersion: T0 + 2 * HOUR });
  });

  test("the same for a child object: a session's version is its updated_at", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    const ended = sessionEvent("session.ended", { updated_at: T0 + 2 * HOUR }, { timestamp: T0 + 2 * HOUR });
    const lateActive = sessionEvent("session.created", { updated_at: T0 + HOUR }, { timestamp: T0 + 4 * HOUR });
    expect(await deliver(t, ended)).toEqual({ status: 200, outcome: "applied" });
    expect(await deliver(t, lateActive)).toEqual({ status: 200, outcome: "stale" });
    const session = await t.run(async (ctx) => await ctx.db.query("sessions").unique());
    expect(session).toMatchObject({ clerkId: SESSION, status: "ended", clerkVersion: T0 + 2 * HOUR });
  });

  test("a delete (no updated_at) takes the envelope's timestamp as its version", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    expect(await deliver(t, userDeleted(ADA, T0 + 7 * HOUR))).toEqual({ status: 200, outcome: "applied" });
    expect(await tombstone(t, "user", ADA)).toMatchObject({ deletedAt: T0 + 7 * HOUR });
  });

  test("an event with neither takes the time it arrived", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    const { timestamp: _dropped, ...withoutTimestamp } = userDeleted(ADA);
    const before = Date.now();
    expect(await deliver(t, withoutTimestamp)).toEqual({ status: 200, outcome: "applied" });
    const deletedAt = (await tombstone(t, "user", ADA))?.deletedAt;
    expect(deletedAt).toBeGreaterThanOrEqual(before);
    expect(deletedAt).toBeLessThanOrEqual(Date.now());
  });
});

// After a parent's delete, a child event (created late, or retried) must not bring the child back.
describe("a child event after its parent's delete is stale and writes no child", () => {
  test("organizationDomain.created after organization.deleted", async () => {
    const t = await newBackend();
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, organizationDeleted(ORG, T0 + HOUR));
    expect(await deliver(t, organizationDomainEvent("organizationDomain.created"))).toEqual({
      status: 200,
      outcome: "stale",
    });
    expect(await t.run(async (ctx) => await ctx.db.query("organizationDomains").collect())).toEqual([]);
    const log = await t.run(async (ctx) => await ctx.db.query("webhookEvents").order("desc").first());
    expect(log).toMatchObject({ type: "organizationDomain.created", outcome: "stale", clerkIds: [ORG_DOMAIN, ORG] });
  });

  test("organizationInvitation.created after organization.deleted", async () => {
    const t = await newBackend({}, { hook: "record" });
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, organizationDeleted(ORG, T0 + HOUR));
    const invitation = organizationInvitationEvent("organizationInvitation.created");
    expect(await deliver(t, invitation)).toEqual({ status: 200, outcome: "stale" });
    expect(await t.run(async (ctx) => await ctx.db.query("organizationInvitations").collect())).toEqual([]);
    // Nothing for the app's hook either (an app's "invitation sent" entry follows its create).
    expect((await hookCalls(t)).filter((change) => change.table === "organizationInvitations")).toEqual([]);
    const log = await t.run(async (ctx) => await ctx.db.query("webhookEvents").order("desc").first());
    expect(log).toMatchObject({ outcome: "stale", clerkIds: [ORG_INVITATION, ORG] });
  });

  test("session.created after user.deleted", async () => {
    const t = await newBackend();
    await deliver(t, userEvent("user.created"));
    await deliver(t, userDeleted(ADA, T0 + HOUR));
    expect(await deliver(t, sessionEvent("session.created", { updated_at: T0 + 2 * HOUR }))).toEqual({
      status: 200,
      outcome: "stale",
    });
    expect(await t.run(async (ctx) => await ctx.db.query("sessions").collect())).toEqual([]);
  });

  test("a child of a parent that lives is applied (the check looks at the right parent)", async () => {
    const t = await newBackend();
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, organizationDeleted("org_someone_else", T0 + HOUR));
    await deliver(t, userDeleted("user_someone_else", T0 + HOUR));
    await deliver(t, userEvent("user.created"));
    expect(await deliver(t, organizationDomainEvent("organizationDomain.created"))).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await deliver(t, organizationInvitationEvent("organizationInvitation.created"))).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await deliver(t, sessionEvent("session.created"))).toEqual({ status: 200, outcome: "applied" });
  });
});

describe("the sync helpers", () => {
  test("anyParentDeleted is true when any one of several parents is deleted, false for none", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: T0 });
      const user = { kind: "user", clerkId: ADA } as const;
      const org = { kind: "organization", clerkId: ORG } as const;
      expect(await anyParentDeleted(ctx, [])).toBe(false);
      expect(await anyParentDeleted(ctx, [user])).toBe(false);
      expect(await anyParentDeleted(ctx, [user, org])).toBe(true);
      expect(await anyParentDeleted(ctx, [org, user])).toBe(true);
      // The kind counts: a user tombstone with the organization's id is another object.
      expect(await anyParentDeleted(ctx, [{ kind: "user", clerkId: ORG } as const])).toBe(false);
    });
  });

  test("upsertSynced: a snapshot of the same version is written again, an older one is stale", async () => {
    const t = await newBackend();
    const session = (status: string) => ({ userId: ADA, status, lastActiveAt: null });
    await t.run(async (ctx) => {
      expect(await upsertSynced(ctx, "sessions", "session", SESSION, T0, session("active"))).toBe("applied");
      expect(await upsertSynced(ctx, "sessions", "session", SESSION, T0, session("pending"))).toBe("applied");
      expect(await upsertSynced(ctx, "sessions", "session", SESSION, T0 - 1, session("ended"))).toBe("stale");
      const rows = await ctx.db.query("sessions").collect();
      expect(rows.map((row) => [row.clerkId, row.status, row.clerkVersion])).toEqual([[SESSION, "pending", T0]]);
    });
  });

  test("deleteSynced leaves a tombstone at the delete's version; a second delete and a later snapshot are stale", async () => {
    const t = await newBackend();
    const fields = { userId: ADA, status: "active", lastActiveAt: null };
    await t.run(async (ctx) => {
      await upsertSynced(ctx, "sessions", "session", SESSION, T0, fields);
      const first = await deleteSynced(ctx, "sessions", "session", SESSION, T0 + HOUR);
      expect(first.result).toBe("applied");
      expect(first.removed).toMatchObject({ clerkId: SESSION, status: "active" });
      expect(await deleteSynced(ctx, "sessions", "session", SESSION, T0 + 2 * HOUR)).toEqual({
        result: "stale",
        removed: null,
      });
      expect(await upsertSynced(ctx, "sessions", "session", SESSION, T0 + 3 * HOUR, fields)).toBe("stale");
      expect(await ctx.db.query("sessions").collect()).toEqual([]);
      const tombstones = await ctx.db.query("tombstones").collect();
      expect(tombstones.map((row) => [row.kind, row.clerkId, row.deletedAt])).toEqual([
        ["session", SESSION, T0 + HOUR],
      ]);
    });
  });

  test("deleteSynced of an object never seen still leaves a tombstone, so its late create is stale", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      expect(await deleteSynced(ctx, "users", "user", ADA, T0)).toEqual({ result: "applied", removed: null });
    });
    expect(await deliver(t, userEvent("user.created"))).toEqual({ status: 200, outcome: "stale" });
    expect(await userRow(t)).toBeNull();
  });
});

// A reconcile's removal is inferred: it keeps the removed row's version (invariant 3).
describe("what a reconcile removed (a provisional tombstone)", () => {
  const fields = { userId: ADA, status: "active", lastActiveAt: null };
  const removedAt = (deletedAt: number, provisional = true) => ({
    _id: "" as Id<"tombstones">,
    _creationTime: 0,
    kind: "session",
    clerkId: SESSION,
    deletedAt,
    provisional,
  });

  test.each([
    ["no tombstone", null, T0, "webhook", false],
    ["Clerk's delete, a newer webhook snapshot", removedAt(T0, false), T0 + 1, "webhook", true],
    ["Clerk's delete, a fresh read", removedAt(T0, false), T0 + 1, "clerkRead", true],
    ["a reconcile's, an older webhook snapshot", removedAt(T0), T0 - 1, "webhook", true],
    ["a reconcile's, a webhook snapshot of the removed version", removedAt(T0), T0, "webhook", true],
    ["a reconcile's, a strictly newer webhook snapshot", removedAt(T0), T0 + 1, "webhook", false],
    ["a reconcile's, an older fresh read", removedAt(T0), T0 - 1, "clerkRead", false],
  ] as const)("keepsOut: %s → %s", (_, tombstone, version, source, expected) => {
    expect(keepsOut(tombstone, version, source)).toBe(expected);
  });

  async function removed(t: Backend) {
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "session", clerkId: SESSION, deletedAt: T0, provisional: true });
    });
  }
  const state = (t: Backend) =>
    t.run(async (ctx) => ({
      rows: (await ctx.db.query("sessions").collect()).map((row) => [row.status, row.clerkVersion]),
      tombstones: (await ctx.db.query("tombstones").collect()).length,
    }));

  test("writeSynced: a webhook snapshot no newer than the removed row writes nothing", async () => {
    const t = await newBackend();
    await removed(t);
    const write = (version: number) =>
      t.run(async (ctx) => await writeSynced(ctx, "sessions", "session", SESSION, version, fields));
    expect(await write(T0)).toEqual({ result: "stale", changed: false });
    expect(await write(T0 - 1)).toEqual({ result: "stale", changed: false });
    expect(await state(t)).toEqual({ rows: [], tombstones: 1 });
  });

  test("writeSynced: a strictly newer webhook snapshot brings the row back and drops the tombstone", async () => {
    const t = await newBackend();
    await removed(t);
    expect(await t.run(async (ctx) => await writeSynced(ctx, "sessions", "session", SESSION, T0 + 1, fields))).toEqual({
      result: "applied",
      changed: true,
    });
    expect(await state(t)).toEqual({ rows: [["active", T0 + 1]], tombstones: 0 });
  });

  test("writeSynced and upsertSynced: a fresh read from Clerk brings the row back at any version", async () => {
    const t = await newBackend();
    await removed(t);
    expect(
      await t.run(async (ctx) =>
        writeSynced(ctx, "sessions", "session", SESSION, T0 - 1, fields, { source: "clerkRead" }),
      ),
    ).toEqual({ result: "applied", changed: true });
    expect(await state(t)).toEqual({ rows: [["active", T0 - 1]], tombstones: 0 });

    const other = await newBackend();
    await removed(other);
    expect(
      await other.run(async (ctx) => upsertSynced(ctx, "sessions", "session", SESSION, T0, fields, "clerkRead")),
    ).toBe("applied");
    expect(await state(other)).toEqual({ rows: [["active", T0]], tombstones: 0 });
  });

  test("writeSynced: beside a live row (restored before tombstones went with it) the row's version decides", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("sessions", { clerkId: SESSION, clerkVersion: T0 - 10, ...fields });
      await ctx.db.insert("tombstones", { kind: "session", clerkId: SESSION, deletedAt: T0, provisional: true });
    });
    const write = (version: number, status: string) =>
      t.run(async (ctx) => await writeSynced(ctx, "sessions", "session", SESSION, version, { ...fields, status }));
    // The same snapshot as the row: nothing written, the tombstone left alone.
    expect(await write(T0 - 10, "active")).toEqual({ result: "applied", changed: false });
    expect(await state(t)).toEqual({ rows: [["active", T0 - 10]], tombstones: 1 });
    // Newer than the row (though not than the removal): written, and the stray tombstone goes.
    expect(await write(T0 - 5, "ended")).toEqual({ result: "applied", changed: true });
    expect(await state(t)).toEqual({ rows: [["ended", T0 - 5]], tombstones: 0 });
  });

  test("writeSynced trusts the tombstone its caller read, and reads it when given none", async () => {
    const t = await newBackend();
    await removed(t);
    // Given `null` (the caller found none), it writes without looking again.
    expect(
      await t.run(async (ctx) => writeSynced(ctx, "sessions", "session", SESSION, T0, fields, { tombstone: null })),
    ).toEqual({ result: "applied", changed: true });
    // Given Clerk's delete, it writes nothing, whatever the table holds.
    const other = await newBackend();
    expect(
      await other.run(async (ctx) =>
        writeSynced(ctx, "sessions", "session", SESSION, T0 + 1, fields, { tombstone: removedAt(T0, false) }),
      ),
    ).toEqual({ result: "stale", changed: false });
    expect(await state(other)).toEqual({ rows: [], tombstones: 0 });
  });

  test("Clerk's delete is final whatever the table holds: a row beside it is never written again", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("sessions", { clerkId: SESSION, clerkVersion: T0 - 10, ...fields });
      await ctx.db.insert("tombstones", { kind: "session", clerkId: SESSION, deletedAt: T0 - 20 });
      expect(await writeSynced(ctx, "sessions", "session", SESSION, T0, fields, { source: "clerkRead" })).toEqual({
        result: "stale",
        changed: false,
      });
    });
    expect(await state(t)).toEqual({ rows: [["active", T0 - 10]], tombstones: 1 });
  });

  test("deleteSynced makes a provisional tombstone final, at the delete's version", async () => {
    const t = await newBackend();
    await removed(t);
    await t.run(async (ctx) => {
      expect(await deleteSynced(ctx, "sessions", "session", SESSION, T0 + HOUR)).toEqual({
        result: "applied",
        removed: null,
      });
      expect(await writeSynced(ctx, "sessions", "session", SESSION, T0 + 2 * HOUR, fields)).toEqual({
        result: "stale",
        changed: false,
      });
    });
    const tombstones = await t.run(async (ctx) => await ctx.db.query("tombstones").collect());
    expect(tombstones.map((row) => [row.deletedAt, row.provisional])).toEqual([[T0 + HOUR, undefined]]);
  });

  test("a parent a reconcile removed: its webhook children wait until it is back; a fresh read does not", async () => {
    const t = await newBackend();
    const user = { kind: "user", clerkId: ADA } as const;
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "user", clerkId: ADA, deletedAt: T0, provisional: true });
      expect(await anyParentDeleted(ctx, [user])).toBe(true);
      const tombstone = await tombstoneOf(ctx, "user", ADA);
      expect(await parentGone(ctx, tombstone, user, "webhook")).toBe(true);
      expect(await parentGone(ctx, tombstone, user, "clerkRead")).toBe(false);
      expect(await parentGone(ctx, null, user, "webhook")).toBe(false);
      expect(await parentGone(ctx, { ...tombstone!, provisional: false }, user, "clerkRead")).toBe(true);
    });
    await deliver(t, userEvent("user.updated", { updated_at: T0 + 1 }));
    await t.run(async (ctx) => {
      expect(await anyParentDeleted(ctx, [user])).toBe(false);
      // A stray provisional tombstone beside the parent's row says nothing.
      await ctx.db.insert("tombstones", { kind: "user", clerkId: ADA, deletedAt: T0 + 5, provisional: true });
      expect(await anyParentDeleted(ctx, [user])).toBe(false);
    });
  });

  test("findTombstone sees only Clerk's own deletes; tombstoneOf sees both", async () => {
    const t = await newBackend();
    await removed(t);
    await t.run(async (ctx) => {
      expect(await findTombstone(ctx, "session", SESSION)).toBeNull();
      expect(await tombstoneOf(ctx, "session", SESSION)).toMatchObject({ provisional: true });
      expect(isFinal(null)).toBe(false);
    });
  });
});
