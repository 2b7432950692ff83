import { convexTest } from "convex-test";
import { defineSchema, defineTable } from "convex/server";
import { v, type GenericId } from "convex/values";
import { describe, expect, test } from "vitest";
import { modules } from "../../test/convex";
import { countingDb, emptyCounts } from "./countingDb";
import { runBench, SMOKE_CONFIG, type BenchResults } from "./run";

/** The clerkSync component's modules, as register(t, name, modules) takes them, so the bench instruments them too. */
const componentModules = import.meta.glob([
  "../../packages/clerk-sync/src/component/**/*.*s",
  "!../../packages/clerk-sync/src/component/**/*.test.*s",
  "!../../packages/clerk-sync/src/component/**/*.d.ts",
]);

/**
 * A table's figure wherever it is kept: the app's (`users`) or the component's (`clerkSync:users`);
 * the larger when both have one (the app may keep an emptied table of its own for the migration).
 */
function inAnyScope(byTable: Record<string, number>, table: string): number {
  return Math.max(
    0,
    ...Object.entries(byTable)
      .filter(([key]) => key === table || key.endsWith(`:${table}`))
      .map(([, n]) => n),
  );
}

/** The burst's figures of a table, wherever it is kept (the one with the most documents). */
function burstTable<T extends { documents: number }>(byTable: Record<string, T>, table: string): T | undefined {
  return Object.entries(byTable)
    .filter(([key]) => key === table || key.endsWith(`:${table}`))
    .map(([, figures]) => figures)
    .sort((a, b) => b.documents - a.documents)[0];
}

/** A schema of its own for the wrapper's test, whatever Roster's tables become. */
const wrapperSchema = defineSchema({
  users: defineTable({ clerkId: v.string(), firstName: v.union(v.string(), v.null()) }).index("by_clerkId", [
    "clerkId",
  ]),
  tombstones: defineTable({ kind: v.string(), clerkId: v.string() }).index("by_kind_and_clerkId", ["kind", "clerkId"]),
});

describe("the counting wrapper around ctx.db", () => {
  test("counts the documents each kind of read returns, and every write, per table", async () => {
    const t = convexTest(wrapperSchema, { "./wrapper/_generated/server.ts": () => Promise.resolve({}) });
    const counts = emptyCounts();
    const ids: Array<GenericId<"users">> = [];
    await t.run(async (ctx) => {
      const db = countingDb(ctx.db, counts);
      const row = { firstName: null };
      for (const clerkId of ["user_a", "user_b", "user_c"]) ids.push(await db.insert("users", { ...row, clerkId }));
      const [first] = ids;
      if (first === undefined) throw new Error("no insert");
      await db
        .query("users")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "user_b"))
        .unique(); // 1
      await db
        .query("users")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "user_z"))
        .first(); // 0
      await db.query("users").withIndex("by_clerkId").take(2); // 2
      await db.get("users", first); // 1
      await db.patch("users", first, { firstName: "Ada" });
      await db.delete("users", first);
      for await (const _ of db.query("users").withIndex("by_clerkId")) void _; // 2
      await db.query("users").collect(); // 2, a table scan
      await db
        .query("users")
        .withIndex("by_clerkId")
        .filter((q) => q.eq(q.field("firstName"), null))
        .collect(); // 2, filtered
      await db.query("tombstones").withIndex("by_kind_and_clerkId").paginate({ numItems: 5, cursor: null }); // 0
      await db.query("users").first(); // 1 (user_b, the oldest left), one document: not a scan
    });
    expect(counts).toMatchObject({ reads: 11, writes: 5, queries: 9, tableScans: 1, filteredQueries: 1 });
    expect(counts.byTable).toEqual({ users: { reads: 11, writes: 5 }, tombstones: { reads: 0, writes: 0 } });
    // Per document: user_a inserted, patched, deleted, read twice; user_b read by six queries.
    const [a, b, c] = ids.map((id) => counts.byDocument[id]);
    expect(a).toEqual({ table: "users", reads: 2, writes: 3 });
    expect(b).toEqual({ table: "users", reads: 6, writes: 1 });
    expect(c).toEqual({ table: "users", reads: 3, writes: 1 });
  });
});

