import { convexTest } from "convex-test";
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import schema from "../schema.js";
import { cursorOf, indexKeyFields, pageAfter, type Page, type PageRequest } from "./cursor.js";

const modules = import.meta.glob(["../**/*.*s", "!../**/*.test.*s"]);

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Every page of a list, read with `numItems` a page until it says it is done. */
async function allPages<T extends "tombstones" | "webhookEvents">(
  ctx: MutationCtx,
  request: Omit<PageRequest<T>, "cursor">,
): Promise<Array<Array<Doc<T>>>> {
  const pages: Array<Array<Doc<T>>> = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const { page, continueCursor, isDone }: Page<Doc<T>> = await pageAfter(ctx.db, { ...request, cursor });
    expect(page.length).toBeLessThanOrEqual(request.numItems);
    pages.push(page);
    if (isDone) return pages;
    expect(continueCursor).not.toBeNull();
    cursor = continueCursor;
  }
  throw new Error("the list never said it was done");
}

const ids = (rows: Array<{ _id: string }>) => rows.map((row) => row._id);

function logRow(receivedAt: number, extra: Partial<Doc<"webhookEvents">> = {}) {
  return {
    svixId: `msg_${receivedAt}_${Math.random()}`,
    type: "user.updated",
    clerkIds: [],
    timestamp: null,
    receivedAt,
    outcome: "failed" as const,
    attempts: 1,
    ...extra,
  };
}

