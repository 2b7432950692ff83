/**
 * The one choke point every change of a synced row passes: the component's mutations get a `ctx.db`
 * that, after each insert, patch, replace or delete on a synced table, calls the app's `onChange`
 * hook with the row before and after, in the same transaction (`ctx.runMutation` on the stored
 * function handle). A hook that throws rolls the whole change back. Every component mutation is
 * built with `mutation`/`internalMutation` from here (a test fails on any other), so no path —
 * webhook, retry, backfill, reconcile, cascade, retention, fetch, migration — can write around it.
 *
 * Rows already read in the transaction are remembered, so `before` costs no second read.
 */
import type { FunctionHandle, RegisteredMutation } from "convex/server";
import { v, type GenericValidator, type Infer, type ObjectType, type PropertyValidators } from "convex/values";
import type { TableNames } from "../_generated/dataModel.js";
import {
  internalMutation as rawInternalMutation,
  mutation as rawMutation,
  type MutationCtx,
} from "../_generated/server.js";
import { requireHandles, sharesTransaction } from "./handles.js";
import schema from "../schema.js";

/** The synced tables: a change to any of their rows calls the app's hook. */
export const HOOKED_TABLES = [
  "users",
  "organizations",
  "memberships",
  "organizationDomains",
  "organizationInvitations",
  "roles",
  "permissions",
  "sessions",
  "communications",
  "appInvitations",
  "waitlistEntries",
  "subscriptions",
] as const satisfies readonly TableNames[];
export type HookedTable = (typeof HOOKED_TABLES)[number];
const hooked: ReadonlySet<string> = new Set(HOOKED_TABLES);

/** What started a change; the hook receives it as `source`. */
export const vChangeSource = v.union(
  v.literal("webhook"),
  v.literal("retry"),
  v.literal("backfill"),
  v.literal("reconcile"),
  v.literal("cascade"),
  v.literal("retention"),
  v.literal("fetch"),
  v.literal("migration"),
);
export type ChangeSource = Infer<typeof vChangeSource>;

/** A row as a hook sees it: its fields and `_id` (a string; `_creationTime` left out). */
export type HookRow = Record<string, unknown> & { _id: string };

/**
 * Why a row changed when the event was about something else: a cascade's deleted user or
 * organization (`clerkId` theirs), or a membership replacing its twin — another membership id of the
 * same person in the same organization, which newer-wins deletes in the same transaction — where
 * the twin's delete and the new row's create each name the other (`kind: "membership"`).
 */
export const vChangeCause = v.object({
  kind: v.union(v.literal("user"), v.literal("organization"), v.literal("membership")),
  clerkId: v.string(),
});
export type ChangeCause = Infer<typeof vChangeCause>;

/** The argument of the app's onChange hook. */
export const vChange = v.object({
  table: v.string(),
  op: v.union(v.literal("create"), v.literal("update"), v.literal("delete")),
  before: v.union(v.any(), v.null()),
  after: v.union(v.any(), v.null()),
  source: vChangeSource,
  /** Set on a cascade's changes: whose deletion they follow from. */
  cause: v.optional(vChangeCause),
});
export type Change = {
  table: HookedTable;
  op: "create" | "update" | "delete";
  before: HookRow | null;
  after: HookRow | null;
  source: ChangeSource;
  cause?: ChangeCause;
};

function hookRow(doc: Record<string, unknown>): HookRow {
  const { _creationTime: _ignored, ...rest } = doc;
  return rest as HookRow;
}

type AnyDoc = Record<string, unknown> & { _id: string };

/** What a read answered: a paginate result (`null` when nothing was found; a primitive has no fields). */
function isPage(value: unknown): value is { page: unknown[] } {
  return Array.isArray((value as { page?: unknown } | null | undefined)?.page);
}

/** A document (a read answers `null` when nothing was found). */
function isDoc(value: unknown): value is AnyDoc {
  return typeof (value as { _id?: unknown } | null | undefined)?._id === "string";
}

/** A change as the db sees it; `emit` adds the mutation's source (and cause). */
type DbChange = Omit<Change, "source">;

/**
 * A db that remembers every row a read returned (so a later write's `before` needs no read) and
 * calls `onChange` after each write to a synced table.
 */