describe("npm run bench, reduced", () => {
  let results: BenchResults;

  test("runs every part and every check passes", async () => {
    results = await runBench(SMOKE_CONFIG, { app: modules, component: componentModules });
    expect(results.crossCheck).toEqual([]);
    expect(results.checks).toEqual(Object.fromEntries(Object.keys(results.checks).map((name) => [name, true])));
  }, 120_000);

  test("throughput covers the realistic mix, every event answered 200 and applied as expected", () => {
    const { throughput } = results;
    expect(throughput.events).toBe(SMOKE_CONFIG.events);
    expect(throughput.errors).toBe(0);
    expect(throughput.eventsPerSecond).toBeGreaterThan(0);
    expect(throughput.latencyMs.p99).toBeGreaterThanOrEqual(throughput.latencyMs.p50);
    for (const type of [
      "user.created",
      "user.updated",
      "session.created",
      "organization.created",
      "organizationMembership.created",
    ]) {
      expect(throughput.byType[type]?.outcomes, type).toMatchObject({ applied: expect.any(Number) });
    }
    // Every new object costs writes; a redelivery writes only its log row; a late snapshot is stale.
    expect(throughput.byType["user.created"]?.writes.min).toBeGreaterThanOrEqual(2);
    for (const [label, figures] of Object.entries(throughput.byType)) {
      if (label.endsWith("(redelivery)"))
        expect(figures, label).toMatchObject({ outcomes: { duplicate: figures.count }, writes: { max: 1 } });
      if (label.endsWith("(late, older)")) expect(figures.outcomes, label).toEqual({ stale: figures.count });
    }
  });

  test("reads and writes per event are the same over 0 and many existing rows", () => {
    const [empty, full] = results.growth.levels;
    const sizes = full?.tableSizes ?? {};
    expect(inAnyScope(sizes, "users")).toBeGreaterThanOrEqual(SMOKE_CONFIG.growthSizes[1] ?? 0);
    expect(inAnyScope(sizes, "memberships")).toBe(SMOKE_CONFIG.growthSizes[1]);
    expect(inAnyScope(sizes, "tombstones")).toBe(SMOKE_CONFIG.growthSizes[1]);
    for (const [type, figures] of Object.entries(empty?.stream.byType ?? {})) {
      const other = full?.stream.byType[type];
      expect({ reads: other?.reads, writes: other?.writes, queries: other?.queries }, type).toEqual({
        reads: figures.reads,
        writes: figures.writes,
        queries: figures.queries,
      });
    }
  });

  test("an organization's deletion is applied in bounded batches that remove everything", () => {
    for (const run of results.cascade) {
      expect(run.remaining).toEqual({ memberships: 0, activity: 0, teamMembers: 0 });
      expect(run.errors).toEqual([]);
      // Each membership is at least a write; the batches share them out.
      expect(run.mutations).toBeGreaterThan(2);
      expect(run.largestBatch.writes).toBeLessThan(run.members);
    }
    const [small, big] = results.cascade;
    expect(big?.mutations).toBeGreaterThan(small?.mutations ?? Infinity);
  });

  test("a page of members reads a fixed number of documents per member, whatever the organization's size", () => {
    const { rows, fit } = results.query;
    expect(fit.perMember).toBeGreaterThanOrEqual(1);
    for (const row of rows.filter((r) => !r.search)) {
      expect(row.returned).toBe(row.pageSize);
      expect(row.reads).toBe(fit.fixed + fit.perMember * row.pageSize);
    }
    // A search finds the one member it names, for the same per-member cost.
    for (const row of rows.filter((r) => r.search))
      expect(row).toMatchObject({ returned: 1, reads: fit.fixed + fit.perMember });
  });

  test("a burst of membership events for one organization has no hot row, and the members count stays exact", () => {
    const { burst } = results;
    expect(burst.events).toBe(SMOKE_CONFIG.burstEvents);
    expect(burst.outcomes).toEqual({ applied: burst.events });
    expect(burst.organizationRow.writtenBy).toBe(0);
    expect(burst.organizationRow.readBy).toBeGreaterThan(0);
    expect(burst.maxWrittenBy).toBeLessThanOrEqual(burst.writeLimit);
    // The count is written, but spread over its shards.
    const shards = burstTable(burst.byTable, "memberCountShards");
    expect(shards?.documents).toBeGreaterThan(8);
    expect(shards?.maxWrittenBy).toBeGreaterThan(0);
    expect(burst.shared.every((d) => d.table.split(":").pop() !== "memberships")).toBe(true);
    expect(burst.membersCount.memberships).toBeGreaterThan(0);
    expect(burst.membersCount.shown).toBe(burst.membersCount.memberships);
  });

  test("every event's reads and writes are split between Roster and the component, none lost", () => {
    for (const [label, f] of Object.entries(results.throughput.byType)) {
      const sum = (x: number, y: number) => Math.round((x + y) * 100) / 100;
      expect(
        { reads: sum(f.app.reads, f.component.reads), writes: sum(f.app.writes, f.component.writes) },
        label,
      ).toEqual({
        reads: f.reads.mean,
        writes: f.writes.mean,
      });
      // A webhook is at most one mutation into the component, and runs in one transaction.
      expect(f.boundary.toComponentMutations.max, label).toBeLessThanOrEqual(1);
      expect(f.transactions.max, label).toBe(1);
      // The projection's rows are Roster's own.
      expect(f.projection.writes, label).toBeLessThanOrEqual(f.app.writes);
    }
  });

  test("every Roster query answers, within two calls into the component", () => {
    expect(results.queries.map((q) => [q.name, q.error])).toEqual(results.queries.map((q) => [q.name, null]));
    for (const q of results.queries) expect(q.componentCalls, q.name).toBeLessThanOrEqual(2);
    expect(results.queries.map((q) => q.name)).toContain("organizations:members (page 10)");
  });

  test("the plain upsert gets the same users' events: one transaction and at most one write each, no boundary", () => {
    const { plain, throughput } = results;
    const userEvents = Object.entries(throughput.byType)
      .filter(([label]) => label.startsWith("user."))
      .reduce((n, [, f]) => n + f.count, 0);
    expect(plain.events).toBe(userEvents);
    for (const [label, f] of Object.entries(plain.byType)) {
      expect(f.transactions, label).toEqual({ min: 1, mean: 1, max: 1 });
      expect(f.writes.max, label).toBe(1);
      expect(f.reads.max, label).toBeLessThanOrEqual(1);
      expect(f.boundaryCalls.max, label).toBe(0);
      expect(Object.keys(f.outcomes), label).toEqual(["applied"]);
    }
  });
});
