import { ConvexError, v, type Infer } from "convex/values";
import {
  vInstanceCheck,
  vInstanceStatus,
  vPinnedInstance,
  type InstanceStatus,
  type PinnedInstance,
  type PinProblem,
  type PinSource,
} from "../model/pin.js";
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import { internalAction, internalQuery, type MutationCtx, type QueryCtx } from "../_generated/server.js";
import { pageAfter } from "../lib/cursor.js";
import { internalMutation } from "../lib/hooks.js";
import { ClerkApi } from "../clerk/api.js";
import { clerkApiUrl, clerkInstanceId, clerkIssuerHost, clerkSecretKey } from "../env.js";
import { deliver, OWN_DELIVERY } from "./deliver.js";
import { MAX_ERROR_LENGTH, storableText } from "./ingest.js";
import { keptPayloadOf } from "./kept.js";

/** Distinct foreign instance ids listed at most (each costs one index read). */
export const MAX_FOREIGN_INSTANCES = 20;
/** Kept foreign events one applyKeptForeign batch re-applies (each read and applied on its own, as a retry's). */
export const APPLY_FOREIGN_BATCH_SIZE = 20;

/** The documented command that corrects the pin. */
export const REPIN_COMMAND = "npx convex run webhooks/instance:repin";

/** The Clerk instance events must come from: CLERK_INSTANCE_ID, else the pinned one, else null (none yet). */
export async function pinnedInstance(ctx: QueryCtx): Promise<PinnedInstance> {
  const fromEnv = clerkInstanceId();
  if (fromEnv !== null) return { instanceId: fromEnv, source: "env", pinnedAt: null };
  const row = await pinRow(ctx);
  return row === null
    ? null
    : { instanceId: row.instanceId, source: row.source ?? "first_event", pinnedAt: row.pinnedAt };
}

/** The one pin row (an index read, not a scan, though there is only ever one). */
async function pinRow(ctx: QueryCtx): Promise<Doc<"clerkInstance"> | null> {
  return await ctx.db.query("clerkInstance").withIndex("by_instanceId").first();
}

/** The instance check's stored result (one row, replaced by each check), or null before the first was asked for. */
async function latestCheck(ctx: QueryCtx): Promise<Doc<"clerkInstanceChecks"> | null> {
  return await ctx.db.query("clerkInstanceChecks").withIndex("by_requestedAt").first();
}

/**
 * Checks a verified event's `instance_id` against the pinned instance. With nothing pinned: when
 * CLERK_SECRET_KEY is set, the pin comes from Clerk (the instance check, asked for once here), not
 * from an event, and the event applies; without a key, the first event pins its instance (the
 * singleton row is written once, then only read: no hot row; two first events racing conflict and
 * Convex retries one, which then sees the pin).
 * Returns the pinned instance id when the event comes from another instance, else null.
 */
export async function foreignInstance(
  ctx: MutationCtx,
  instanceId: string,
  svixId: string,
  now: number,
): Promise<string | null> {
  const pinned = await pinnedInstance(ctx);
  if (pinned !== null) return pinned.instanceId === instanceId ? null : pinned.instanceId;
  if (clerkSecretKey() !== null) {
    if ((await latestCheck(ctx)) === null) {
      await ctx.db.insert("clerkInstanceChecks", {
        requestedAt: now,
        checkedAt: null,
        keyInstanceId: null,
        keyHosts: [],
        error: null,
      });
      await ctx.scheduler.runAfter(0, internal.webhooks.instance.check, {});
    }
    return null;
  }
  await ctx.db.insert("clerkInstance", { instanceId, pinnedAt: now, svixId, source: "first_event" });
  console.info(
    `Pinned Clerk instance ${instanceId} (first verified event ${svixId}); events from others are not applied.`,
  );
  return null;
}

/** The instance ids foreign events came from (those still kept as foreign), one index read each. */
export async function foreignInstanceIds(ctx: QueryCtx): Promise<string[]> {
  const ids: string[] = [];
  let after = "";
  while (ids.length < MAX_FOREIGN_INSTANCES) {
    const row = await ctx.db
      .query("webhookEvents")
      .withIndex("by_outcome_and_instanceId", (q) => q.eq("outcome", "foreign").gt("instanceId", after))
      .first();
    if (row?.instanceId === undefined) break;
    ids.push(row.instanceId);
    after = row.instanceId;
  }
  return ids;
}

/**
 * What disagrees between the pin, the secret key's instance and the JWT issuer (as the last stored
 * check saw the key), each with the command that fixes it. Pure: the check itself is an action.
 */