function hookedDb(db: MutationCtx["db"], emit: (change: DbChange) => Promise<void>): MutationCtx["db"] {
  const seen = new Map<string, AnyDoc>();
  const remember = (result: unknown) => {
    if (Array.isArray(result)) for (const doc of result) remember(doc);
    else if (isDoc(result)) seen.set(result._id, result);
    else if (isPage(result)) remember(result.page);
  };
  const wrapQuery = <Q extends object>(query: Q): Q =>
    new Proxy(query, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === Symbol.asyncIterator) {
          return () => {
            const iterator = (value as () => AsyncIterator<unknown>).call(target);
            return {
              next: async () => {
                const step = await iterator.next();
                remember(step.value);
                return step;
              },
            };
          };
        }
        // Not a method (`then` included: a query is no promise, and an async helper may return one).
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          // A method that answers (first, unique, collect, take, paginate) returns a promise; the
          // others (withIndex, order, filter, …) the query to go on with.
          if (result instanceof Promise)
            return result.then((resolved: unknown) => {
              remember(resolved);
              return resolved;
            });
          return wrapQuery(result as object);
        };
      },
    });
  const before = async (table: string, id: string): Promise<AnyDoc | null> =>
    seen.get(id) ?? (await db.get(table as TableNames, id as never));
  const wrapped = {
    ...db,
    get: async (...args: unknown[]) => {
      const doc = await (db.get as (...a: unknown[]) => Promise<unknown>)(...args);
      remember(doc);
      return doc;
    },
    query: (table: string) => wrapQuery(db.query(table as TableNames)),
    normalizeId: db.normalizeId.bind(db),
    system: db.system,
    insert: async (table: string, value: Record<string, unknown>) => {
      const id = (await db.insert(table as TableNames, value as never)) as unknown as string;
      const after = { ...value, _id: id } as AnyDoc;
      seen.set(id, after);
      if (hooked.has(table))
        await emit({
          table: table as HookedTable,
          op: "create",
          before: null,
          after: hookRow(after),
        });
      return id;
    },
    patch: async (...args: unknown[]) => {
      const [table, id, value] = splitWriteArgs(db, args);
      const prior = hooked.has(table) ? await before(table, id) : null;
      await (db.patch as unknown as (t: string, i: string, v: unknown) => Promise<void>)(table, id, value);
      if (prior === null) return;
      // A field patched to undefined is removed: Convex leaves undefined fields out of the hook's argument.
      const after: AnyDoc = { ...prior, ...(value as Record<string, unknown>) };
      seen.set(id, after);
      await emit({ table: table as HookedTable, op: "update", before: hookRow(prior), after: hookRow(after) });
    },
    replace: async (...args: unknown[]) => {
      const [table, id, value] = splitWriteArgs(db, args);
      const prior = hooked.has(table) ? await before(table, id) : null;
      await (db.replace as unknown as (t: string, i: string, v: unknown) => Promise<void>)(table, id, value);
      if (prior === null) return;
      const after = { ...(value as Record<string, unknown>), _id: id } as AnyDoc;
      seen.set(id, after);
      await emit({ table: table as HookedTable, op: "update", before: hookRow(prior), after: hookRow(after) });
    },
    delete: async (...args: unknown[]) => {
      const [table, id] = splitWriteArgs(db, args);
      const prior = hooked.has(table) ? await before(table, id) : null;
      await (db.delete as unknown as (t: string, i: string) => Promise<void>)(table, id);
      if (prior !== null)
        await emit({ table: table as HookedTable, op: "delete", before: hookRow(prior), after: null });
    },
  };
  return wrapped as unknown as MutationCtx["db"];
}

/** Causes set by `withChangeCause`, per hooked db (one per transaction). */
const explicitCauses = new WeakMap<object, ChangeCause | undefined>();

/**
 * Runs `work` with `cause` on every change it makes (over the mutation's own cause): for a write
 * whose reason the hook cannot see otherwise, e.g. the twin a newer membership replaces.
 */
export async function withChangeCause<T>(ctx: MutationCtx, cause: ChangeCause, work: () => Promise<T>): Promise<T> {
  const previous = explicitCauses.get(ctx.db);
  explicitCauses.set(ctx.db, cause);
  try {
    return await work();
  } finally {
    explicitCauses.set(ctx.db, previous);
  }
}

