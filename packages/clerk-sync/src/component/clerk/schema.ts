import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { vListCursor } from "./paging.js";

/** backfill: copy everything Clerk has. reconcile: the same, then remove what Clerk no longer has. */
export const vSyncMode = v.union(v.literal("backfill"), v.literal("reconcile"));
export type SyncMode = Infer<typeof vSyncMode>;

/**
 * The steps of a run, in order: count what Clerk has, list users, organizations, roles and
 * memberships (both modes; roles before memberships, so a membership's permissions come from its
 * role's current ones as soon as it is written), then (reconcile only) sweep Convex's memberships, organizations and users for
 * rows Clerk no longer has, without removing anything (they become candidates), and remove the
 * candidates Clerk still says are gone (after an admin's confirmation when they are many).
 */
export const vSyncPhase = v.union(
  v.literal("count"),
  v.literal("users"),
  v.literal("organizations"),
  v.literal("roles"),
  v.literal("memberships"),
  v.literal("sweepMemberships"),
  v.literal("sweepOrganizations"),
  v.literal("sweepUsers"),
  v.literal("remove"),
);
export type SyncPhase = Infer<typeof vSyncPhase>;

export const vSyncStatus = v.union(
  v.literal("running"),
  v.literal("completed"),
  v.literal("failed"),
  v.literal("cancelled"),
  /** A reconcile found more to remove than its cap allows: an app admin confirms or cancels. */
  v.literal("awaitingConfirmation"),
);
export type SyncStatus = Infer<typeof vSyncStatus>;

/** Per kind a reconcile sweeps (roles are listed, never swept: see runs.ts). */
const vPerKind = v.object({ users: v.number(), organizations: v.number(), memberships: v.number() });
export type PerKind = Infer<typeof vPerKind>;

/** Per kind backfill lists. `roles` is absent on runs from before roles were listed (read it as 0). */
const vPerListKind = v.object({
  users: v.number(),
  organizations: v.number(),
  memberships: v.number(),
  roles: v.optional(v.number()),
});
export type PerListKind = Infer<typeof vPerListKind>;

/** A run's progress. */
export const vSyncCounts = v.object({
  /** Objects read from Clerk, per kind. */
  seen: vPerListKind,
  /** Objects that changed a row (new, or a newer version than Convex had). */
  changed: v.number(),
  /** Objects Convex already had at this version. */
  unchanged: v.number(),
  /** Objects Convex refused: it holds a newer version, or the object (or its parent) was deleted. */
  stale: v.number(),
  /** Objects Clerk returned without what Roster needs (no id, no updated_at …): skipped and logged. */
  invalid: v.number(),
  /** Convex rows checked against Clerk by the sweep. */
  checked: v.number(),
  /** Convex rows removed because Clerk no longer has them (reconcile). */
  removed: v.number(),
});
export type SyncCounts = Infer<typeof vSyncCounts>;

export const vClerkKind = v.union(v.literal("users"), v.literal("organizations"), v.literal("memberships"));
export const vListKind = v.union(vClerkKind, v.literal("roles"));

/** Whether a reconcile's removals needed an admin: decided once the sweeps have counted them. */
export const vConfirmation = v.union(
  v.literal("notNeeded"),
  v.literal("pending"),
  v.literal("confirmed"),
  v.literal("cancelled"),
);

/** A reconcile's removals: its cap, what the sweeps checked and found gone, what it removed. */
export const vRemoval = v.object({
  /** More rows of a kind than this needs a confirmation. */
  maxRows: v.number(),
  /** … and so does more than this share of a kind's rows, in %. */
  maxPercent: v.number(),
  /** Convex rows the sweeps checked, per kind (the size of each table). */
  checked: vPerKind,
  /** Rows Clerk says are gone, per kind: what the run would remove. */
  found: vPerKind,
  /** Rows removed so far, per kind. */
  removed: vPerKind,
  /** null until the sweeps are done. */
  confirmation: v.union(vConfirmation, v.null()),
  /** "cli" or the Clerk user id of the admin who confirmed or cancelled. */
  decidedBy: v.union(v.string(), v.null()),
});
export type Removal = Infer<typeof vRemoval>;

export const vSyncRun = {
  mode: vSyncMode,
  status: vSyncStatus,
  phase: vSyncPhase,
  /** Objects per Clerk request. */
  pageSize: v.number(),
  /** Where the listing phase is in Clerk's list. */
  list: vListCursor,
  /** Where the sweep phase is in Convex's table (a pagination cursor; null = from the start). */
  sweepCursor: v.union(v.string(), v.null()),
  counts: vSyncCounts,
  /** What Clerk had when the run started, per kind (null until counted). */
  totals: v.union(vPerListKind, v.null()),
  /** Bumped by every resume, so a step from before it does nothing. */
  generation: v.number(),
  /** The scheduled step that continues the run; the watchdog resumes the run when it died. */
  nextStep: v.union(v.id("_scheduled_functions"), v.null()),
  /** Set while waiting out a rate limit or a transient failure (ms). */
  waitingUntil: v.union(v.number(), v.null()),
  /** Transient failures in a row; past a bound the run fails. */
  failures: v.number(),
  /** Automatic resumes after a crashed step; past a bound the run fails. */
  autoResumes: v.number(),
  /** What stopped or is delaying the run. */
  error: v.union(v.string(), v.null()),
  /** "cli", "schedule", or the Clerk user id of the admin who started it. */
  startedBy: v.string(),
  startedAt: v.number(),
  updatedAt: v.number(),
  finishedAt: v.union(v.number(), v.null()),
  /** Reconcile only (absent on runs from before the cap existed). */
  removal: v.optional(vRemoval),
};

/** Tables of the Clerk backfill/reconcile; spread into convex/schema.ts. */
export const clerkSyncTables = {
  // Written by the backfill/reconcile steps and the admin controls (convex/clerk/sync.ts); read by
  // the steps (their cursor), the watchdog and the admin view's live progress.
  clerkSyncRuns: defineTable(vSyncRun).index("by_status", ["status"]).index("by_mode", ["mode"]),
  // Written by a reconcile's sweeps (rows Clerk says are gone) and deleted by its remove phase or
  // its cancellation; read by the remove phase. A table, not an array: there may be thousands.
  clerkSyncCandidates: defineTable({
    runId: v.id("clerkSyncRuns"),
    kind: vClerkKind,
    clerkId: v.string(),
    organizationId: v.optional(v.string()),
    userId: v.optional(v.string()),
  }).index("by_run_and_kind_and_clerkId", ["runId", "kind", "clerkId"]),
};