export function pinProblems(
  pinned: PinnedInstance,
  check: Infer<typeof vInstanceCheck> | null,
  issuerHost: string | null,
): PinProblem[] {
  const problems: PinProblem[] = [];
  if (check === null) return problems;
  if (check.error !== null) {
    problems.push({
      what: `The instance check could not ask Clerk which instance CLERK_SECRET_KEY belongs to: ${check.error}`,
      fix: "Check CLERK_SECRET_KEY (and CLERK_API_URL), then run `npx convex run webhooks/instance:check`.",
    });
    return problems;
  }
  const key = check.keyInstanceId;
  if (key !== null && pinned !== null && pinned.instanceId !== key) {
    problems.push({
      what:
        `Webhooks are pinned to Clerk instance ${pinned.instanceId} (${sourceLabel(pinned.source)}), but CLERK_SECRET_KEY ` +
        `belongs to ${key}: its events are answered "foreign" and kept, not applied.`,
      fix:
        pinned.source === "env"
          ? `npx convex env set CLERK_INSTANCE_ID ${key}, then ${REPIN_COMMAND} (applies the kept events)`
          : `${REPIN_COMMAND} (or "Pin to the secret key's instance" on the admin page): pins ${key} and applies the kept events`,
    });
  }
  if (issuerHost !== null && check.keyHosts.length > 0 && !check.keyHosts.includes(issuerHost)) {
    problems.push({
      what:
        `CLERK_JWT_ISSUER_DOMAIN (${issuerHost}) is not a domain Clerk lists for CLERK_SECRET_KEY's instance ` +
        `(${check.keyHosts.join(", ")}): users sign in with one Clerk instance and webhooks come from another.`,
      fix: `npx convex env set CLERK_JWT_ISSUER_DOMAIN https://${check.keyHosts[0]}   (or set CLERK_SECRET_KEY to the key of ${issuerHost})`,
    });
  }
  return problems;
}

function sourceLabel(source: PinSource): string {
  switch (source) {
    case "env":
      return "CLERK_INSTANCE_ID";
    case "first_event":
      return "by the first verified event";
    case "secret_key":
      return "the secret key's instance";
    case "operator":
      return "confirmed by an operator";
  }
}

/** The pin, the last check, the foreign instances seen and what disagrees: for sync health and the doctor. */
export async function instanceStatus(ctx: QueryCtx): Promise<InstanceStatus> {
  const pinned = await pinnedInstance(ctx);
  const hasSecretKey = clerkSecretKey() !== null;
  const row = hasSecretKey ? await latestCheck(ctx) : null;
  const check =
    row === null
      ? null
      : { checkedAt: row.checkedAt, keyInstanceId: row.keyInstanceId, keyHosts: row.keyHosts, error: row.error };
  return {
    pinned,
    hasSecretKey,
    check,
    foreignInstanceIds: await foreignInstanceIds(ctx),
    problems: pinProblems(pinned, check, clerkIssuerHost()),
  };
}

/**
 * Pins `instanceId` (an operator's correction, or the secret key's instance) and schedules the
 * kept foreign events from it to apply. Without a key, the id must be one of the foreign instances
 * seen (a typo pins nothing); CLERK_INSTANCE_ID, when set, is corrected with `npx convex env set`.
 */
export async function correctPin(
  ctx: MutationCtx,
  instanceId: string,
  source: "secret_key" | "operator",
  now: number,
): Promise<{ instanceId: string; previous: string | null }> {
  const fromEnv = clerkInstanceId();
  if (fromEnv !== null && fromEnv !== instanceId)
    throw new ConvexError({
      code: "PINNED_BY_ENV",
      message: `CLERK_INSTANCE_ID pins ${fromEnv}. Run \`npx convex env set CLERK_INSTANCE_ID ${instanceId}\`, then \`${REPIN_COMMAND}\` to apply the kept events.`,
    });
  if (source === "operator") {
    const seen = await foreignInstanceIds(ctx);
    if (!seen.includes(instanceId))
      throw new ConvexError({
        code: "UNKNOWN_INSTANCE",
        message:
          seen.length === 0
            ? `No event from ${instanceId} is kept as foreign: nothing to pin it for.`
            : `No event from ${instanceId} is kept as foreign. Pin one of the instances seen: ${seen.join(", ")}.`,
      });
  }
  const row = await pinRow(ctx);
  const previous = fromEnv ?? row?.instanceId ?? null;
  if (fromEnv === null) {
    if (row === null) await ctx.db.insert("clerkInstance", { instanceId, pinnedAt: now, source });
    else if (row.instanceId !== instanceId)
      await ctx.db.patch("clerkInstance", row._id, { instanceId, pinnedAt: now, source, svixId: undefined });
  }
  if (previous !== instanceId)
    console.warn(`Clerk instance pin corrected: ${previous ?? "none"} → ${instanceId} (${sourceLabel(source)}).`);
  await ctx.scheduler.runAfter(0, internal.webhooks.instance.applyKeptForeign, { instanceId, cursor: null });
  return { instanceId, previous };
}

