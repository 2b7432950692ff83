/**
 * The drift watch: a cheap scheduled look at Clerk's Backend API that notices when Clerk changed
 * and no webhook arrived, so an unmounted route, a rotated signing secret or a wrong endpoint URL
 * shows in sync health within hours instead of going unnoticed for months.
 *
 * Three requests per check (crons.ts, hourly), whatever the instance's size:
 * - the user Clerk changed last (`GET /v1/users?order_by=-updated_at&limit=1`, the one list Clerk
 *   orders by `updated_at`): its `updated_at` is when Clerk changed, and the component's row says
 *   whether that change arrived;
 * - `total_count` of a `limit=1` listing of organizations and of memberships (Clerk orders neither
 *   by `updated_at`), against the component's own counts (organization rows; the memberships'
 *   count shards), remembered from one check to the next so a move of Clerk's count is seen.
 *
 * "webhooks silent" needs all of: Clerk holds a change the component lacks, the change is older
 * than GRACE_MS (Svix retries, events in flight), it happened after the watch began, and no webhook
 * at all (any outcome, failed ones included) arrived since it. So changes Clerk sends no webhook
 * for never alarm: a user's `updated_at` that moved without any field the component keeps moving
 * (a sign-in) is in step, and a membership count that moved with a `user.deleted` or
 * `organization.deleted` (whose memberships go without events of their own) had a webhook arrive.
 * A difference that persists while webhooks arrive is "behind" (a reconcile fixes it), not silent.
 *
 * Off without CLERK_SECRET_KEY: the cron does nothing and `status` says "off".
 */
import { v, type Infer } from "convex/values";
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import { internalAction, internalQuery, query, type MutationCtx, type QueryCtx } from "../_generated/server.js";
import { clerkApiUrl, clerkSecretKey } from "../env.js";
import { internalMutation } from "../lib/hooks.js";
import { num } from "../lib/payload.js";
import { readClerkUser, vClerkUser, type ClerkUser } from "../model/users.js";
import type { Outcome } from "../schema.js";
import { MAX_ERROR_LENGTH, storableText } from "../webhooks/ingest.js";
import { ClerkApi } from "./api.js";
import {
  vCountProbe,
  vDriftResult,
  vUserProbe,
  type CountProbe,
  type DriftCheck,
  type UserProbe,
} from "./driftSchema.js";

/** How old a change must be before its missing webhook counts: Svix's first retries and events in flight. */
export const GRACE_MS = 15 * 60_000;
/** Clock skew allowed between Clerk's `updated_at` and the component's receipt times. */
export const SKEW_MS = 60_000;
/** Counts differing by at most this many (or COUNT_TOLERANCE_RATIO of Clerk's) are never "behind". */
export const COUNT_TOLERANCE = 2;
export const COUNT_TOLERANCE_RATIO = 0.001;
/** Rows (organizations) or count shards (memberships) one count query reads. */
export const COUNT_PAGE = 4_000;
/** A kind with more rows than this is not counted (its count comparison is skipped). */
export const MAX_COUNTED = 200_000;

/** Every outcome a logged delivery can have: the newest receipt over all of them is the last webhook. */
const OUTCOMES = [
  "applied",
  "duplicate",
  "stale",
  "ignored",
  "failed",
  "foreign",
] as const satisfies readonly Outcome[];

const FIX_ROUTE =
  "Check that the app mounts the webhook route (clerk.registerRoutes in convex/http.ts), that " +
  "CLERK_WEBHOOK_SIGNING_SECRET is the endpoint's current signing secret, and that the endpoint's URL in " +
  "Clerk's dashboard (Webhooks) is this deployment's …convex.site URL and path; then run a reconcile.";
const FIX_BEHIND = "Retry failed events, or run a reconcile to bring the component in step.";

/** What one successful check read: Clerk's answers beside the component's. */
export type Observation = {
  now: number;
  user: UserProbe | null;
  organizations: { clerk: number | null; local: number | null };
  memberships: { clerk: number | null; local: number | null };
  lastWebhookAt: number | null;
};

/**
 * True when the component has Clerk's newest user as Clerk has it: the row holds that version or a
 * newer one, or every field the component keeps is the same (Clerk moves `updated_at` for changes
 * it sends no webhook for, such as a sign-in).
 */
export function userInStep(
  row: (Pick<Doc<"users">, "clerkVersion"> & ClerkUser) | null,
  updatedAt: number,
  fields: ClerkUser,
): boolean {
  if (row === null) return false;
  if (row.clerkVersion >= updatedAt) return true;
  return (Object.keys(fields) as (keyof ClerkUser)[]).every((key) => {
    // Rows from before verifiedEmails was kept have none: nothing to compare.
    if (key === "verifiedEmails" && row.verifiedEmails === undefined) return true;
    return JSON.stringify(row[key] ?? null) === JSON.stringify(fields[key] ?? null);
  });
}

