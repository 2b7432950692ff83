/**
 * Moving an app's tables into the component: an app that kept the sync engine's tables in its own
 * schema (Roster before the component) hands its rows over in batches, `importBatch({ table, rows })`,
 * each batch in one transaction with the app's own deletion of the rows it handed over
 * (Roster's convex/migrate.ts walks its tables and calls it).
 *
 * Rows cross as plain objects (an `_id` or `_creationTime` they still carry is dropped). The
 * component's tables refer to each other by Clerk ids, which carry over unchanged; the only Convex
 * ids in the old rows point at the app's own documents and cannot carry over:
 * - `clerkSyncRuns.nextStep` (the app's scheduled step): null. A run that was still going (or waiting
 *   for a confirmation) comes in `cancelled`: its steps were the app's functions, which are gone, and
 *   its `sweepCursor` paged the app's tables (every imported run gets null).
 * - `clerkSyncCandidates` (the sweep's findings, by run id): not taken. They only serve the remove
 *   phase of a reconcile that was still going, and that run comes in cancelled.
 * - `webhookRetryRuns.cursor` paged the app's failed events: null; a running retry comes in failed.
 * - `memberCountShards`: not taken. The count is rebuilt from the memberships as they come in (each
 *   new row counted in the same transaction, as a webhook's would be), so events that reached the
 *   component before the migration are not counted twice.
 *
 * A batch is idempotent: every row is matched on its natural key (`clerkId` for synced rows, `svixId`
 * and more for the event log and kept payloads, `(kind, clerkId)` for tombstones …), so the same
 * batch again inserts nothing. Synced rows go through newer-wins and the tombstones: a row the
 * component already holds at a newer version, or an object deleted since, is skipped; a final
 * tombstone coming in removes a row a late event brought back meanwhile (nothing deleted comes back).
 * Changes to synced rows call the app's hook with source "migration".
 */
import { ConvexError, v, type Infer, type Value } from "convex/values";
import type { Doc, TableNames } from "./_generated/dataModel.js";
import { query, type MutationCtx } from "./_generated/server.js";
import { clerkSecretKey } from "./env.js";
import { mutation } from "./lib/hooks.js";
import { countMembership } from "./model/memberCount.js";
import { DOMAIN_KIND } from "./model/domains.js";
import { MEMBERSHIP_KIND } from "./model/memberships.js";
import { ORG_INVITATION_KIND } from "./model/orgInvitations.js";
import { ORGANIZATION_KIND } from "./model/organizations.js";
import { ROLE_KIND } from "./model/roles.js";
import { SESSION_KIND } from "./model/sessions.js";
import { findByClerkId, isFinal, tombstoneOf, writeSynced, type SyncedTable } from "./model/sync.js";
import { USER_KIND } from "./model/users.js";
import { activeRun, awaitingRun, startRun } from "./clerk/runs.js";

/** The synced tables (rows keyed by `clerkId`, newer-wins), with how a row names its tombstone kind. */
const SYNCED: { [T in SyncedTable]: (row: Record<string, unknown>) => string } = {
  users: () => USER_KIND,
  organizations: () => ORGANIZATION_KIND,
  memberships: () => MEMBERSHIP_KIND,
  organizationDomains: () => DOMAIN_KIND,
  organizationInvitations: () => ORG_INVITATION_KIND,
  roles: () => ROLE_KIND,
  permissions: () => "permission",
  sessions: () => SESSION_KIND,
  communications: (row) => (row.channel === "sms" ? "sms_message" : "email"),
  appInvitations: () => "invitation",
  waitlistEntries: () => "waitlist_entry",
  subscriptions: () => "commerce_subscription",
};

/** The tables `importBatch` takes, in the order an app should hand them over (see `IMPORT_ORDER`). */
export const IMPORT_ORDER = [
  // The pin and tombstones first: events reaching the component meanwhile are checked against them.
  "clerkInstance",
  "clerkInstanceChecks",
  "tombstones",
  "deletedRoles",
  "roleListings",
  "roles",
  "permissions",
  "users",
  "organizations",
  "memberships",
  "organizationDomains",
  "organizationInvitations",
  "sessions",
  "communications",
  "appInvitations",
  "waitlistEntries",
  "subscriptions",
  // A failed event's log row, then the users its payload names (erasure finds it), then the payload.
  "webhookEvents",
  "failedPayloadSubjects",
  "failedPayloads",
  "webhookRetryRuns",
  "clerkSyncRuns",
] as const satisfies readonly TableNames[];
export type ImportTable = (typeof IMPORT_ORDER)[number];
export const vImportTable = v.union(...IMPORT_ORDER.map((table) => v.literal(table)));