/** The pinned Clerk instance (`npx convex run webhooks/instance:pinned`). */
export const pinned = internalQuery({
  args: {},
  returns: vPinnedInstance,
  handler: async (ctx) => await pinnedInstance(ctx),
});

/** The pin, the last check and what disagrees (`npx convex run webhooks/instance:status`). */
export const status = internalQuery({
  args: {},
  returns: vInstanceStatus,
  handler: async (ctx) => await instanceStatus(ctx),
});

const vCheckResult = v.object({
  keyInstanceId: v.union(v.string(), v.null()),
  keyHosts: v.array(v.string()),
  error: v.union(v.string(), v.null()),
});

/** Stores the instance check's result (one row, replaced) and pins the key's instance when nothing is pinned. */
export const recordCheck = internalMutation({
  args: vCheckResult.fields,
  returns: v.null(),
  source: "webhook",
  handler: async (ctx, result) => {
    const now = Date.now();
    const row = await latestCheck(ctx);
    if (row === null) await ctx.db.insert("clerkInstanceChecks", { requestedAt: now, checkedAt: now, ...result });
    else await ctx.db.patch("clerkInstanceChecks", row._id, { checkedAt: now, ...result });
    if (result.keyInstanceId !== null && (await pinnedInstance(ctx)) === null) {
      await ctx.db.insert("clerkInstance", { instanceId: result.keyInstanceId, pinnedAt: now, source: "secret_key" });
      console.info(`Pinned Clerk instance ${result.keyInstanceId} (CLERK_SECRET_KEY's, as Clerk's Backend API says).`);
    }
    return null;
  },
});

/** Asks Clerk's Backend API which instance CLERK_SECRET_KEY belongs to and which Frontend API domains it has. */
async function askClerk(secretKey: string): Promise<Infer<typeof vCheckResult>> {
  const api = new ClerkApi({ secretKey, baseUrl: clerkApiUrl() });
  try {
    const keyInstanceId = await api.instanceId();
    const hosts = await api.frontendApiHosts();
    return { keyInstanceId, keyHosts: [...hosts].slice(0, MAX_FOREIGN_INSTANCES), error: null };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown.message : String(thrown);
    return { keyInstanceId: null, keyHosts: [], error: storableText(error, MAX_ERROR_LENGTH) };
  }
}

/**
 * The instance check: with CLERK_SECRET_KEY set, asks Clerk which instance the key belongs to (and
 * its Frontend API domains), stores the answer for sync health (a query cannot call Clerk) and pins
 * that instance when nothing is pinned. Runs hourly (crons.ts), once when an event arrives with a
 * key and no pin, and from `npm run doctor`; returns the status.
 */
export const check = internalAction({
  args: {},
  returns: vInstanceStatus,
  handler: async (ctx): Promise<InstanceStatus> => {
    const secretKey = clerkSecretKey();
    if (secretKey !== null) await ctx.runMutation(internal.webhooks.instance.recordCheck, await askClerk(secretKey));
    return await ctx.runQuery(internal.webhooks.instance.status, {});
  },
});

export const pinTo = internalMutation({
  args: { instanceId: v.string(), source: v.union(v.literal("secret_key"), v.literal("operator")) },
  returns: v.object({ instanceId: v.string(), previous: v.union(v.string(), v.null()) }),
  source: "webhook",
  handler: async (ctx, { instanceId, source }) => await correctPin(ctx, instanceId, source, Date.now()),
});

/**
 * Corrects the pin: `npx convex run webhooks/instance:repin`. With CLERK_SECRET_KEY set, pins the
 * key's instance (as Clerk says); without one, name the instance to pin, one of the foreign ones
 * seen: `npx convex run webhooks/instance:repin '{"instanceId": "ins_…"}'`. Then the events kept
 * as foreign from it apply, in batches.
 */
