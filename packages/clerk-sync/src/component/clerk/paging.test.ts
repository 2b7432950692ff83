import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LIST_START, MAX_TIED_IDS, PAGE_OVERLAP, pageRequest, readPage, type ListCursor } from "./paging.js";

type Item = { id: string; created_at: number };

/**
 * Walks a list the way a backfill does, calling `between` after each request so the test can
 * delete or create objects mid-run. Returns the ids read, in order.
 */
function walk(list: Item[], pageSize: number, between: (list: Item[], step: number) => Item[] = (l) => l) {
  let cursor: ListCursor = LIST_START;
  let current = list;
  const read: string[] = [];
  for (let step = 0; step < 10_000; step += 1) {
    const request = pageRequest(cursor, pageSize);
    const page = readPage(cursor, request, current.slice(request.offset, request.offset + request.limit), pageSize);
    current = between(current, step);
    cursor = page.cursor;
    if (page.kind === "rewind") continue;
    read.push(...page.fresh.map((item) => String(item.id)));
    if (page.done) return read;
  }
  throw new Error("the walk did not finish");
}

function items(count: number, sameTimeEvery = 1): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `obj_${i}`,
    created_at: 1_000 + Math.floor(i / sameTimeEvery),
  }));
}

describe("paging through a list", () => {
  test("reads every object once, page by page", () => {
    expect(walk(items(25), 10)).toEqual(items(25).map((i) => i.id));
  });

  test("asks for the overlap again after the first page", () => {
    expect(pageRequest(LIST_START, 10)).toEqual({ offset: 0, limit: 10 });
    expect(pageRequest({ offset: 30, lastCreatedAt: 1, lastIds: [] }, 10)).toEqual({
      offset: 30 - PAGE_OVERLAP,
      limit: 10 + PAGE_OVERLAP,
    });
  });

  test("an object deleted after it was read does not make the next one skipped", () => {
    const read = walk(items(30), 10, (list, step) => (step === 0 ? list.filter((i) => i.id !== "obj_3") : list));
    expect(read).toEqual(items(30).map((i) => i.id));
  });

  test("more deletions than the overlap step back instead of skipping", () => {
    const deleted = new Set(Array.from({ length: 25 }, (_, i) => `obj_${i}`));
    const read = walk(items(60), 10, (list, step) => (step === 2 ? list.filter((i) => !deleted.has(i.id)) : list));
    expect(new Set(read)).toEqual(new Set(items(60).map((i) => i.id)));
    expect(read.length).toBe(60);
  });

  test("a list that shrank below the cursor is read to its end", () => {
    const read = walk(items(40), 10, (list, step) => (step === 1 ? list.slice(20) : list));
    expect(read).toEqual(items(40).map((i) => i.id));
  });

  test("objects created at the same millisecond are each read once", () => {
    expect(walk(items(37, 7), 5)).toEqual(items(37, 7).map((i) => i.id));
  });

  test("any deletions and creations mid-run: every object that lived throughout is read, none twice", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 40 }),
        (count, pageSize, tie, changes) => {
          const list = items(count, tie);
          let nextId = count;
          const deleted = new Set<string>();
          const read = walk(list, pageSize, (current, step) => {
            let next = current;
            for (const [at, which, create] of changes.filter(([s]) => s % 12 === step)) {
              if (create) {
                const last = next[next.length - 1]?.created_at ?? 1_000;
                next = [...next, { id: `obj_${nextId++}`, created_at: last + (which % 2) }];
              } else if (next.length > 0) {
                const victim = next[(at + which) % next.length]!;
                deleted.add(victim.id);
                next = next.filter((i) => i.id !== victim.id);
              }
            }
            return next;
          });
          expect(new Set(read).size).toBe(read.length);
          for (const item of list) if (!deleted.has(item.id)) expect(read).toContain(item.id);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("thousands of objects created at the same instant (a bulk import)", () => {
  test("the cursor stays bounded, far below Convex's 8,192 items per array, and nothing is read twice", () => {
    const list = items(9_000, 9_000); // one created_at for all
    let cursor: ListCursor = LIST_START;
    let longest = 0;
    const read: string[] = [];
    for (let step = 0; step < 1_000; step += 1) {
      const request = pageRequest(cursor, 200);
      const page = readPage(cursor, request, list.slice(request.offset, request.offset + request.limit), 200);
      cursor = page.cursor;
      longest = Math.max(longest, cursor.lastIds.length);
      if (page.kind === "rewind") continue;
      read.push(...page.fresh.map((item) => String(item.id)));
      if (page.done) break;
    }
    expect(longest).toBeLessThan(8_192);
    expect(longest).toBeLessThanOrEqual(MAX_TIED_IDS);
    expect(MAX_TIED_IDS).toBeLessThan(8_192);
    expect(read).toHaveLength(9_000);
    expect(new Set(read).size).toBe(9_000);
  });
});