/** `(table, id, value?)` from either write form: with the table name first, or the id alone. */
function splitWriteArgs(db: MutationCtx["db"], args: unknown[]): [string, string, unknown] {
  // An id is never a table's name: the first argument says which form this is.
  if (isTableName(args[0])) return [args[0], args[1] as string, args[2]];
  const id = args[0] as string;
  const table = tableOfId(db, id);
  return [table, id, args[1]];
}

let knownTables: ReadonlySet<string> | null = null;
function isTableName(name: unknown): name is string {
  return (knownTables ??= new Set(TABLE_NAMES)).has(name as string);
}

function tableOfId(db: MutationCtx["db"], id: string): string {
  for (const table of TABLE_NAMES) if (db.normalizeId(table, id) !== null) return table;
  throw new Error(`clerkSync: ${id} is not an id of any of the component's tables.`);
}

/** Every table of the component's schema. */
const TABLE_NAMES = Object.keys(schema.tables) as TableNames[];

/**
 * How a mutation names the source of its changes: fixed, or from its arguments (read lazily, at the
 * first change); null for a mutation that changes no synced row (one that does then fails).
 */
export type SourceOf<Args> =
  | ChangeSource
  | null
  | ((ctx: MutationCtx, args: Args) => Promise<ChangeSource | SourceWithCause> | ChangeSource | SourceWithCause);
/** A cascade's source, with whose deletion it follows from. */
export type SourceWithCause = { source: ChangeSource; cause: ChangeCause };

/**
 * `ctx` with its db calling the app's hook on every change of a synced row. The handles are read
 * once, at the first change: before the app stored any, that change throws CLERK_SYNC_NOT_CONFIGURED
 * (the event is kept as failed, a run fails resumable); `onChange: null` means the app asked for none.
 */
export function withHooks<Args>(ctx: MutationCtx, source: SourceOf<Args>, args: Args): MutationCtx {
  let handle: Promise<string | null> | null = null;
  let resolvedSource: Promise<ChangeSource | SourceWithCause> | null = null;
  const raw = ctx.db;
  const emit = async (change: DbChange) => {
    if (source === null)
      throw new Error(
        `clerkSync: a mutation declared to change no synced row (source: null) changed one of ${change.table}.`,
      );
    handle ??= requireHandles({ ...ctx, db: raw }).then((handles) => handles.onChange);
    const onChange = await handle;
    if (onChange === null) return;
    resolvedSource ??= Promise.resolve(
      typeof source === "function" ? source({ ...ctx, db: hookedCtx.db }, args) : source,
    );
    const resolved = await resolvedSource;
    const full = typeof resolved === "string" ? { ...change, source: resolved } : { ...change, ...resolved };
    const explicit = explicitCauses.get(hookedCtx.db);
    if (explicit !== undefined) full.cause = explicit;
    await ctx.runMutation(onChange as FunctionHandle<"mutation", Infer<typeof vChange>, null>, full);
  };
  const hookedCtx: MutationCtx = { ...ctx, db: hookedDb(raw, emit) };
  sharesTransaction(hookedCtx.db, raw);
  return hookedCtx;
}

type MutationDefinition<Args extends PropertyValidators, Returns extends GenericValidator> = {
  args: Args;
  returns: Returns;
  /** What started the changes this mutation makes (the hook's `source`). */
  source: SourceOf<ObjectType<Args>>;
  handler: (ctx: MutationCtx, args: ObjectType<Args>) => Promise<Infer<Returns>>;
};

/** A public component mutation (the app calls it through `components.clerkSync`) whose db calls the hooks. */
export function mutation<Args extends PropertyValidators, Returns extends GenericValidator>(
  definition: MutationDefinition<Args, Returns>,
): RegisteredMutation<"public", ObjectType<Args>, Promise<Infer<Returns>>> {
  const { source, handler, ...rest } = definition;
  return rawMutation({
    ...rest,
    handler: (ctx: MutationCtx, args: ObjectType<Args>) => handler(withHooks(ctx, source, args), args),
  } as never);
}

/** An internal component mutation whose db calls the hooks. */
export function internalMutation<Args extends PropertyValidators, Returns extends GenericValidator>(
  definition: MutationDefinition<Args, Returns>,
): RegisteredMutation<"internal", ObjectType<Args>, Promise<Infer<Returns>>> {
  const { source, handler, ...rest } = definition;
  return rawInternalMutation({
    ...rest,
    handler: (ctx: MutationCtx, args: ObjectType<Args>) => handler(withHooks(ctx, source, args), args),
  } as never);
}