export const repin = internalAction({
  args: { instanceId: v.optional(v.string()) },
  returns: v.object({ instanceId: v.string(), previous: v.union(v.string(), v.null()) }),
  handler: async (ctx, { instanceId }): Promise<{ instanceId: string; previous: string | null }> => {
    const secretKey = clerkSecretKey();
    if (secretKey === null) {
      if (instanceId === undefined) {
        const { foreignInstanceIds: seen } = await ctx.runQuery(internal.webhooks.instance.status, {});
        throw new ConvexError({
          code: "NAME_THE_INSTANCE",
          message:
            seen.length === 0
              ? "CLERK_SECRET_KEY is not set and no event is kept as foreign: nothing to correct."
              : `CLERK_SECRET_KEY is not set, so Clerk cannot say which instance is yours. The foreign instances seen: ${seen.join(", ")}. ` +
                `Confirm one: ${REPIN_COMMAND} '{"instanceId": "${seen[0]}"}'`,
        });
      }
      return await ctx.runMutation(internal.webhooks.instance.pinTo, { instanceId, source: "operator" });
    }
    const result = await askClerk(secretKey);
    await ctx.runMutation(internal.webhooks.instance.recordCheck, result);
    if (result.keyInstanceId === null)
      throw new ConvexError({
        code: "CHECK_FAILED",
        message: `Could not ask Clerk which instance CLERK_SECRET_KEY belongs to: ${String(result.error)}`,
      });
    if (instanceId !== undefined && instanceId !== result.keyInstanceId)
      throw new ConvexError({
        code: "NOT_THE_KEYS_INSTANCE",
        message: `CLERK_SECRET_KEY belongs to ${result.keyInstanceId}, not ${instanceId}: the pin follows the key. Run ${REPIN_COMMAND} without an instance id.`,
      });
    return await ctx.runMutation(internal.webhooks.instance.pinTo, {
      instanceId: result.keyInstanceId,
      source: "secret_key",
    });
  },
});

/** The next batch of events kept as foreign from `instanceId` (log rows only). */
export const keptForeignBatch = internalQuery({
  args: { instanceId: v.string(), cursor: v.union(v.string(), v.null()) },
  returns: v.object({ svixIds: v.array(v.string()), cursor: v.union(v.string(), v.null()), isDone: v.boolean() }),
  handler: async (ctx, { instanceId, cursor }) => {
    const page = await pageAfter(ctx.db, {
      table: "webhookEvents",
      index: "by_outcome_and_instanceId",
      prefix: ["foreign", instanceId],
      cursor,
      numItems: APPLY_FOREIGN_BATCH_SIZE,
    });
    return { svixIds: page.page.map((row) => row.svixId), cursor: page.continueCursor, isDone: page.isDone };
  },
});

/** The payload kept for a foreign event, or null. */
export const keptForeignPayload = internalQuery({
  args: { svixId: v.string() },
  returns: v.union(v.string(), v.null()),
  handler: async (ctx, { svixId }) => (await keptPayloadOf(ctx, svixId))?.payload ?? null,
});

/**
 * Applies the events kept as foreign from `instanceId` (now pinned) from their kept payloads,
 * through the same path as a delivery, a batch at a time, each batch scheduling the next.
 */
export const applyKeptForeign = internalAction({
  args: { instanceId: v.string(), cursor: v.union(v.string(), v.null()) },
  returns: v.object({ applied: v.number(), notApplied: v.number(), isDone: v.boolean() }),
  handler: async (ctx, { instanceId, cursor }): Promise<{ applied: number; notApplied: number; isDone: boolean }> => {
    const batch: { svixIds: string[]; cursor: string | null; isDone: boolean } = await ctx.runQuery(
      internal.webhooks.instance.keptForeignBatch,
      { instanceId, cursor },
    );
    let applied = 0;
    let notApplied = 0;
    for (const svixId of batch.svixIds) {
      const payload = await ctx.runQuery(internal.webhooks.instance.keptForeignPayload, { svixId });
      const outcome = payload === null ? null : (await deliver(ctx, OWN_DELIVERY, svixId, payload, { retry: true })).outcome;
      if (outcome === "failed" || outcome === "foreign" || outcome === null) notApplied += 1;
      else applied += 1;
    }
    if (batch.svixIds.length > 0)
      console.info(
        `Kept events from Clerk instance ${instanceId}: ${applied} applied, ${notApplied} not (failed, still foreign, or no payload kept).`,
      );
    if (!batch.isDone)
      await ctx.scheduler.runAfter(0, internal.webhooks.instance.applyKeptForeign, {
        instanceId,
        cursor: batch.cursor,
      });
    return { applied, notApplied, isDone: batch.isDone };
  },
});
