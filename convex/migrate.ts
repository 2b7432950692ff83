/**
 * Upgrading a deployment from the layout before the clerkSync component (main at d9d518d, where the
 * sync engine's tables were Roster's own) to the component:
 *
 *   npx convex run migrate:toComponent     # copy every old table into the component, in batches
 *   npx convex run migrate:status          # what is left of the old tables
 *
 * Each batch is one transaction: it reads up to the component's bound of rows of one old table
 * (model/legacyTables.ts), hands them to the component (`importBatch`, which matches every row on
 * its natural key, so a batch that runs again inserts nothing twice), copies the old users' profile
 * fields into `profiles`, deletes the rows it handed over, and schedules the next batch. The cursor
 * is the position in the component's table order; within a table it needs none, as each batch
 * deletes what it copied. A batch that fails leaves its rows where they were: run it again.
 * The component calls Roster's hook for every membership it takes (source "migration"), which builds
 * the `teamMembers` projection as they arrive. Once every old table is empty, a backfill from Clerk
 * starts when CLERK_SECRET_KEY is set, to read what changed while the deployment moved.
 */
import { v } from "convex/values";
import { components, internal } from "./_generated/api";
import { internalMutation, internalQuery, type MutationCtx } from "./_generated/server";
import { clerk } from "./clerk";
import { LEGACY_TABLES, type LegacyTable } from "./model/legacyTables";

/** Roster's own profile fields on an old `users` row. */
const PROFILE_FIELDS = ["bio", "country", "birthday"] as const;

/** Old rows `status` counts per table at most (a row may be a 256 KiB payload: payload tables count fewer). */
const STATUS_CAP = 100;

type ImportPlan = {
  order: string[];
  notImported: string[];
  maxRows: number;
  maxPayloadRows: number;
};

/** Starts the migration: stores Roster's handles in the component (its hook must be there first), then the first batch. */
export const toComponent = internalMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    await clerk.storeHandles(ctx);
    await ctx.scheduler.runAfter(0, internal.migrate.batch, { position: 0, moved: 0 });
    console.log(
      "Moving the old tables into the clerkSync component: `npx convex run migrate:status` shows what is left.",
    );
    return null;
  },
});

/** The old tables in the order they are handed over: the component's order, then those it does not take. */
async function tablesInOrder(ctx: MutationCtx): Promise<{ plan: ImportPlan; tables: LegacyTable[] }> {
  const plan: ImportPlan = await ctx.runQuery(components.clerkSync.migrate.plan, {});
  const tables: string[] = [...plan.order, ...plan.notImported];
  const unknown = tables.filter((table) => !(LEGACY_TABLES as readonly string[]).includes(table));
  const missing = LEGACY_TABLES.filter((table) => !tables.includes(table));
  if (unknown.length > 0 || missing.length > 0) {
    // Roster's legacy tables and the component's plan disagree: stop before anything is deleted.
    throw new Error(
      `The component's import plan and Roster's legacy tables disagree (unknown: ${unknown.join(", ") || "none"}; ` +
        `not planned: ${missing.join(", ") || "none"}).`,
    );
  }
  return { plan, tables: tables as LegacyTable[] };
}

/** Up to one batch of an old table's rows: `maxRows`, of which at most `maxPayloadRows` carry a payload. */
async function readBatch(ctx: MutationCtx, table: LegacyTable, plan: ImportPlan) {
  const rows: Record<string, unknown>[] = [];
  let payloads = 0;
  // One row at a time: a row with a payload may be 256 KiB, and the batch stops at its bound.
  for await (const row of ctx.db.query(table)) {
    const carries = typeof (row as { payload?: unknown }).payload === "string";
    if (carries && payloads === plan.maxPayloadRows) break;
    rows.push(row);
    if (carries) payloads += 1;
    if (rows.length === plan.maxRows) break;
  }
  return rows;
}

/** One batch of the migration (scheduled by `toComponent` and by itself): see the module comment. */
export const batch = internalMutation({
  args: { position: v.number(), moved: v.number() },
  returns: v.null(),
  handler: async (ctx, { position, moved }) => {
    const { plan, tables } = await tablesInOrder(ctx);
    for (const [at, table] of tables.entries()) {
      if (at < position) continue;
      const rows = await readBatch(ctx, table, plan);
      if (rows.length === 0) continue;
      if (plan.order.includes(table)) {
        const plain = rows.map(({ _id: _ignoredId, _creationTime: _ignoredTime, ...fields }) => fields);
        const result = await ctx.runMutation(components.clerkSync.migrate.importBatch, {
          table: table as never,
          rows: plain,
        });
        for (const note of result.notes) console.warn(`migrate:batch ${table}: ${note}`);
        if (table === "users") await carryProfiles(ctx, rows, new Set(result.deleted));
      }
      for (const row of rows) await ctx.db.delete(table, row._id as never);
      await ctx.scheduler.runAfter(0, internal.migrate.batch, { position: at, moved: moved + rows.length });
      return null;
    }
    const backfill = await ctx.runMutation(components.clerkSync.migrate.startBackfill, {});
    console.log(
      `Moved ${moved} rows into the clerkSync component; the old tables are empty. ` +
        (backfill.started
          ? `Backfill ${backfill.runId} reads Clerk again (\`npx convex run --component clerkSync clerk/sync:status\`).`
          : backfill.reason === "no_secret_key"
            ? "No backfill: CLERK_SECRET_KEY is not set (set it, then `npx convex run --component clerkSync clerk/sync:backfill`)."
            : "No backfill started: a run is in progress in the component."),
    );
    return null;
  },
});

/**
 * Copies the old users' profile fields (Roster's, never Clerk's) into `profiles`: one row per user
 * who had any, unless they saved a profile since the deploy (that one is newer) or were deleted
 * meanwhile (`deleted`: their data is erased, not brought back).
 */
async function carryProfiles(ctx: MutationCtx, users: Record<string, unknown>[], deleted: ReadonlySet<string>) {
  for (const user of users) {
    const userId = user.clerkId;
    if (typeof userId !== "string" || deleted.has(userId)) continue;
    const fields: Partial<Record<(typeof PROFILE_FIELDS)[number], string>> = {};
    for (const field of PROFILE_FIELDS) {
      const value = user[field];
      if (typeof value === "string") fields[field] = value;
    }
    if (Object.keys(fields).length === 0) continue;
    const saved = await ctx.db
      .query("profiles")
      .withIndex("by_userId", (q) => q.eq("userId", userId))
      .first();
    if (saved === null) await ctx.db.insert("profiles", { userId, ...fields });
  }
}

/** What is left of the old tables (each counted up to a cap), and whether the migration is done. */
export const status = internalQuery({
  args: {},
  returns: v.object({
    done: v.boolean(),
    tables: v.array(v.object({ table: v.string(), remaining: v.number(), more: v.boolean() })),
  }),
  handler: async (ctx) => {
    const tables = [];
    for (const table of LEGACY_TABLES) {
      // Kept payloads may be 256 KiB each: fewer of them are read.
      const cap = table === "failedPayloads" || table === "webhookEvents" ? 16 : STATUS_CAP;
      const rows = await ctx.db.query(table).take(cap + 1);
      if (rows.length > 0) tables.push({ table, remaining: Math.min(rows.length, cap), more: rows.length > cap });
    }
    return { done: tables.length === 0, tables };
  },
});