/** How far two counts may differ before it is more than events in flight. */
export function countTolerance(clerk: number): number {
  return Math.max(COUNT_TOLERANCE, Math.ceil(clerk * COUNT_TOLERANCE_RATIO));
}

/**
 * One kind's count probe after this check: while the counts differ, remembers when Clerk's count
 * was first seen to move (the earliest such move is kept: a webhook should have arrived since).
 */
export function nextCountProbe(
  previous: CountProbe | null,
  lastSuccessAt: number | null,
  counts: { clerk: number | null; local: number | null },
  now: number,
): CountProbe | null {
  const { clerk, local } = counts;
  if (clerk === null) return null;
  if (local === null || local === clerk) return { clerk, local, changedAfter: null, observedAt: null };
  const pending = previous !== null && previous.changedAfter !== null && previous.observedAt !== null;
  if (pending) return { clerk, local, changedAfter: previous.changedAfter, observedAt: previous.observedAt };
  const moved = previous !== null && lastSuccessAt !== null && previous.clerk !== clerk;
  return moved
    ? { clerk, local, changedAfter: lastSuccessAt, observedAt: now }
    : { clerk, local, changedAfter: null, observedAt: null };
}

/** True when no webhook (of any outcome) arrived at or after `since`. */
function noWebhookSince(lastWebhookAt: number | null, since: number): boolean {
  return lastWebhookAt === null || lastWebhookAt < since;
}

function when(ms: number): string {
  return new Date(ms).toISOString();
}

const KIND_NAMES = { organizations: "organizations", memberships: "memberships" } as const;

/** What one check concludes from what it read and what the previous check stored. Pure. */
export function assess(previous: DriftCheck | null, observation: Observation): DriftCheck {
  const { now, user, lastWebhookAt } = observation;
  const watchingSince = previous?.watchingSince ?? now;
  const lastSuccessAt = previous?.lastSuccessAt ?? null;
  const counts = {
    organizations: nextCountProbe(previous?.organizations ?? null, lastSuccessAt, observation.organizations, now),
    memberships: nextCountProbe(previous?.memberships ?? null, lastSuccessAt, observation.memberships, now),
  };

  const silent: string[] = [];
  const behind: string[] = [];
  if (user !== null && !user.inStep && now - user.updatedAt >= GRACE_MS) {
    const change = `Clerk changed user ${user.clerkId} at ${when(user.updatedAt)} and the component does not have that change`;
    if (user.updatedAt > watchingSince && noWebhookSince(lastWebhookAt, user.updatedAt - SKEW_MS)) silent.push(change);
    else behind.push(change);
  }
  for (const kind of ["organizations", "memberships"] as const) {
    const probe = counts[kind];
    if (probe === null || probe.local === null) continue;
    const said = `Clerk has ${probe.clerk} ${KIND_NAMES[kind]}, the component ${probe.local}`;
    if (
      probe.changedAfter !== null &&
      probe.observedAt !== null &&
      now - probe.observedAt >= GRACE_MS &&
      noWebhookSince(lastWebhookAt, probe.changedAfter)
    ) {
      silent.push(`${said} (Clerk's count moved after ${when(probe.changedAfter)})`);
      continue;
    }
    const before = previous?.[kind] ?? null;
    const persists =
      before !== null &&
      before.local !== null &&
      Math.abs(before.clerk - before.local) > countTolerance(before.clerk) &&
      Math.abs(probe.clerk - probe.local) > countTolerance(probe.clerk);
    if (persists) behind.push(said);
  }

  const result = silent.length > 0 ? "webhooks_silent" : behind.length > 0 ? "behind" : "in_step";
  const since =
    lastWebhookAt === null ? "no webhook has ever arrived" : `the last webhook arrived at ${when(lastWebhookAt)}`;
  const message =
    result === "webhooks_silent"
      ? `Webhooks are silent: ${silent.join("; ")}, and ${since}. ${FIX_ROUTE}`
      : result === "behind"
        ? `The component is behind Clerk: ${behind.join("; ")}. Webhooks arrive (${since}). ${FIX_BEHIND}`
        : "In step with Clerk.";
  return {
    checkedAt: now,
    result,
    message,
    lastSuccessAt: now,
    watchingSince,
    lastWebhookAt,
    users: user,
    organizations: counts.organizations,
    memberships: counts.memberships,
  };
}

