/**
 * Explicit cursors for the component's lists. Convex's built-in paginate does not work inside a component
 * on real Convex (convex-test lets it pass), so every list pages here: an index range that continues
 * strictly after the last row seen. A cursor is that row's whole index key (the index's fields, then
 * `_creationTime` and `_id`, which make every key unique), so rows with equal fields are neither
 * skipped nor seen twice, and rows written meanwhile show up in their place.
 */
import type { IndexNames, NamedTableInfo } from "convex/server";
import { ConvexError, convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { DataModel, Doc, TableNames } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import schema from "../schema.js";

/** One page of a list: what callers of the built-in paginate got, with a cursor of ours. */
export type Page<T> = {
  page: T[];
  /** Pass it back for the rest; null only while nothing has been read yet (the same as the start). */
  continueCursor: string | null;
  /** Fewer rows than asked for were left: the list ended on this page. */
  isDone: boolean;
};

/** A value in an index key; undefined is a field the row lacks (it sorts first). */
type KeyValue = Value | undefined;

/** The part of Convex's index range builder the levels use (its typed form varies with each index). */
type RangeBuilder = {
  eq(field: string, value: KeyValue): RangeBuilder;
  gt(field: string, value: KeyValue): RangeBuilder;
  gte(field: string, value: KeyValue): RangeBuilder;
  lt(field: string, value: KeyValue): RangeBuilder;
  lte(field: string, value: KeyValue): RangeBuilder;
};
type LooseQuery = {
  withIndex(
    index: string,
    range: (q: RangeBuilder) => RangeBuilder,
  ): {
    order(order: "asc" | "desc"): { take(n: number): Promise<unknown[]> };
  };
};

export type PageRequest<T extends TableNames> = {
  table: T;
  /** An index of `table`, or "by_creation_time" (the table in insertion order). */
  index: IndexNames<NamedTableInfo<DataModel, T>>;
  /** Values the index's leading fields must equal, in the index's order. */
  prefix?: readonly KeyValue[];
  /** Bounds (exclusive) on the first field after the prefix. */
  range?: { gt?: Value; lt?: Value };
  order?: "asc" | "desc";
  /** Where to continue: a page's `continueCursor`; null for the start. */
  cursor: string | null;
  /** Rows to return at most: the page reads no more than these. Not used with an `endCursor`. */
  numItems: number;
  /**
   * Where to end (inclusive): the `continueCursor` this page returned before, once a later page
   * continues from it. The page then holds every row after `cursor` up to and including that
   * position, however many were written meanwhile, so the pages stay gapless and nothing shows
   * twice (what usePaginatedQuery asks of a page, as of Convex's paginate). Null or absent: `numItems`.
   */
  endCursor?: string | null;
  /** With an `endCursor`: the most rows the page may hold (END_BOUNDED_MAX_ROWS by default). */
  maxRows?: number;
};

/**
 * The most rows a page bounded by an `endCursor` returns (and reads, but for one more row and the
 * row past the end). More than these between its two cursors is INVALID_CURSOR, so the client
 * starts the list over rather than be handed a page with a gap.
 */
export const END_BOUNDED_MAX_ROWS = 1000;

const SYSTEM_FIELDS = ["_creationTime", "_id"] as const;

/** The fields of a table's index, in order, with the system fields every index ends with. */
export function indexKeyFields(table: TableNames, index: string): string[] {
  if (index === "by_creation_time") return [...SYSTEM_FIELDS];
  const found = schema.tables[table][" indexes"]().find((each) => each.indexDescriptor === index);
  if (found === undefined) throw new Error(`clerkSync: ${table} has no index ${index}.`);
  return [...found.fields, ...SYSTEM_FIELDS];
}

function fieldOf(doc: Record<string, unknown>, path: string): KeyValue {
  let value: unknown = doc;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value as KeyValue;
}

/** A row's cursor on `index`: its whole index key, JSON (undefined as [], a value as [value]). */
export function cursorOf(index: string, fields: string[], doc: Record<string, unknown>): string {
  const key = fields.map((field) => {
    const value = fieldOf(doc, field);
    return value === undefined ? [] : [convexToJson(value)];
  });
  return JSON.stringify({ index, key });
}

/**
 * A cursor this list cannot continue from. The message names it "InvalidCursor", as Convex's own
 * pagination does: usePaginatedQuery then starts the list over instead of showing an error.
 */
function invalidCursor(why: string): ConvexError<{ code: string; message: string }> {
  return new ConvexError({
    code: "INVALID_CURSOR",
    message: `InvalidCursor: that page cursor is not one of this list's (${why}); start the list over.`,
  });
}

/** The key a cursor holds, checked against the index and prefix it must continue. */
function keyOf(cursor: string, index: string, fields: string[], prefix: readonly KeyValue[]): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw invalidCursor("it is not JSON");
  }
  const { index: cursorIndex, key } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as {
    index?: unknown;
    key?: unknown;
  };
  if (cursorIndex !== index) throw invalidCursor(`it pages another index than ${index}`);
  if (!Array.isArray(key) || key.length !== fields.length) throw invalidCursor(`it does not hold a key of ${index}`);
  const values = key.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length > 1) throw invalidCursor(`it does not hold a key of ${index}`);
    if (entry.length === 0) return undefined;
    try {
      return jsonToConvex(entry[0] as JSONValue);
    } catch {
      throw invalidCursor("a value in it is not a Convex value");
    }
  });
  prefix.forEach((value, i) => {
    if (JSON.stringify(value === undefined ? [] : [convexToJson(value)]) !== JSON.stringify(key[i]))
      throw invalidCursor(`it continues a list with another ${fields[i]}`);
  });
  return values;
}