/** The old tables the component does not take (see the module comment): the app deletes their rows. */
export const NOT_IMPORTED = ["clerkSyncCandidates", "memberCountShards"] as const;

/** Rows one batch takes at most. */
export const MAX_IMPORT_ROWS = 200;
/** … and rows carrying a webhook payload (up to 256 KiB each): 16 are 4 MiB, well under the 16 MiB a transaction reads. */
export const MAX_PAYLOAD_ROWS = 16;

/** The app's profile fields on an old `users` row: the component's users do not have them. */
const APP_USER_FIELDS = ["bio", "country", "birthday"] as const;

export const vImportResult = v.object({
  /** Rows inserted. */
  inserted: v.number(),
  /** Rows that replaced an older version the component held. */
  updated: v.number(),
  /** Rows the component already held (this batch ran before, or a newer version came in meanwhile). */
  skipped: v.number(),
  /** Clerk ids of synced rows not taken because the object was deleted meanwhile (the app erases what it keeps of them). */
  deleted: v.array(v.string()),
  /** Rows a final tombstone coming in removed (brought back by a late event before the tombstone moved). */
  removed: v.number(),
  /** What the component kept instead of an incoming row, worth an operator's look (a different pin). */
  notes: v.array(v.string()),
});
export type ImportResult = Infer<typeof vImportResult>;

type Row = Record<string, Value | undefined>;

/** True for a row carrying a webhook payload (a kept payload, or a log row from before payloads moved out). */
export function carriesPayload(row: Record<string, unknown>): boolean {
  return typeof row.payload === "string";
}

/**
 * Inserts an app's old rows of `table` into the component's table of the same name, each matched
 * on its natural key first (a batch run twice inserts nothing twice). At most MAX_IMPORT_ROWS rows,
 * MAX_PAYLOAD_ROWS of them carrying a payload; a row the component's schema refuses fails the whole
 * batch with its table and key (nothing is half-imported).
 */