/** A check that could not ask Clerk: what the last successful one found stays, for the next to compare with. */
export function couldNotCheck(previous: DriftCheck | null, error: string, now: number): DriftCheck {
  return {
    checkedAt: now,
    result: "could_not_check",
    message: storableText(`Could not ask Clerk: ${error}`, MAX_ERROR_LENGTH),
    lastSuccessAt: previous?.lastSuccessAt ?? null,
    watchingSince: previous?.watchingSince ?? null,
    lastWebhookAt: previous?.lastWebhookAt ?? null,
    users: previous?.users ?? null,
    organizations: previous?.organizations ?? null,
    memberships: previous?.memberships ?? null,
  };
}

async function latest(ctx: QueryCtx): Promise<Doc<"driftChecks"> | null> {
  return await ctx.db.query("driftChecks").withIndex("by_checkedAt").order("desc").first();
}

function stored(row: Doc<"driftChecks"> | null): DriftCheck | null {
  if (row === null) return null;
  const { _id: _ignoredId, _creationTime: _ignoredTime, ...check } = row;
  return check;
}

/** When the newest webhook of any outcome arrived (one index read per outcome), or null. */
export async function lastWebhookAt(ctx: QueryCtx): Promise<number | null> {
  let newest: number | null = null;
  for (const outcome of OUTCOMES) {
    const row = await ctx.db
      .query("webhookEvents")
      .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", outcome))
      .order("desc")
      .first();
    if (row !== null && (newest === null || row.receivedAt > newest)) newest = row.receivedAt;
  }
  return newest;
}

const vCounts = v.object({ clerk: v.union(v.number(), v.null()), local: v.union(v.number(), v.null()) });

/** Stores what a check that reached Clerk found (one row, replaced). */
export const record = internalMutation({
  args: {
    user: v.union(v.object({ clerkId: v.string(), updatedAt: v.number(), fields: vClerkUser }), v.null()),
    organizations: vCounts,
    memberships: vCounts,
  },
  returns: vDriftResult,
  // Writes only its own table: no synced row changes, no hook runs.
  source: "reconcile",
  handler: async (ctx, args) => {
    const now = Date.now();
    const row = await latest(ctx);
    let user: UserProbe | null = null;
    if (args.user !== null) {
      const { clerkId, updatedAt, fields } = args.user;
      const local = await ctx.db
        .query("users")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId))
        .unique();
      user = { clerkId, updatedAt, inStep: userInStep(local, updatedAt, fields) };
    }
    const check = assess(stored(row), {
      now,
      user,
      organizations: args.organizations,
      memberships: args.memberships,
      lastWebhookAt: await lastWebhookAt(ctx),
    });
    await save(ctx, row, check);
    if (check.result === "webhooks_silent") console.error(`clerkSync drift watch: ${check.message}`);
    return check.result;
  },
});

/** Stores a check that could not reach Clerk. */
export const recordFailure = internalMutation({
  args: { error: v.string() },
  returns: v.null(),
  source: "reconcile",
  handler: async (ctx, { error }) => {
    const row = await latest(ctx);
    await save(ctx, row, couldNotCheck(stored(row), error, Date.now()));
    return null;
  },
});

async function save(ctx: MutationCtx, row: Doc<"driftChecks"> | null, check: DriftCheck): Promise<void> {
  if (row === null) await ctx.db.insert("driftChecks", check);
  else await ctx.db.replace("driftChecks", row._id, check);
}

const vOrganizationsCursor = v.union(v.string(), v.null());
const vShardCursor = v.union(v.object({ organizationId: v.string(), shard: v.number() }), v.null());

/** Counts up to COUNT_PAGE organization rows after `after` (a Clerk id), in Clerk id order. */
export const countOrganizations = internalQuery({
  args: { after: vOrganizationsCursor },
  returns: v.object({ count: v.number(), after: vOrganizationsCursor, done: v.boolean() }),
  handler: async (ctx, { after }) => {
    const rows = await ctx.db
      .query("organizations")
      .withIndex("by_clerkId", (q) => (after === null ? q : q.gt("clerkId", after)))
      .take(COUNT_PAGE);
    return { count: rows.length, after: rows.at(-1)?.clerkId ?? after, done: rows.length < COUNT_PAGE };
  },
});

/**
 * Sums up to COUNT_PAGE membership count shards after `after` (organization, shard): the members
 * of every organization, without reading a membership row (a shard stands for many).
 */
