import { convexTest } from "convex-test";
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import schema from "../schema.js";
import { eventLogPage } from "../model/eventLog.js";
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

/** Every page of a list (after `from`), read with `numItems` a page until it says it is done. */
async function allPages<T extends "tombstones" | "webhookEvents">(
  ctx: MutationCtx,
  request: Omit<PageRequest<T>, "cursor">,
  from: string | null = null,
): Promise<Array<Array<Doc<T>>>> {
  const pages: Array<Array<Doc<T>>> = [];
  let cursor: string | null = from;
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
  ])(
    "reads every row of an index range once, in index order, whatever the page size (seed $seed, $order)",
    async ({ seed, order }) => {
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
    },
  );

  test("a lower bound holds too (ascending from it, descending down to it)", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let i = 0; i < 20; i++) await ctx.db.insert("webhookEvents", logRow(i % 7));
      for (const order of ["asc", "desc"] as const) {
        const expected = await ctx.db
          .query("webhookEvents")
          .withIndex("by_outcome_and_receivedAt", (q) =>
            q.eq("outcome", "failed").gt("receivedAt", 2).lt("receivedAt", 6),
          )
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

  describe("with an end cursor (a loaded page re-read once a later page continues from it)", () => {
    test.each([
      { seed: 5, order: "asc" as const, numItems: 3 },
      { seed: 6, order: "desc" as const, numItems: 3 },
      { seed: 7, order: "asc" as const, numItems: 1 },
      { seed: 8, order: "desc" as const, numItems: 5 },
    ])(
      "pages pinned to their old ends stay gapless: every row once, in order, after inserts and deletes anywhere (seed $seed, $order)",
      async ({ seed, order, numItems }) => {
        const t = convexTest(schema, modules);
        await t.run(async (ctx) => {
          const next = random(seed);
          const insert = async () =>
            await ctx.db.insert("tombstones", {
              kind: next() < 0.7 ? "user" : "organization",
              clerkId: `id_${Math.floor(next() * 5)}`,
              deletedAt: 0,
            });
          for (let i = 0; i < 30; i++) await insert();
          const request = {
            table: "tombstones",
            index: "by_kind_and_clerkId",
            prefix: ["user"],
            range: { lt: "id_4" },
            order,
            numItems,
          } as const;
          // Load every page, remembering where each began and ended.
          const bounds: Array<{ cursor: string | null; end: string | null }> = [];
          let cursor: string | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const page: Page<Doc<"tombstones">> = await pageAfter(ctx.db, { ...request, cursor });
            bounds.push({ cursor, end: page.continueCursor });
            if (page.isDone) break;
            cursor = page.continueCursor;
          }
          expect(bounds.length).toBeGreaterThan(3);
          // Rows come and go anywhere: before the first page, inside pages, at their very ends.
          for (let i = 0; i < 15; i++) await insert();
          for (const row of await ctx.db.query("tombstones").collect())
            if (next() < 0.2) await ctx.db.delete("tombstones", row._id);
          // The loaded pages re-read as usePaginatedQuery re-reads them: each but the last up to its old end.
          const seen: Array<Doc<"tombstones">> = [];
          let rest: string | null = null;
          for (const [i, { cursor: from, end }] of bounds.entries()) {
            const last = i === bounds.length - 1;
            const page = await pageAfter(ctx.db, { ...request, cursor: from, ...(last ? {} : { endCursor: end }) });
            if (!last) expect(page.continueCursor).toBe(end);
            seen.push(...page.page);
            rest = page.isDone ? null : page.continueCursor;
          }
          // The last page is numItems long: rows inserted past it are the next "Load more".
          if (rest !== null) seen.push(...(await allPages(ctx, request, rest)).flat());
          const expected = await ctx.db
            .query("tombstones")
            .withIndex("by_kind_and_clerkId", (q) => q.eq("kind", "user").lt("clerkId", "id_4"))
            .order(order)
            .collect();
          expect(ids(seen)).toEqual(ids(expected));
        });
      },
    );

    test("ends at the end's position even when its row is gone; a null end is numItems", async () => {
      const t = convexTest(schema, modules);
      await t.run(async (ctx) => {
        for (const clerkId of ["a", "b", "c", "d"])
          await ctx.db.insert("tombstones", { kind: "user", clerkId, deletedAt: 0 });
        const request = { table: "tombstones", index: "by_kind_and_clerkId", prefix: ["user"], numItems: 2 } as const;
        const first = await pageAfter(ctx.db, { ...request, cursor: null });
        const [, endRow] = first.page;
        if (endRow === undefined) throw new Error("page 1 is short");
        await ctx.db.delete("tombstones", endRow._id);
        await ctx.db.insert("tombstones", { kind: "user", clerkId: "a", deletedAt: 1 });
        const pinned = await pageAfter(ctx.db, { ...request, cursor: null, endCursor: first.continueCursor });
        expect(pinned.page.map((row) => [row.clerkId, row.deletedAt])).toEqual([
          ["a", 0],
          ["a", 1],
        ]);
        expect(pinned).toMatchObject({ continueCursor: first.continueCursor, isDone: false });
        const open = await pageAfter(ctx.db, { ...request, cursor: null, endCursor: null });
        expect(open.page).toHaveLength(2);
        // Nothing past the end: the pinned page is the whole list.
        const all = await pageAfter(ctx.db, { ...request, numItems: 10, cursor: null });
        const whole = await pageAfter(ctx.db, { ...request, cursor: null, endCursor: all.continueCursor });
        expect(whole).toMatchObject({ isDone: true, continueCursor: all.continueCursor });
        expect(ids(whole.page)).toEqual(ids(all.page));
      });
    });

    test("more rows than maxRows between the cursors is INVALID_CURSOR (the list starts over), never a page with a gap", async () => {
      const t = convexTest(schema, modules);
      await t.run(async (ctx) => {
        for (let i = 0; i < 3; i++) await ctx.db.insert("webhookEvents", logRow(i));
        const request = { table: "webhookEvents", index: "by_creation_time", order: "desc", numItems: 2 } as const;
        const first = await pageAfter(ctx.db, { ...request, cursor: null });
        for (let i = 0; i < 3; i++) await ctx.db.insert("webhookEvents", logRow(10 + i));
        // 5 rows now lie up to page 1's end.
        const five = await pageAfter(ctx.db, { ...request, cursor: null, endCursor: first.continueCursor, maxRows: 5 });
        expect(five.page).toHaveLength(5);
        const error = await pageAfter(ctx.db, {
          ...request,
          cursor: null,
          endCursor: first.continueCursor,
          maxRows: 4,
        }).then(
          () => null,
          (e: unknown) => e,
        );
        expect((error as ConvexError<{ code: string }>).data.code).toBe("INVALID_CURSOR");
        expect((error as Error).message).toContain("more than 4 rows now lie between it and its end cursor");
        // An end cursor of another list is refused as a cursor is.
        const other = cursorOf("by_kind_and_clerkId", indexKeyFields("tombstones", "by_kind_and_clerkId"), {
          kind: "user",
          clerkId: "x",
          _creationTime: 1,
          _id: "x",
        });
        await expect(pageAfter(ctx.db, { ...request, cursor: null, endCursor: other })).rejects.toThrow(
          "InvalidCursor",
        );
      });
    });
  });

  test.each(["asc", "desc"] as const)(
    "re-read up to their ends within both bounds, pages stay gapless (%s)",
    async (order) => {
      const t = convexTest(schema, modules);
      await t.run(async (ctx) => {
        for (let i = 0; i < 24; i++) await ctx.db.insert("webhookEvents", logRow(i % 12));
        const request = {
          table: "webhookEvents",
          index: "by_outcome_and_receivedAt",
          prefix: ["failed"],
          range: { gt: 2, lt: 9 },
          order,
          numItems: 3,
        } as const;
        const ends: string[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const page: Page<Doc<"webhookEvents">> = await pageAfter(ctx.db, { ...request, cursor });
          if (page.isDone) break;
          ends.push(page.continueCursor!);
          cursor = page.continueCursor;
        }
        expect(ends.length).toBeGreaterThan(2);
        // Rows outside the bounds and inside them, then the loaded pages re-read up to their ends.
        for (const at of [0, 2, 3, 5, 8, 9, 11]) await ctx.db.insert("webhookEvents", logRow(at));
        const seen: Array<Doc<"webhookEvents">> = [];
        let from: string | null = null;
        for (const end of ends) {
          const page = await pageAfter(ctx.db, { ...request, cursor: from, endCursor: end });
          seen.push(...page.page);
          from = end;
        }
        seen.push(...(await allPages(ctx, request, from)).flat());
        const expected = await ctx.db
          .query("webhookEvents")
          .withIndex("by_outcome_and_receivedAt", (q) =>
            q.eq("outcome", "failed").gt("receivedAt", 2).lt("receivedAt", 9),
          )
          .order(order)
          .collect();
        expect(ids(seen)).toEqual(ids(expected));
      });
    },
  );

  test("stops asking once the page is full: the rows equal but for the id (none), then those past its time", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let i = 0; i < 6; i++) await ctx.db.insert("tombstones", { kind: "user", clerkId: "same", deletedAt: i });
      const request = { table: "tombstones", index: "by_kind_and_clerkId", numItems: 2 } as const;
      const first = await pageAfter(ctx.db, { ...request, cursor: null });
      let queries = 0;
      const db = new Proxy(ctx.db, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop === "query") queries += 1;
          return typeof value === "function" ? (value as () => unknown).bind(target) : value;
        },
      });
      const second = await pageAfter(db, { ...request, cursor: first.continueCursor });
      expect(second.page).toHaveLength(2);
      expect(queries).toBe(2);
    });
  });

  test("a row's cursor holds nested fields, missing or not (an index on a nested field)", () => {
    const fields = ["profile.country", "_creationTime", "_id"];
    const key = (doc: Record<string, unknown>) =>
      (JSON.parse(cursorOf("by_country", fields, { _creationTime: 1, _id: "x", ...doc })) as { key: unknown[] }).key[0];
    expect(key({ profile: { country: "NZ" } })).toEqual(["NZ"]);
    expect(key({ profile: null })).toEqual([]);
    expect(key({ profile: "NZ" })).toEqual([]);
    expect(key({})).toEqual([]);
  });

  test("a list within a prefix of a missing value (rows lacking the field) continues from its own cursor", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let i = 0; i < 3; i++) await ctx.db.insert("webhookEvents", logRow(i, { outcome: "applied" }));
      for (let i = 0; i < 3; i++)
        await ctx.db.insert("webhookEvents", logRow(i, { outcome: "applied", instanceId: "ins_1" }));
      const request = {
        table: "webhookEvents",
        index: "by_outcome_and_instanceId",
        prefix: ["applied", undefined],
        numItems: 2,
      } as const;
      const pages = await allPages(ctx, request);
      expect(pages.flat().map((row) => row.instanceId)).toEqual([undefined, undefined, undefined]);
    });
  });

  test("an empty list is done at once, its cursor still the start", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      const page = await pageAfter(ctx.db, {
        table: "tombstones",
        index: "by_kind_and_clerkId",
        cursor: null,
        numItems: 5,
      });
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
      const index = "by_kind_and_clerkId";
      const notAKey = `it does not hold a key of ${index}`;
      for (const [cursor, why] of [
        ["not json", "it is not JSON"],
        ["null", `it pages another index than ${index}`],
        ["[]", `it pages another index than ${index}`],
        [
          cursorOf("by_creation_time", indexKeyFields("tombstones", "by_creation_time"), row),
          `it pages another index than ${index}`,
        ],
        [JSON.stringify({ index, key: [["user"]] }), notAKey],
        // As long as a key, but no array of entries.
        [JSON.stringify({ index, key: "abcd" }), notAKey],
        [JSON.stringify({ index, key: ["user", ["user_1"], [0], ["x"]] }), notAKey],
        [JSON.stringify({ index, key: [["user", "x"], ["user_1"], [0], ["x"]] }), notAKey],
        [JSON.stringify({ index, key: [["user"], [{ $bad: 1 }], [0], ["x"]] }), "a value in it is not a Convex value"],
        [cursorOf(index, fields, { ...row, kind: "organization" }), "it continues a list with another kind"],
      ] as const) {
        const error = await refused(cursor);
        expect(error, cursor).toBeInstanceOf(ConvexError);
        expect((error as ConvexError<{ code: string }>).data.code).toBe("INVALID_CURSOR");
        // What usePaginatedQuery looks for to start a list over rather than fail.
        expect((error as Error).message, cursor).toContain(
          `InvalidCursor: that page cursor is not one of this list's (${why}`,
        );
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
        pageAfter(ctx.db, {
          table: "tombstones",
          index: "by_kind_and_clerkId",
          prefix: ["user", "x", 1],
          cursor: null,
          numItems: 1,
        }),
      ).rejects.toThrow("too long");
    });
  });

  test("the event log pages newest first through a filter, its cursor always a string for the app", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      const empty = await eventLogPage(ctx, { cursor: null, numItems: 2 }, "failed");
      expect(empty).toEqual({ page: [], continueCursor: "", isDone: true });
      // Several events received in the same millisecond: pages end inside the run, none lost or repeated.
      for (let i = 0; i < 7; i++) await ctx.db.insert("webhookEvents", logRow(Math.floor(i / 3)));
      await ctx.db.insert("webhookEvents", logRow(9, { outcome: "applied" }));
      const seen: string[] = [];
      let cursor: string | null = "";
      for (let guard = 0; guard < 10; guard++) {
        const page: Awaited<ReturnType<typeof eventLogPage>> = await eventLogPage(
          ctx,
          { cursor, numItems: 2 },
          "failed",
        );
        seen.push(...page.page.map((event) => event.id));
        if (page.isDone) break;
        cursor = page.continueCursor;
      }
      const expected = await ctx.db
        .query("webhookEvents")
        .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed"))
        .order("desc")
        .collect();
      expect(seen).toEqual(expected.map((row) => row._id));
      expect(seen).toHaveLength(7);
    });
  });
});