export const importBatch = mutation({
  args: { table: vImportTable, rows: v.array(v.any()) },
  returns: vImportResult,
  source: "migration",
  handler: async (ctx, { table, rows }) => {
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new ConvexError({
        code: "BATCH_TOO_LARGE",
        message: `importBatch takes at most ${MAX_IMPORT_ROWS} rows at a time; ${rows.length} given for ${table}.`,
      });
    }
    const plain = rows.map((row: unknown, i: number) => plainRow(table, row, i));
    const payloads = plain.filter((row) => carriesPayload(row)).length;
    if (payloads > MAX_PAYLOAD_ROWS) {
      throw new ConvexError({
        code: "BATCH_TOO_LARGE",
        message: `importBatch takes at most ${MAX_PAYLOAD_ROWS} rows carrying a webhook payload at a time; ${payloads} given for ${table}.`,
      });
    }
    const result: ImportResult = { inserted: 0, updated: 0, skipped: 0, deleted: [], removed: 0, notes: [] };
    for (const row of plain) {
      try {
        await importRow(ctx, table, row, result);
      } catch (error) {
        if (error instanceof ConvexError) throw error;
        throw new ConvexError({
          code: "ROW_REFUSED",
          message: `${table} row ${describe(row)} could not be imported: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    return result;
  },
});

/**
 * How an app hands its old tables over: the tables `importBatch` takes, in order; those it does not
 * take (the app deletes their rows); and the batch bounds. Read by the app's migration, so the order
 * and bounds live here only.
 */
export const plan = query({
  args: {},
  returns: v.object({
    order: v.array(vImportTable),
    notImported: v.array(v.string()),
    maxRows: v.number(),
    /** Rows with a `payload` (a string of up to 256 KiB) a batch takes at most. */
    maxPayloadRows: v.number(),
  }),
  handler: () => ({
    order: [...IMPORT_ORDER],
    notImported: [...NOT_IMPORTED],
    maxRows: MAX_IMPORT_ROWS,
    maxPayloadRows: MAX_PAYLOAD_ROWS,
  }),
});

/**
 * Starts a backfill (source "migration" in its `startedBy`) once the rows are in, so what changed in
 * Clerk while the app moved is read again. Returns the run's id, or why none started: no
 * CLERK_SECRET_KEY on the deployment, or a run already going.
 */
export const startBackfill = mutation({
  args: {},
  returns: v.union(
    v.object({ started: v.literal(true), runId: v.id("clerkSyncRuns") }),
    v.object({ started: v.literal(false), reason: v.union(v.literal("no_secret_key"), v.literal("run_in_progress")) }),
  ),
  source: "backfill",
  handler: async (ctx) => {
    if (clerkSecretKey() === null) return { started: false as const, reason: "no_secret_key" as const };
    if ((await activeRun(ctx)) !== null || (await awaitingRun(ctx)) !== null) {
      return { started: false as const, reason: "run_in_progress" as const };
    }
    return { started: true as const, runId: await startRun(ctx, "backfill", "migration") };
  },
});

function plainRow(table: ImportTable, row: unknown, index: number): Row {
  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    throw new ConvexError({ code: "ROW_REFUSED", message: `${table} row ${index} is not an object.` });
  }
  const { _id: _ignoredId, _creationTime: _ignoredTime, ...fields } = row as Row;
  return fields;
}

function describe(row: Row): string {
  const key = row.clerkId ?? row.svixId ?? row.instanceId ?? row.key ?? row.startedAt;
  return key === undefined ? "(no key)" : JSON.stringify(key);
}

function requireText(row: Row, field: string, table: string): string {
  const value = row[field];
  if (typeof value !== "string") {
    throw new ConvexError({
      code: "ROW_REFUSED",
      message: `${table} row has no ${field} (a string): ${describe(row)}.`,
    });
  }
  return value;
}

function isSynced(table: ImportTable): table is ImportTable & SyncedTable {
  return Object.hasOwn(SYNCED, table);
}

async function importRow(ctx: MutationCtx, table: ImportTable, row: Row, result: ImportResult): Promise<void> {
  if (isSynced(table)) return await importSynced(ctx, table, row, result);
  switch (table) {
    case "tombstones":
      return await importTombstone(ctx, row, result);
    case "webhookEvents":
      return await importLogRow(ctx, row, result);
    case "failedPayloads":
    case "failedPayloadSubjects":
      return await importKept(ctx, table, row, result);
    case "clerkInstance":
      return await importPin(ctx, row, result);
    case "clerkInstanceChecks":
      return count(
        result,
        (await ctx.db.query("clerkInstanceChecks").first()) === null
          ? await ctx.db.insert("clerkInstanceChecks", row as never)
          : null,
      );
    case "deletedRoles": {
      const key = requireText(row, "key", table);
      // A key is deleted once or a few times (a role re-created under it and deleted again).
      const deleted = await ctx.db
        .query("deletedRoles")
        .withIndex("by_key", (q) => q.eq("key", key))
        .take(100);
      const same = deleted.some((other) => other.roleId === row.roleId);
      return count(result, same ? null : await ctx.db.insert("deletedRoles", row as never));
    }
    case "roleListings": {
      const listedAt = row.listedAt as number;
      const same = await ctx.db
        .query("roleListings")
        .withIndex("by_listedAt", (q) => q.eq("listedAt", listedAt))
        .first();
      return count(result, same === null ? await ctx.db.insert("roleListings", row as never) : null);
    }
    case "webhookRetryRuns":
      return await importRetryRun(ctx, row, result);
    case "clerkSyncRuns":
      return await importSyncRun(ctx, row, result);
  }
}

/** Counts an insert (an id) or a skip (null). */
function count(result: ImportResult, inserted: string | null): void {
  if (inserted === null) result.skipped += 1;
  else result.inserted += 1;
}

/** A synced row through newer-wins and the tombstones, as a webhook's snapshot of the same version would go. */
async function importSynced(ctx: MutationCtx, table: SyncedTable, raw: Row, result: ImportResult): Promise<void> {
  const clerkId = requireText(raw, "clerkId", table);
  const version = raw.clerkVersion;
  if (typeof version !== "number") {
    throw new ConvexError({
      code: "ROW_REFUSED",
      message: `${table} row ${JSON.stringify(clerkId)} has no clerkVersion.`,
    });
  }
  const { clerkId: _key, clerkVersion: _version, ...fields } = raw;
  if (table === "users") for (const field of APP_USER_FIELDS) delete fields[field];
  // Counted again as it comes in (below), in the component's own shards.
  if (table === "memberships") delete fields.counted;
  const kind = SYNCED[table](raw);
  const tombstone = await tombstoneOf(ctx, kind, clerkId);
  if (isFinal(tombstone)) {
    result.deleted.push(clerkId);
    return;
  }
  const existing = await findByClerkId(ctx, table, clerkId);
  if (existing !== null && existing.clerkVersion >= version) {
    result.skipped += 1;
    return;
  }
  const { result: written, changed } = await writeSynced(ctx, table, kind, clerkId, version, fields as never, {
    tombstone,
    onInsert: (table === "memberships" ? { counted: true } : {}) as never,
  });
  if (written === "stale") {
    // A reconcile's removal that a webhook snapshot of this version does not undo.
    result.skipped += 1;
    return;
  }
  if (!changed) {
    result.skipped += 1;
    return;
  }
  if (existing !== null) {
    result.updated += 1;
    return;
  }
  result.inserted += 1;
  if (table === "memberships") {
    await countMembership(ctx, { organizationId: fields.organizationId as string, clerkId, counted: true }, 1);
  }
}

/** The synced table holding the rows of a tombstone kind. */
const TABLE_OF_KIND: Record<string, SyncedTable> = {
  [USER_KIND]: "users",
  [ORGANIZATION_KIND]: "organizations",
  [MEMBERSHIP_KIND]: "memberships",
  [DOMAIN_KIND]: "organizationDomains",
  [ORG_INVITATION_KIND]: "organizationInvitations",
  [ROLE_KIND]: "roles",
  permission: "permissions",
  [SESSION_KIND]: "sessions",
  email: "communications",
  sms_message: "communications",
  invitation: "appInvitations",
  waitlist_entry: "waitlistEntries",
  commerce_subscription: "subscriptions",
};

/** A tombstone by `(kind, clerkId)`: the later delete wins, a final one over a reconcile's provisional one. */
async function importTombstone(ctx: MutationCtx, row: Row, result: ImportResult): Promise<void> {
  const kind = requireText(row, "kind", "tombstones");
  const clerkId = requireText(row, "clerkId", "tombstones");
  const deletedAt = row.deletedAt as number;
  const final = row.provisional !== true;
  const existing = await tombstoneOf(ctx, kind, clerkId);
  if (existing === null) {
    await ctx.db.insert("tombstones", row as never);
    result.inserted += 1;
  } else {
    const existingFinal = isFinal(existing);
    const wins = (final && !existingFinal) || (final === existingFinal && deletedAt > existing.deletedAt);
    if (!wins) {
      result.skipped += 1;
    } else {
      await ctx.db.patch("tombstones", existing._id, {
        deletedAt: Math.max(deletedAt, existing.deletedAt),
        provisional: final ? undefined : true,
      });
      result.updated += 1;
    }
  }
  if (!final) return;
  // Deleted before the move, brought back by a late event that reached the component first.
  const table: SyncedTable | null = Object.hasOwn(TABLE_OF_KIND, kind) ? (TABLE_OF_KIND[kind] ?? null) : null;
  if (table === null) return;
  const live = await findByClerkId(ctx, table, clerkId);
  if (live !== null) {
    await ctx.db.delete(table, live._id);
    if (table === "memberships") await countMembership(ctx, live as Doc<"memberships">, -1);
    result.removed += 1;
  }
}

/** The first log row of an event: it holds the outcome (later deliveries log "duplicate"). */
async function firstLogRow(ctx: MutationCtx, svixId: string): Promise<Doc<"webhookEvents"> | null> {
  return await ctx.db
    .query("webhookEvents")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .first();
}

function unsettled(outcome: string): boolean {
  return outcome === "failed" || outcome === "foreign";
}

/**
 * An event log row, matched on svixId, receivedAt, outcome and attempts. A failed or foreign row
 * whose event the component has applied meanwhile (Svix retried it after the deploy) is not taken.
 */
async function importLogRow(ctx: MutationCtx, row: Row, result: ImportResult): Promise<void> {
  const svixId = requireText(row, "svixId", "webhookEvents");
  const logged = await ctx.db
    .query("webhookEvents")
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .take(100);
  const same = logged.some(
    (other) => other.receivedAt === row.receivedAt && other.outcome === row.outcome && other.attempts === row.attempts,
  );
  const first = logged[0];
  const settledMeanwhile = unsettled(row.outcome as string) && first !== undefined && !unsettled(first.outcome);
  if (same || settledMeanwhile) {
    result.skipped += 1;
    return;
  }
  await ctx.db.insert("webhookEvents", row as never);
  result.inserted += 1;
}

/** A kept payload or one of the users it names, unless its event applied meanwhile in the component. */
async function importKept(
  ctx: MutationCtx,
  table: "failedPayloads" | "failedPayloadSubjects",
  row: Row,
  result: ImportResult,
): Promise<void> {
  const svixId = requireText(row, "svixId", table);
  const first = await firstLogRow(ctx, svixId);
  if (first !== null && !unsettled(first.outcome)) {
    result.skipped += 1;
    return;
  }
  const kept = await ctx.db
    .query(table)
    .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
    .take(table === "failedPayloads" ? 1 : 100);
  const same =
    table === "failedPayloads"
      ? kept.length > 0
      : kept.some((other) => (other as Doc<"failedPayloadSubjects">).subject === row.subject);
  count(result, same ? null : await ctx.db.insert(table, row as never));
}

/** The pin: taken when the component has none; a different one it has is kept and named in `notes`. */
async function importPin(ctx: MutationCtx, row: Row, result: ImportResult): Promise<void> {
  const instanceId = requireText(row, "instanceId", "clerkInstance");
  const pinned = await ctx.db.query("clerkInstance").withIndex("by_instanceId").first();
  if (pinned === null) {
    await ctx.db.insert("clerkInstance", row as never);
    result.inserted += 1;
    return;
  }
  result.skipped += 1;
  if (pinned.instanceId !== instanceId) {
    result.notes.push(
      `The component is pinned to ${pinned.instanceId} already; the app's pin ${instanceId} was not taken. ` +
        "If that is wrong, correct it with `npx convex run --component clerkSync webhooks/instance:repin`.",
    );
  }
}

const INTERRUPTED = "Interrupted by the move into the clerkSync component (its steps were the app's functions).";

/** A retry run, matched on startedAt and startedBy; one still going comes in failed (its batches are gone). */
async function importRetryRun(ctx: MutationCtx, row: Row, result: ImportResult): Promise<void> {
  const startedAt = row.startedAt as number;
  const startedBy = requireText(row, "startedBy", "webhookRetryRuns");
  // The component holds only the runs imported and any started since the deploy: a few.
  for await (const run of ctx.db.query("webhookRetryRuns")) {
    if (run.startedAt === startedAt && run.startedBy === startedBy) {
      result.skipped += 1;
      return;
    }
  }
  const now = Date.now();
  const fields =
    row.status === "running" ? { ...row, status: "failed", error: INTERRUPTED, finishedAt: now, updatedAt: now } : row;
  await ctx.db.insert("webhookRetryRuns", { ...fields, cursor: null } as never);
  result.inserted += 1;
}

/** A backfill or reconcile run, matched on mode, startedAt and startedBy; one still going comes in cancelled. */
async function importSyncRun(ctx: MutationCtx, row: Row, result: ImportResult): Promise<void> {
  const startedAt = row.startedAt as number;
  const startedBy = requireText(row, "startedBy", "clerkSyncRuns");
  const mode = requireText(row, "mode", "clerkSyncRuns") as Doc<"clerkSyncRuns">["mode"];
  for await (const run of ctx.db.query("clerkSyncRuns").withIndex("by_mode", (q) => q.eq("mode", mode))) {
    if (run.startedAt === startedAt && run.startedBy === startedBy) {
      result.skipped += 1;
      return;
    }
  }
  const now = Date.now();
  const going = row.status === "running" || row.status === "awaitingConfirmation";
  const fields = going ? { ...row, status: "cancelled", error: INTERRUPTED, finishedAt: now, updatedAt: now } : row;
  await ctx.db.insert("clerkSyncRuns", { ...fields, nextStep: null, sweepCursor: null, waitingUntil: null } as never);
  result.inserted += 1;
}
