import { v, type Infer } from "convex/values";
import type { QueryCtx } from "../_generated/server.js";
import { clampCount } from "../lib/bounded.js";
import { pageAfter, type Page, type PageRequest } from "../lib/cursor.js";
import { vOutcome, type Outcome } from "../schema.js";
import { instanceStatus } from "../webhooks/instance.js";
import { vInstanceCheck, vPinnedInstance, vPinProblem } from "./pin.js";
import { getOrganizationByClerkId } from "./organizations.js";
/** The most rows one page of the event log returns. */
export const MAX_PAGE_SIZE = 100;
import { displayName, getUserByClerkId } from "./users.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Failure counts stop at this many (the view shows "1000+"); the log's failed rows are read through an index. */
export const FAILURE_COUNT_CAP = 1000;

/** The Clerk ids of one log row whose names the event log looks up (a row names a few: user, organization, membership). */
export const MAX_NAMED_IDS = 4;

/** The family of an event type: `organizationMembership` for `organizationMembership.created`; "" for none. */
export function eventFamily(type: string): string {
  const dot = type.indexOf(".");
  return dot === -1 ? type : type.slice(0, dot);
}

/** A Clerk id a log row touched, with the name Roster has for it (users and organizations), or null. */
export const vNamedId = v.object({
  clerkId: v.string(),
  kind: v.union(v.literal("user"), v.literal("organization"), v.literal("other")),
  name: v.union(v.string(), v.null()),
});
export type NamedId = Infer<typeof vNamedId>;

export const vLoggedEvent = v.object({
  id: v.string(),
  svixId: v.string(),
  type: v.string(),
  family: v.string(),
  /** The Clerk ids the event touched, each with its name when Roster has it. */
  subjects: v.array(vNamedId),
  outcome: vOutcome,
  clerkIds: v.array(v.string()),
  timestamp: v.union(v.number(), v.null()),
  receivedAt: v.number(),
  attempts: v.number(),
  error: v.union(v.string(), v.null()),
});
export type LoggedEvent = Infer<typeof vLoggedEvent>;

export const vSyncHealth = v.object({
  lastEventAt: v.union(v.number(), v.null()),
  failedLast24h: v.number(),
  failedTotal: v.number(),
  /** The Clerk instance events must come from, or null until the first verified event pins one. */
  instance: vPinnedInstance,
  /** Events from another Clerk instance in the log (not applied): a warning (capped like the failures). */
  foreignTotal: v.number(),
  /** The newest of them: which instance sent it, and when. */
  lastForeign: v.union(v.null(), v.object({ instanceId: v.union(v.string(), v.null()), at: v.number() })),
  /** The pin checked against CLERK_SECRET_KEY's instance (as the last scheduled check stored it). */
  pin: v.object({
    hasSecretKey: v.boolean(),
    check: v.union(vInstanceCheck, v.null()),
    /** The instances the kept foreign events came from: one may be confirmed as the pin (no key). */
    foreignInstanceIds: v.array(v.string()),
    /** What disagrees (the pin and the key's instance, the JWT issuer and the key's domains), each with its fix. */
    problems: v.array(vPinProblem),
  }),
});

export const vCommunication = v.object({
  id: v.string(),
  channel: v.union(v.literal("email"), v.literal("sms")),
  recipient: v.union(v.string(), v.null()),
  subject: v.union(v.string(), v.null()),
  template: v.union(v.string(), v.null()),
  status: v.union(v.string(), v.null()),
  at: v.number(),
});

/** The log's index range that fits the filters (never a filter scan); read newest first. */
function logRange(
  outcome: Outcome | undefined,
  family: string | undefined,
): Pick<PageRequest<"webhookEvents">, "index" | "prefix"> {
  if (outcome !== undefined && family !== undefined)
    return { index: "by_outcome_and_family_and_receivedAt", prefix: [outcome, family] };
  if (outcome !== undefined) return { index: "by_outcome_and_receivedAt", prefix: [outcome] };
  if (family !== undefined) return { index: "by_family_and_receivedAt", prefix: [family] };
  return { index: "by_creation_time" };
}

/**
 * Names the Clerk ids of a page of log rows: one indexed lookup per distinct user or organization
 * id (at most MAX_NAMED_IDS per row, so at most 4 × page size reads). A deleted one has no name.
 */