/**
 * One page of `table` on `index` (within `prefix` and `range`), in `order`, continuing after the row
 * `cursor` names. Strictly after a key (k0 … kn) is, level by level from the deepest, the rows equal
 * on k0 … kj-1 and past kj: at most one small index range per key field, together reading at most
 * `numItems` rows.
 *
 * With an `endCursor` the page instead ends at that position, inclusive: it reads the one row past
 * the end, then the rows after `cursor` up to it (the first free field bounded by the end's value),
 * at most `maxRows` + 1 of them; more than `maxRows` is INVALID_CURSOR. Its `continueCursor` is the
 * end cursor, so the next page, which continues from it, follows on exactly.
 */
export async function pageAfter<T extends TableNames>(
  db: QueryCtx["db"],
  request: PageRequest<T>,
): Promise<Page<Doc<T>>> {
  const { table, prefix = [], range = {}, order = "asc", cursor, numItems } = request;
  const index = request.index as string;
  const fields = indexKeyFields(table, index);
  if (prefix.length > fields.length - SYSTEM_FIELDS.length)
    throw new Error(`clerkSync: a prefix of ${prefix.length} values is too long for ${table}.${index}.`);
  // The first field after the prefix: at most the first system field.
  const free = fields[prefix.length]!;
  const query = (build: (q: RangeBuilder) => RangeBuilder, limit: number) =>
    (db.query(table) as unknown as LooseQuery).withIndex(index, build).order(order).take(limit) as Promise<Doc<T>[]>;
  /** `q` with the first `values.length` fields equal to `values`. */
  const equal = (q: RangeBuilder, values: readonly KeyValue[]) =>
    values.reduce<RangeBuilder>((built, value, i) => built.eq(fields[i]!, value), q);
  const past = order === "asc" ? "gt" : "lt";
  /**
   * `q` within the caller's bounds on the first free field, but the one the cursor already sets;
   * `until` (an end's value of that field) bounds it inclusively on the far side instead of the
   * caller's bound there (the end lies within the caller's bounds).
   */
  const bounded = (q: RangeBuilder, skip: "gt" | "lt" | null, until: KeyValue) => {
    let built = q;
    const endSide = order === "asc" ? "lt" : "gt";
    if (range.gt !== undefined && skip !== "gt" && !(until !== undefined && endSide === "gt"))
      built = built.gt(free, range.gt);
    if (range.lt !== undefined && skip !== "lt" && !(until !== undefined && endSide === "lt"))
      built = built.lt(free, range.lt);
    if (until !== undefined) built = endSide === "lt" ? built.lte(free, until) : built.gte(free, until);
    return built;
  };
  /** Up to `limit` rows after `key` (from the start for null), in order, the first free field up to `until`. */
  const readAfter = async (key: KeyValue[] | null, limit: number, until: KeyValue) => {
    if (key === null) return await query((q) => bounded(equal(q, prefix), null, until), limit);
    const rows: Doc<T>[] = [];
    for (let level = fields.length - 1; level >= prefix.length && rows.length < limit; level--) {
      const field = fields[level]!;
      rows.push(
        ...(await query((q) => {
          const after = equal(q, key.slice(0, level))[past](field, key[level]);
          // Only the first free field takes the caller's bounds: deeper levels hold it equal to a row within them.
          return level === prefix.length ? bounded(after, past, until) : after;
        }, limit - rows.length)),
      );
    }
    return rows;
  };
  const start = cursor === null ? null : keyOf(cursor, index, fields, prefix);

  const { endCursor } = request;
  if (endCursor !== undefined && endCursor !== null) {
    const end = keyOf(endCursor, index, fields, prefix);
    const maxRows = request.maxRows ?? END_BOUNDED_MAX_ROWS;
    const [beyond] = await readAfter(end, 1, undefined);
    const rows = await readAfter(start, maxRows + 1, end[prefix.length]);
    // The row past the end, when read (the bound may leave it out), is where the page stops: compared by
    // id, as the index orders ids in a way their strings do not.
    const stop = beyond === undefined ? -1 : rows.findIndex((row) => row._id === beyond._id);
    const page = stop === -1 ? rows : rows.slice(0, stop);
    if (page.length > maxRows) throw invalidCursor(`more than ${maxRows} rows now lie between it and its end cursor`);
    return { page, continueCursor: endCursor, isDone: beyond === undefined };
  }

  const page = await readAfter(start, numItems, undefined);
  const last = page.at(-1);
  return {
    page,
    continueCursor: last === undefined ? cursor : cursorOf(index, fields, last),
    isDone: page.length < numItems,
  };
}