describe("pageAfter (explicit cursors)", () => {
  test.each([
    { seed: 1, order: "asc" as const },
    { seed: 2, order: "desc" as const },
    { seed: 3, order: "asc" as const },
    { seed: 4, order: "desc" as const },
  ])("reads every row of an index range once, in index order, whatever the page size (seed $seed, $order)", async ({ seed, order }) => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      const next = random(seed);
      // Few distinct ids: many rows share a key, so pages end inside runs of equal fields.
      for (let i = 0; i < 60; i++)
        await ctx.db.insert("tombstones", {
          kind: next() < 0.5 ? "user" : "organization",
          clerkId: `id_${Math.floor(next() * 6)}`,
          deletedAt: i,
        });
      const expected = await ctx.db
        .query("tombstones")
        .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", "user").lt("clerkId", "id_4"))
        .order(order)
        .collect();
      expect(expected.length).toBeGreaterThan(5);
      for (const numItems of [1, 2, 3, 7, expected.length, expected.length + 1]) {
        const pages = await allPages(ctx, {
          table: "tombstones",
          index: "by_kind_and_clerkId",
          prefix: ["user"],
          range: { lt: "id_4" },
          order,
          numItems,
        });
        expect(ids(pages.flat())).toEqual(ids(expected));
        // Full pages until the last, which says it is done (empty when the rows filled the one before).
        for (const page of pages.slice(0, -1)) expect(page).toHaveLength(numItems);
      }
      // The whole table, no prefix, and the table in insertion order.
      const everyRow = await ctx.db.query("tombstones").withIndex("by_kind_and_clerkId").order(order).collect();
      const pages = await allPages(ctx, { table: "tombstones", index: "by_kind_and_clerkId", order, numItems: 4 });
      expect(ids(pages.flat())).toEqual(ids(everyRow));
      const inserted = await ctx.db.query("tombstones").order(order).collect();
      const byTime = await allPages(ctx, { table: "tombstones", index: "by_creation_time", order, numItems: 9 });
      expect(ids(byTime.flat())).toEqual(ids(inserted));
    });
  });

  test("a lower bound holds too (ascending from it, descending down to it)", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let i = 0; i < 20; i++) await ctx.db.insert("webhookEvents", logRow(i % 7));
      for (const order of ["asc", "desc"] as const) {
        const expected = await ctx.db
          .query("webhookEvents")
          .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed").gt("receivedAt", 2).lt("receivedAt", 6))
          .order(order)
          .collect();
        const pages = await allPages(ctx, {
          table: "webhookEvents",
          index: "by_outcome_and_receivedAt",
          prefix: ["failed"],
          range: { gt: 2, lt: 6 },
          order,
          numItems: 2,
        });
        expect(ids(pages.flat())).toEqual(ids(expected));
      }
    });
  });

  test("rows without the paged field (undefined, first in an index) page like any other value", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let i = 0; i < 5; i++) await ctx.db.insert("webhookEvents", logRow(i));
      for (let i = 0; i < 5; i++) await ctx.db.insert("webhookEvents", logRow(i, { firstFailedAt: i % 2 }));
      const expected = await ctx.db
        .query("webhookEvents")
        .withIndex("by_outcome_and_firstFailedAt", (q) => q.eq("outcome", "failed"))
        .collect();
      const pages = await allPages(ctx, {
        table: "webhookEvents",
        index: "by_outcome_and_firstFailedAt",
        prefix: ["failed"],
        numItems: 3,
      });
      expect(ids(pages.flat())).toEqual(ids(expected));
      expect(pages[1]?.[0]?.firstFailedAt).toBeUndefined(); // the cursor after page 1 held an undefined
    });
  });

  test("continues after the row seen: rows written meanwhile show in their place, none twice", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (const clerkId of ["b", "d", "f"]) await ctx.db.insert("tombstones", { kind: "user", clerkId, deletedAt: 0 });
      const request = { table: "tombstones", index: "by_kind_and_clerkId", prefix: ["user"], numItems: 2 } as const;
      const first = await pageAfter(ctx.db, { ...request, cursor: null });
      expect(first.page.map((row) => row.clerkId)).toEqual(["b", "d"]);
      // Behind the cursor (not shown), a twin of the last row seen (shown: it sorts after it), and ahead.
      for (const clerkId of ["a", "d", "e"]) await ctx.db.insert("tombstones", { kind: "user", clerkId, deletedAt: 1 });
      const second = await pageAfter(ctx.db, { ...request, cursor: first.continueCursor });
      expect(second.page.map((row) => [row.clerkId, row.deletedAt])).toEqual([
        ["d", 1],
        ["e", 1],
      ]);
      const third = await pageAfter(ctx.db, { ...request, cursor: second.continueCursor });
      expect(third.page.map((row) => row.clerkId)).toEqual(["f"]);
      expect(third.isDone).toBe(true);
      // Done, the cursor still marks the end: passing it again reads nothing new.
      const after = await pageAfter(ctx.db, { ...request, cursor: third.continueCursor });
      expect(after).toEqual({ page: [], continueCursor: third.continueCursor, isDone: true });
    });
  });

  test("an empty list is done at once, its cursor still the start", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      const page = await pageAfter(ctx.db, { table: "tombstones", index: "by_kind_and_clerkId", cursor: null, numItems: 5 });
      expect(page).toEqual({ page: [], continueCursor: null, isDone: true });
    });
  });

  test("a cursor that is not this list's is refused with INVALID_CURSOR, not read from", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      const row = await ctx.db.get(
        "tombstones",
        await ctx.db.insert("tombstones", { kind: "user", clerkId: "user_1", deletedAt: 0 }),
      );
      if (row === null) throw new Error("inserted row missing");
      const fields = indexKeyFields("tombstones", "by_kind_and_clerkId");
      const request = { table: "tombstones", index: "by_kind_and_clerkId", prefix: ["user"], numItems: 5 } as const;
      const refused = async (cursor: string) =>
        await pageAfter(ctx.db, { ...request, cursor }).then(
          () => null,
          (error: unknown) => error,
        );
      for (const cursor of [
        "not json",
        "[]",
        JSON.stringify({ index: "by_kind_and_clerkId", key: ["user"] }),
        JSON.stringify({ index: "by_kind_and_clerkId", key: [["user"], [{ $bad: 1 }], [0], ["x"]] }),
        cursorOf("by_creation_time", indexKeyFields("tombstones", "by_creation_time"), row),
        cursorOf("by_kind_and_clerkId", fields, { ...row, kind: "organization" }),
      ]) {
        const error = await refused(cursor);
        expect(error, cursor).toBeInstanceOf(ConvexError);
        expect((error as ConvexError<{ code: string }>).data.code).toBe("INVALID_CURSOR");
      }
      expect(await refused(cursorOf("by_kind_and_clerkId", fields, row))).toBeNull();
    });
  });

  test("knows each index's fields from the schema, and refuses an unknown index or a too long prefix", () => {
    expect(indexKeyFields("memberships", "by_organization_and_user")).toEqual([
      "organizationId",
      "userId",
      "_creationTime",
      "_id",
    ]);
    expect(indexKeyFields("webhookEvents", "by_creation_time")).toEqual(["_creationTime", "_id"]);
    expect(() => indexKeyFields("memberships", "by_nothing")).toThrow("memberships has no index by_nothing");
  });

  test("a prefix longer than the index's own fields is a bug, said as one", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      await expect(
        pageAfter(ctx.db, { table: "tombstones", index: "by_kind_and_clerkId", prefix: ["user", "x", 1], cursor: null, numItems: 1 }),
      ).rejects.toThrow("too long");
    });
  });
});