async function nameIds(ctx: QueryCtx, ids: string[]): Promise<Map<string, NamedId>> {
  const named = new Map<string, NamedId>();
  for (const clerkId of ids) {
    if (named.has(clerkId)) continue;
    const kind = idKind(clerkId);
    if (kind === "user") {
      const user = await getUserByClerkId(ctx, clerkId);
      named.set(clerkId, { clerkId, kind, name: user === null ? null : displayName(user) });
    } else if (kind === "organization") {
      const organization = await getOrganizationByClerkId(ctx, clerkId);
      named.set(clerkId, { clerkId, kind, name: organization?.name ?? null });
    }
  }
  return named;
}

function idKind(clerkId: string): NamedId["kind"] {
  if (clerkId.startsWith("user_")) return "user";
  if (clerkId.startsWith("org_")) return "organization";
  return "other";
}

/**
 * One page of the webhook event log, newest first, optionally of one outcome and/or one event
 * family, with the users and organizations each row touched named; no payload is read or returned.
 * Rows logged before `family` was stored match no family filter (they show unfiltered).
 */
export async function eventLogPage(
  ctx: QueryCtx,
  { cursor, numItems }: { cursor: string | null; numItems: number },
  outcome: Outcome | undefined,
  family?: string,
): Promise<Page<LoggedEvent>> {
  const page = await pageAfter(ctx.db, {
    table: "webhookEvents",
    ...logRange(outcome, family),
    order: "desc",
    cursor,
    numItems: clampCount(numItems, 1, MAX_PAGE_SIZE),
  });
  const named = await nameIds(
    ctx,
    page.page.flatMap((row) => row.clerkIds.slice(0, MAX_NAMED_IDS)),
  );
  return {
    ...page,
    page: page.page.map((row) => ({
      id: row._id,
      svixId: row.svixId,
      type: row.type,
      family: row.family ?? eventFamily(row.type),
      subjects: row.clerkIds.map((clerkId) => named.get(clerkId) ?? { clerkId, kind: idKind(clerkId), name: null }),
      outcome: row.outcome,
      clerkIds: row.clerkIds,
      timestamp: row.timestamp,
      receivedAt: row.receivedAt,
      attempts: row.attempts,
      error: row.error ?? null,
    })),
  };
}

/**
 * When the newest event arrived, how many events are failed (in the last 24 h, and in all), the
 * pinned Clerk instance, the events from others and what the last instance check found. Reads log
 * rows only, each once (kept payloads live in their own table; rows from before it get theirs moved
 * by webhooks/log:movePayloads): at most 2 × FAILURE_COUNT_CAP small rows.
 */
export async function computeSyncHealth(ctx: QueryCtx, now: number): Promise<Infer<typeof vSyncHealth>> {
  const newest = await ctx.db.query("webhookEvents").order("desc").first();
  // Newest first, so the last day's failures are the first ones read (counted up to the cap).
  const failedAll = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed"))
    .order("desc")
    .take(FAILURE_COUNT_CAP);
  const failedLast24h = failedAll.filter((row) => row.receivedAt > now - DAY_MS).length;
  const foreign = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "foreign"))
    .order("desc")
    .take(FAILURE_COUNT_CAP);
  const newestForeign = foreign[0];
  const { pinned, ...pin } = await instanceStatus(ctx);
  return {
    lastEventAt: newest?.receivedAt ?? null,
    failedLast24h,
    failedTotal: failedAll.length,
    instance: pinned,
    pin,
    foreignTotal: foreign.length,
    lastForeign:
      newestForeign === undefined
        ? null
        : { instanceId: newestForeign.instanceId ?? null, at: newestForeign.receivedAt },
  };
}

/** The newest emails and text messages Clerk sent for the app. */
export async function recentCommunications(ctx: QueryCtx, limit = 20): Promise<Array<Infer<typeof vCommunication>>> {
  const rows = await ctx.db
    .query("communications")
    .order("desc")
    .take(clampCount(limit, 20, MAX_PAGE_SIZE));
  return rows.map((row) => ({
    id: row._id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    template: row.template,
    status: row.status,
    at: row.clerkVersion,
  }));
}
