/**
 * A thin counting wrapper around a Convex `ctx.db`: every document a function reads or writes
 * passes through it, so the bench reports what a handler costs on Convex (documents read and
 * written per transaction) from what it did, not from a guess.
 *
 * Reads are the documents a query or `get` returned. Convex also bills the documents a
 * `.filter()` or full table scan looked at and dropped; the wrapper cannot see those, so it
 * counts such queries (`filteredQueries`, `tableScans`) and the bench reports them: Roster's
 * code is meant to have none. (A `first()` of a whole table reads one document: not a scan.)
 */

/** What one transaction did to the database. */
export type DbCounts = {
  /** Documents returned by `get`, `collect`, `take`, `first`, `unique`, `paginate` and iteration. */
  reads: number;
  /** Inserts, patches, replaces and deletes. */
  writes: number;
  /** Index ranges, searches and `get`s opened (each costs a round trip on Convex). */
  queries: number;
  /** Queries that used `.filter()` (their scanned documents are not all counted in `reads`). */
  filteredQueries: number;
  /** Queries that read a table without an index (but a `first()` of it, which reads one document). */
  tableScans: number;
  /** Reads and writes per table. */
  byTable: Record<string, { reads: number; writes: number }>;
  /**
   * Reads and writes per document id: which documents this transaction touched (two transactions
   * writing one document conflict on Convex; the bench's burst scenario looks for such hot rows).
   */
  byDocument: Record<string, { table: string; reads: number; writes: number }>;
};

export function emptyCounts(): DbCounts {
  return { reads: 0, writes: 0, queries: 0, filteredQueries: 0, tableScans: 0, byTable: {}, byDocument: {} };
}

function tally(counts: DbCounts, table: string, kind: "reads" | "writes", n: number): void {
  counts[kind] += n;
  const entry = (counts.byTable[table] ??= { reads: 0, writes: 0 });
  entry[kind] += n;
}

/** Notes that the transaction read or wrote the document `id` (of `table`). */
function touch(counts: DbCounts, table: string, kind: "reads" | "writes", id: unknown): void {
  if (typeof id !== "string") return;
  const entry = (counts.byDocument[id] ??= { table, reads: 0, writes: 0 });
  entry[kind] += 1;
}

/** The `_id` of a document a read returned (null and non-documents are skipped). */
function touchRead(counts: DbCounts, table: string, doc: unknown): void {
  if (typeof doc === "object" && doc !== null) touch(counts, table, "reads", (doc as { _id?: unknown })._id);
}

/** The table a Convex id belongs to, for `get(id)` / `patch(id, …)` called without a table name. */
function tableOfId(id: unknown): string {
  // convex-test ids are `<digits><table>`; real ids are opaque, so this is the bench's best effort.
  return typeof id === "string" ? (/^\d+([A-Za-z_]\w*)$/.exec(id)?.[1] ?? "?") : "?";
}

type AnyFn = (...args: unknown[]) => unknown;
type AnyObject = Record<string | symbol, unknown>;

const QUERY_RESULT_OPS = new Set(["collect", "take"]);
const SINGLE_RESULT_OPS = new Set(["first", "unique"]);

function isQueryLike(value: unknown): value is AnyObject {
  return typeof value === "object" && value !== null && typeof (value as AnyObject).collect === "function";
}

type QueryState = { source: "index" | "search" | "scan" | null; filtered: boolean };

/**
 * Wraps a query builder so that whatever it finally returns is counted as read. Methods are
 * called on the real builder (not the proxy), so `first()` calling `take(1)` counts once.
 */