export const countMemberships = internalQuery({
  args: { after: vShardCursor },
  returns: v.object({ count: v.number(), after: vShardCursor, done: v.boolean() }),
  handler: async (ctx, { after }) => {
    const shards: Doc<"memberCountShards">[] = [];
    if (after !== null) {
      shards.push(
        ...(await ctx.db
          .query("memberCountShards")
          .withIndex("by_organization_and_shard", (q) =>
            q.eq("organizationId", after.organizationId).gt("shard", after.shard),
          )
          .take(COUNT_PAGE)),
      );
    }
    shards.push(
      ...(await ctx.db
        .query("memberCountShards")
        .withIndex("by_organization_and_shard", (q) =>
          after === null ? q : q.gt("organizationId", after.organizationId),
        )
        .take(COUNT_PAGE - shards.length)),
    );
    const last = shards.at(-1);
    return {
      count: shards.reduce((sum, shard) => sum + shard.count, 0),
      after: last === undefined ? after : { organizationId: last.organizationId, shard: last.shard },
      done: shards.length < COUNT_PAGE,
    };
  },
});

type CountPage<Cursor> = { count: number; after: Cursor; done: boolean };

/** Adds up count pages until done, or null past MAX_COUNTED rows read (the kind is not compared). */
async function countAll<Cursor>(
  page: (after: Cursor | null) => Promise<CountPage<Cursor | null>>,
): Promise<number | null> {
  let total = 0;
  let read = 0;
  let after: Cursor | null = null;
  for (;;) {
    const result = await page(after);
    total += result.count;
    if (result.done) return total;
    read += COUNT_PAGE;
    if (read >= MAX_COUNTED) return null;
    after = result.after;
  }
}

/**
 * The drift check (crons.ts, hourly; `npx convex run --component clerkSync clerk/drift:check` on
 * request). Does nothing without CLERK_SECRET_KEY. Returns what it concluded, or null when off.
 */
export const check = internalAction({
  args: {},
  returns: v.union(vDriftResult, v.null()),
  handler: async (ctx): Promise<Infer<typeof vDriftResult> | null> => {
    const secretKey = clerkSecretKey();
    if (secretKey === null) return null;
    let clerk: {
      user: { clerkId: string; updatedAt: number; fields: ClerkUser } | null;
      organizations: number | null;
      memberships: number | null;
    };
    try {
      const api = new ClerkApi({ secretKey, baseUrl: clerkApiUrl() });
      const newest = await api.newestUser();
      const updatedAt = newest === null ? null : num(newest, "updated_at");
      clerk = {
        user: newest === null || updatedAt === null ? null : { ...readClerkUser(newest), updatedAt },
        organizations: await api.count("organizations"),
        memberships: await api.count("memberships"),
      };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown.message : String(thrown);
      console.warn(`clerkSync drift watch could not ask Clerk: ${error}`);
      await ctx.runMutation(internal.clerk.drift.recordFailure, { error });
      return "could_not_check";
    }
    const organizations = await countAll((after: string | null) =>
      ctx.runQuery(internal.clerk.drift.countOrganizations, { after }),
    );
    const memberships = await countAll((after: { organizationId: string; shard: number } | null) =>
      ctx.runQuery(internal.clerk.drift.countMemberships, { after }),
    );
    return await ctx.runMutation(internal.clerk.drift.record, {
      user: clerk.user,
      organizations: { clerk: clerk.organizations, local: organizations },
      memberships: { clerk: clerk.memberships, local: memberships },
    });
  },
});

export const vDriftStatus = v.object({
  /** "off" without CLERK_SECRET_KEY; "unchecked" until the first check ran; else the last check's result. */
  state: v.union(v.literal("off"), v.literal("unchecked"), vDriftResult),
  message: v.string(),
  checkedAt: v.union(v.number(), v.null()),
  lastSuccessAt: v.union(v.number(), v.null()),
  lastWebhookAt: v.union(v.number(), v.null()),
  users: v.union(vUserProbe, v.null()),
  organizations: v.union(vCountProbe, v.null()),
  memberships: v.union(vCountProbe, v.null()),
});
export type DriftStatus = Infer<typeof vDriftStatus>;

/** The drift watch for sync health: one row read. */
export async function driftStatus(ctx: QueryCtx): Promise<DriftStatus> {
  const empty = {
    checkedAt: null,
    lastSuccessAt: null,
    lastWebhookAt: null,
    users: null,
    organizations: null,
    memberships: null,
  };
  if (clerkSecretKey() === null)
    return {
      state: "off",
      message:
        "The drift watch is off: CLERK_SECRET_KEY is not set. Set it (`npx convex env set CLERK_SECRET_KEY sk_…`) to have webhooks that stop arriving noticed.",
      ...empty,
    };
  const check = stored(await latest(ctx));
  if (check === null)
    return { state: "unchecked", message: "The drift watch has not run yet (it runs hourly).", ...empty };
  const { result, watchingSince: _watchingSince, ...rest } = check;
  return { state: result, ...rest };
}

/** What the drift watch last found (sync health): "off", "unchecked", "in_step", "behind", "webhooks_silent" or "could_not_check". */
export const status = query({
  args: {},
  returns: vDriftStatus,
  handler: async (ctx) => await driftStatus(ctx),
});