function countingQuery(query: AnyObject, table: string, counts: DbCounts, state: QueryState): AnyObject {
  const isInitializer = typeof query.withIndex === "function";
  // `first()` of a whole table (a singleton such as a config row, or the newest row in creation
  // order) reads one document, as an index range's would: not counted as a scan.
  const finish = (op: string) => {
    counts.queries += 1;
    if ((state.source ?? "scan") === "scan" && !(op === "first" && !state.filtered)) counts.tableScans += 1;
    if (state.filtered) counts.filteredQueries += 1;
  };
  return new Proxy(query, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const method = value as AnyFn;
      if (prop === Symbol.asyncIterator) {
        return () => {
          finish("iterate");
          const iterator = method.call(target) as AsyncIterator<unknown>;
          const counted: AsyncIterableIterator<unknown> = {
            next: async () => {
              const step = await iterator.next();
              if (step.done !== true && step.value !== null) {
                tally(counts, table, "reads", 1);
                touchRead(counts, table, step.value);
              }
              return step;
            },
            return: async () => (iterator.return ? await iterator.return() : { done: true, value: undefined }),
            [Symbol.asyncIterator]: () => counted,
          };
          return counted;
        };
      }
      return (...args: unknown[]) => {
        const result = method.apply(target, args);
        const name = String(prop);
        if (QUERY_RESULT_OPS.has(name) || SINGLE_RESULT_OPS.has(name) || name === "paginate") {
          finish(name);
          return (result as Promise<unknown>).then((out) => {
            const docs = QUERY_RESULT_OPS.has(name)
              ? (out as unknown[])
              : name === "paginate"
                ? (out as { page: unknown[] }).page
                : out === null
                  ? []
                  : [out];
            tally(counts, table, "reads", docs.length);
            for (const doc of docs) touchRead(counts, table, doc);
            return out;
          });
        }
        if (!isQueryLike(result)) return result;
        const next: QueryState = { ...state };
        if (isInitializer)
          next.source = name === "withIndex" ? "index" : name === "withSearchIndex" ? "search" : "scan";
        if (name === "filter") next.filtered = true;
        return countingQuery(result, table, counts, next);
      };
    },
  });
}

type Db = AnyObject;

/** A table-scoped reader/writer (`ctx.db.table("users")`), counted. */
function countingTable(tableApi: AnyObject, table: string, counts: DbCounts): AnyObject {
  return new Proxy(tableApi, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const method = value as AnyFn;
      if (prop === "query") {
        return () => countingQuery(method.call(target) as AnyObject, table, counts, { source: null, filtered: false });
      }
      if (prop === "get") return countingGet(method, target, () => table, counts);
      if (WRITE_OPS.has(String(prop))) {
        return async (...args: unknown[]) => {
          const out = await method.apply(target, args);
          tally(counts, table, "writes", 1);
          touch(counts, table, "writes", prop === "insert" ? out : args[0]);
          return out;
        };
      }
      return method.bind(target);
    },
  });
}

const WRITE_OPS = new Set(["insert", "patch", "replace", "delete"]);

function countingGet(method: AnyFn, target: unknown, tableOf: (args: unknown[]) => string, counts: DbCounts) {
  return async (...args: unknown[]) => {
    counts.queries += 1;
    const doc = await method.apply(target, args);
    if (doc !== null) {
      tally(counts, tableOf(args), "reads", 1);
      touchRead(counts, tableOf(args), doc);
    }
    return doc;
  };
}

/**
 * `db` (a Convex `GenericDatabaseReader` or `GenericDatabaseWriter`) with every read and write
 * added to `counts`. Behaviour is unchanged: each call goes to the real database.
 */
export function countingDb<T>(db: T, counts: DbCounts): T {
  const wrapReader = (reader: Db): Db =>
    new Proxy(reader, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === "system" && typeof value === "object" && value !== null) return wrapReader(value as Db);
        if (typeof value !== "function") return value;
        const method = value as AnyFn;
        switch (prop) {
          case "query":
            return (table: string) =>
              countingQuery(method.call(target, table) as AnyObject, table, counts, { source: null, filtered: false });
          case "table":
            return (table: string) => countingTable(method.call(target, table) as AnyObject, table, counts);
          case "get":
            // get("users", id) or get(id): two arguments name the table.
            return countingGet(
              method,
              target,
              (args) => (args.length >= 2 ? String(args[0]) : tableOfId(args[0])),
              counts,
            );
          case "insert":
            return async (...args: unknown[]) => {
              const out = await method.apply(target, args);
              tally(counts, String(args[0]), "writes", 1);
              touch(counts, String(args[0]), "writes", out);
              return out;
            };
          case "patch":
          case "replace":
          case "delete":
            return async (...args: unknown[]) => {
              const out = await method.apply(target, args);
              // patch(table, id, value) / delete(table, id) name the table; the older forms do not.
              const named = prop === "delete" ? args.length >= 2 : args.length >= 3;
              const table = named ? String(args[0]) : tableOfId(args[0]);
              tally(counts, table, "writes", 1);
              touch(counts, table, "writes", named ? args[1] : args[0]);
              return out;
            };
          default:
            return method.bind(target);
        }
      },
    });
  return wrapReader(db as Db) as T;
}
