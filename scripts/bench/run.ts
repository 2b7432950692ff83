/**
 * Roster's benchmark: signed Clerk webhooks through the real `POST /clerk-webhook` route under
 * convex-test, every query and mutation instrumented with a counting `ctx.db`. It measures
 *
 *  - throughput: a mixed, realistic event stream — events/s, p50/p99 per event, and documents
 *    read and written per event type;
 *  - growth: the same stream over 0, 1,000 and 10,000 existing rows per table — reads and
 *    writes per event must not change (every lookup is indexed);
 *  - cascade: `organization.deleted` for an organization of 10,000 members — mutations, the
 *    largest batch's reads and writes, time;
 *  - query cost: one page of `api.organizations.members` for organizations of 1,000 and 10,000
 *    members — documents read per page size;
 *  - burst: 500 membership events for one organization — for every document other than the
 *    memberships, how many of the 500 transactions wrote and read it (on Convex, transactions
 *    writing one document conflict: a hot row makes a burst fail).
 *
 * Times are convex-test's (an in-memory fake that scans a whole table for every index range),
 * not Convex's: read them as relative figures. Document counts are what Convex bills and limits.
 */
import os from "node:os";
import { convexTest } from "convex-test";
import { Webhook } from "svix";
import { api } from "../../convex/_generated/api";
import { addToShard, countMembers, shardOf } from "../../convex/model/memberCount";
import schema from "../../convex/schema";
import { INSTANCE_ID } from "../../test/clerkEvents";
import { catalogBuilders, type EventBuilders } from "./builders";
import { instrumentModules, Recorder, type CallRecord, type ModuleMap } from "./instrument";
import { runScheduledToEnd } from "./scheduled";
import { replicateTemplate, seedToken, tableSizes, TEMPLATE_TOKEN } from "./seed";
import { percentile, round, spread } from "./stats";
import { burstStream, eventStream, type StreamEvent } from "./stream";

export type BenchConfig = {
  /** Events in the mixed stream, driven once per growth size. */
  events: number;
  /** Existing rows per table before the stream runs; the run over 0 rows gives the throughput figures. */
  growthSizes: number[];
  /** Members of the organizations deleted in the cascade runs (one run per size). */
  cascadeMembers: number[];
  /** Organization sizes for the members query. */
  queryOrgSizes: number[];
  /** Page sizes asked of the members query. */
  pageSizes: number[];
  /** Membership events in the burst for one organization. */
  burstEvents: number;
  /** PRNG seed of the event stream. */
  seed: number;
};

export const FULL_CONFIG: BenchConfig = {
  events: 1_000,
  growthSizes: [0, 1_000, 10_000],
  cascadeMembers: [1_000, 10_000],
  queryOrgSizes: [1_000, 10_000],
  pageSizes: [10, 50, 100],
  burstEvents: 500,
  seed: 20_251_006,
};

/** What the smoke test runs: every part of the bench, at a size a test can afford. */
export const SMOKE_CONFIG: BenchConfig = {
  events: 80,
  growthSizes: [0, 150],
  cascadeMembers: [150, 450],
  queryOrgSizes: [60, 240],
  pageSizes: [5, 20],
  burstEvents: 120,
  seed: 7,
};

/** The secret the bench signs with (any valid `whsec_` secret: the backend is in memory). */
const SECRET = `whsec_${btoa("roster-bench-secret-24b!")}`;
const TABLES = Object.keys(schema.tables);

type Backend = ReturnType<typeof newInstrumentedBackend>;

function newInstrumentedBackend(modules: ModuleMap, recorder: Recorder) {
  // Convex's per-transaction limits are enforced, so a batch that would fail on Convex fails here.
  return convexTest({ schema, modules: instrumentModules(modules, recorder), transactionLimits: true });
}

/** Per-event figures: the transaction(s) of the delivery itself, and the work it scheduled. */
export type EventCost = {
  label: string;
  status: number;
  outcome: string;
  ms: number;
  reads: number;
  writes: number;
  queries: number;
  scheduled: { mutations: number; reads: number; writes: number };
};

export type TypeFigures = {
  count: number;
  outcomes: Record<string, number>;
  latencyMs: { p50: number; p99: number };
  reads: { min: number; mean: number; max: number };
  writes: { min: number; mean: number; max: number };
  queries: { min: number; mean: number; max: number };
  /** Work scheduled by the event (cascades), per event: mutations, reads, writes. */
  scheduled: { mutations: number; reads: number; writes: number };
};

export type StreamFigures = {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Answers other than 200 (none expected). */
  errors: number;
  byType: Record<string, TypeFigures>;
};

export type BenchResults = {
  generatedAt: string;
  command: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  config: BenchConfig;
  notes: string[];
  throughput: StreamFigures;
  growth: {
    levels: Array<{ existingRowsPerTable: number; tableSizes: Record<string, number>; stream: StreamFigures }>;
    /** Event types whose reads or writes per event differ between sizes (empty when flat). */
    notFlat: Array<{ type: string; reads: number[]; writes: number[] }>;
  };
  cascade: Array<{
    members: number;
    /** Time to answer the webhook (the delete and the first batch scheduled). */
    ackMs: number;
    /** Time until the last scheduled batch finished. */
    totalMs: number;
    /** Mutations run: the delivery's own and every scheduled batch. */
    mutations: number;
    largestBatch: { reads: number; writes: number };
    /** What the organization still had afterwards (all 0 when the cascade is complete). */
    remaining: { memberships: number; activity: number };
    /** Errors thrown by scheduled batches (none expected). */
    errors: string[];
  }>;
  query: {
    rows: Array<{ orgSize: number; pageSize: number; returned: number; reads: number; ms: number; search: boolean }>;
    /** Documents read for a page of n members: fixed + perMember × n (fitted on the largest organization). */
    fit: { fixed: number; perMember: number };
    independentOfOrgSize: boolean;
  };
  burst: BurstFigures;
  checks: Record<string, boolean>;
  /** Wrapper counts that disagree with convex-test's own transaction metrics (empty when they agree). */
  crossCheck: string[];
};

/** How often the documents of one table were shared by the burst's transactions. */
export type SharedDocument = { table: string; id: string; writtenBy: number; readBy: number };

export type BurstFigures = {
  events: number;
  /** Mutations run: one per delivery (and any they scheduled). */
  transactions: number;
  outcomes: Record<string, number>;
  /** The organization's row: how many transactions wrote it and read it. */
  organizationRow: { writtenBy: number; readBy: number };
  /** The most transactions that wrote any one document other than a membership, and the limit (1 in 8). */
  maxWrittenBy: number;
  writeLimit: number;
  /** Per table (memberships left out): documents touched, and the most transactions that wrote or read one of them. */
  byTable: Record<string, { documents: number; maxWrittenBy: number; maxReadBy: number }>;
  /** Every document (memberships left out) that more than one transaction wrote or read, most written first. */
  shared: SharedDocument[];
  /** The members count shown against the memberships left after the burst. */
  membersCount: { shown: number; memberships: number };
};

type Log = (line: string) => void;

/** POSTs a signed body and runs whatever it scheduled; returns the answer and every call it caused. */
async function deliver(t: Backend, recorder: Recorder, event: StreamEvent) {
  const signedAt = new Date();
  const headers = {
    "Content-Type": "application/json",
    "svix-id": event.svixId,
    "svix-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
    "svix-signature": new Webhook(SECRET).sign(event.svixId, signedAt, event.body),
  };
  const started = performance.now();
  const { result, calls } = await recorder.during(async () => {
    const response = await t.fetch("/clerk-webhook", { method: "POST", headers, body: event.body });
    const json = (await response.json()) as { outcome?: string };
    return { status: response.status, outcome: json.outcome ?? "" };
  });
  const ms = performance.now() - started;
  const { calls: scheduled } = await recorder.during(() => runScheduledToEnd(t));
  return { ...result, ms, calls, scheduled };
}

function sum(calls: CallRecord[], key: "reads" | "writes" | "queries") {
  return calls.reduce((total, call) => total + call.counts[key], 0);
}

async function driveStream(t: Backend, recorder: Recorder, events: StreamEvent[]): Promise<EventCost[]> {
  const costs: EventCost[] = [];
  for (const event of events) {
    const { status, outcome, ms, calls, scheduled } = await deliver(t, recorder, event);
    costs.push({
      label: event.label,
      status,
      outcome,
      ms,
      reads: sum(calls, "reads"),
      writes: sum(calls, "writes"),
      queries: sum(calls, "queries"),
      scheduled: { mutations: scheduled.length, reads: sum(scheduled, "reads"), writes: sum(scheduled, "writes") },
    });
  }
  return costs;
}

function summarise(costs: EventCost[], seconds: number): StreamFigures {
  const byLabel = new Map<string, EventCost[]>();
  for (const cost of costs) byLabel.set(cost.label, [...(byLabel.get(cost.label) ?? []), cost]);
  const byType: Record<string, TypeFigures> = {};
  for (const [label, group] of [...byLabel].sort(([a], [b]) => a.localeCompare(b))) {
    const outcomes: Record<string, number> = {};
    for (const cost of group) outcomes[cost.outcome] = (outcomes[cost.outcome] ?? 0) + 1;
    const ms = group.map((c) => c.ms);
    byType[label] = {
      count: group.length,
      outcomes,
      latencyMs: { p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) },
      reads: spread(group.map((c) => c.reads)),
      writes: spread(group.map((c) => c.writes)),
      queries: spread(group.map((c) => c.queries)),
      scheduled: {
        mutations: round(group.reduce((n, c) => n + c.scheduled.mutations, 0) / group.length),
        reads: round(group.reduce((n, c) => n + c.scheduled.reads, 0) / group.length),
        writes: round(group.reduce((n, c) => n + c.scheduled.writes, 0) / group.length),
      },
    };
  }
  const ms = costs.map((c) => c.ms);
  return {
    events: costs.length,
    seconds: round(seconds),
    eventsPerSecond: round(costs.length / seconds, 1),
    latencyMs: { p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), max: round(Math.max(0, ...ms)) },
    errors: costs.filter((c) => c.status !== 200).length,
    byType,
  };
}

async function runStream(t: Backend, recorder: Recorder, events: StreamEvent[]): Promise<StreamFigures> {
  const started = performance.now();
  const costs = await driveStream(t, recorder, events);
  return summarise(costs, (performance.now() - started) / 1000);
}

/** Delivers events one after another (setup: not measured), and fails on any answer but 200. */
async function setup(t: Backend, recorder: Recorder, events: object[], label: string) {
  for (const [i, envelope] of events.entries()) {
    const event = { label, type: label, svixId: `msg_${TEMPLATE_TOKEN}_${label}_${i}`, body: JSON.stringify(envelope) };
    const { status, outcome } = await deliver(t, recorder, event);
    if (status !== 200 || outcome !== "applied")
      throw new Error(`bench setup: ${label} #${i} answered ${status} ${outcome}`);
  }
}

const T0 = 1_700_000_000_000;

/** One of everything the stream touches (and a tombstone), for template ids: the unit the growth runs copy. */
function worldUnit(b: EventBuilders): object[] {
  const user = `user_${TEMPLATE_TOKEN}`;
  const org = `org_${TEMPLATE_TOKEN}`;
  const gone = `user_${TEMPLATE_TOKEN}gone`;
  return [
    b.user("user.created", user, T0),
    b.session("session.created", `sess_${TEMPLATE_TOKEN}`, user, T0 + 1),
    b.organization("organization.created", org, user, T0 + 2),
    b.membership(
      "organizationMembership.created",
      { membershipId: `orgmem_${TEMPLATE_TOKEN}`, orgId: org, userId: user, role: "org:admin" },
      T0 + 3,
    ),
    // A deleted user: tombstones are rows every synced write looks up.
    b.user("user.created", gone, T0 + 4),
    b.userDeleted(gone, T0 + 5),
  ];
}

/** A member of `orgId` (user, session, membership) for template ids: the unit the big organizations copy. */
function memberUnit(b: EventBuilders, orgId: string): object[] {
  const user = `user_${TEMPLATE_TOKEN}`;
  return [
    b.user("user.created", user, T0 + 10),
    b.session("session.created", `sess_${TEMPLATE_TOKEN}`, user, T0 + 11),
    b.membership(
      "organizationMembership.created",
      { membershipId: `orgmem_${TEMPLATE_TOKEN}`, orgId, userId: user, role: "org:member" },
      T0 + 12,
    ),
  ];
}

/** The user id of the template member (member #0) of an organization built by `bigOrganization`. */
const TEMPLATE_MEMBER = `user_${TEMPLATE_TOKEN}`;

/**
 * A backend holding one organization of `members` members: the template member (`TEMPLATE_MEMBER`)
 * and copies of it with ids seed000001 ….
 */
async function bigOrganization(
  modules: ModuleMap,
  recorder: Recorder,
  b: EventBuilders,
  orgId: string,
  members: number,
) {
  const t = newInstrumentedBackend(modules, recorder);
  await setup(t, recorder, [b.organization("organization.created", orgId, null, T0)], "organization.created");
  await setup(t, recorder, memberUnit(b, orgId), "member");
  await replicateTemplate(t, TABLES, members - 1);
  // The copies are counted members (`counted: true`), but the organization's members count, whose
  // id holds no template token, was not copied: add them, as their membership events would have.
  await t.run(async (ctx) => addToShard(ctx, orgId, shardOf(`orgmem_${TEMPLATE_TOKEN}`), members - 1));
  return t;
}

/** Deletes an organization of `members` members through the webhook and runs the cascade to the end. */
async function cascadeRun(
  modules: ModuleMap,
  recorder: Recorder,
  builders: EventBuilders,
  members: number,
): Promise<BenchResults["cascade"][number]> {
  const orgId = `org_benchcascade${members}`;
  const t = await bigOrganization(modules, recorder, builders, orgId, members);
  const deletion: StreamEvent = {
    label: "organization.deleted",
    type: "organization.deleted",
    svixId: `msg_benchcascade${members}`,
    body: JSON.stringify(builders.organizationDeleted(orgId, T0 + 1_000_000)),
  };
  const started = performance.now();
  const delivered = await deliver(t, recorder, deletion);
  const totalMs = performance.now() - started;
  if (delivered.status !== 200 || delivered.outcome !== "applied") {
    throw new Error(`cascade: organization.deleted answered ${delivered.status} ${delivered.outcome}`);
  }
  const remaining = await t.run(async (ctx) => ({
    memberships: (
      await ctx.db
        .query("memberships")
        .withIndex("by_organization_and_user", (q) => q.eq("organizationId", orgId))
        .take(1_000)
    ).length,
    activity: (
      await ctx.db
        .query("activity")
        .withIndex("by_organization_and_at", (q) => q.eq("organizationId", orgId))
        .take(1_000)
    ).length,
  }));
  const batches = delivered.scheduled.filter((c) => c.kind === "mutation");
  return {
    members,
    ackMs: round(delivered.ms),
    totalMs: round(totalMs),
    mutations: delivered.calls.filter((c) => c.kind === "mutation").length + batches.length,
    largestBatch: {
      reads: Math.max(0, ...batches.map((c) => c.counts.reads)),
      writes: Math.max(0, ...batches.map((c) => c.counts.writes)),
    },
    remaining,
    errors: [...new Set(batches.flatMap((c) => (c.error === null ? [] : [`${c.fn}: ${c.error}`])))],
  };
}

/**
 * `events` membership events for one organization, delivered one after another; for every document
 * but the memberships themselves, counts how many of the transactions wrote it and read it.
 */
async function burstRun(
  modules: ModuleMap,
  recorder: Recorder,
  builders: EventBuilders,
  events: number,
  seed: number,
): Promise<BurstFigures> {
  const orgId = "org_benchburst";
  const organizationVersion = T0 + 100;
  const t = newInstrumentedBackend(modules, recorder);
  await setup(
    t,
    recorder,
    [builders.organization("organization.created", orgId, null, organizationVersion)],
    "organization.created",
  );
  const organizationRowId = await t.run(
    async (ctx) =>
      (
        await ctx.db
          .query("organizations")
          .withIndex("by_clerkId", (q) => q.eq("clerkId", orgId))
          .unique()
      )?._id ?? null,
  );
  const stream = burstStream(builders, { count: events, seed, orgId, organizationVersion });
  const outcomes: Record<string, number> = {};
  const transactions: CallRecord[] = [];
  for (const event of stream) {
    const delivered = await deliver(t, recorder, event);
    if (delivered.status !== 200) throw new Error(`burst: ${event.label} answered ${delivered.status}`);
    outcomes[delivered.outcome] = (outcomes[delivered.outcome] ?? 0) + 1;
    transactions.push(...[...delivered.calls, ...delivered.scheduled].filter((c) => c.kind === "mutation"));
  }
  const documents = new Map<string, SharedDocument>();
  for (const call of transactions) {
    for (const [id, touched] of Object.entries(call.counts.byDocument)) {
      if (touched.table === "memberships") continue;
      const entry = documents.get(id) ?? { table: touched.table, id, writtenBy: 0, readBy: 0 };
      if (touched.writes > 0) entry.writtenBy += 1;
      if (touched.reads > 0) entry.readBy += 1;
      documents.set(id, entry);
    }
  }
  const byTable: BurstFigures["byTable"] = {};
  for (const doc of documents.values()) {
    const entry = (byTable[doc.table] ??= { documents: 0, maxWrittenBy: 0, maxReadBy: 0 });
    entry.documents += 1;
    entry.maxWrittenBy = Math.max(entry.maxWrittenBy, doc.writtenBy);
    entry.maxReadBy = Math.max(entry.maxReadBy, doc.readBy);
  }
  const organizationRow = organizationRowId === null ? undefined : documents.get(organizationRowId);
  const membersCount = await t.run(async (ctx) => ({
    shown: await countMembers(ctx, orgId),
    memberships: (
      await ctx.db
        .query("memberships")
        .withIndex("by_organization_and_user", (q) => q.eq("organizationId", orgId))
        .collect()
    ).length,
  }));
  return {
    events: stream.length,
    transactions: transactions.length,
    outcomes,
    organizationRow: { writtenBy: organizationRow?.writtenBy ?? 0, readBy: organizationRow?.readBy ?? 0 },
    maxWrittenBy: Math.max(0, ...[...documents.values()].map((d) => d.writtenBy)),
    writeLimit: Math.floor(stream.length / 8),
    byTable: Object.fromEntries(Object.entries(byTable).sort(([a], [b]) => a.localeCompare(b))),
    shared: [...documents.values()]
      .filter((d) => d.writtenBy > 1 || d.readBy > 1)
      .sort((a, b) => b.writtenBy - a.writtenBy || b.readBy - a.readBy || a.id.localeCompare(b.id)),
    membersCount,
  };
}

function checkCalls(calls: CallRecord[]): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    if (call.tracked === null) continue;
    // convex-test also counts the document a patch, replace or delete reads; the wrapper does not.
    if (call.tracked.documentsWritten !== call.counts.writes) {
      problems.push(
        `${call.fn}: wrapper counted ${call.counts.writes} writes, convex-test ${call.tracked.documentsWritten}`,
      );
    }
    if (
      call.tracked.documentsRead < call.counts.reads ||
      call.tracked.documentsRead > call.counts.reads + call.counts.writes
    ) {
      problems.push(
        `${call.fn}: wrapper counted ${call.counts.reads} reads (+ ≤${call.counts.writes} for writes), convex-test ${call.tracked.documentsRead}`,
      );
    }
  }
  return [...new Set(problems)];
}

/** Runs the whole bench. `modules` is the Convex module map (import.meta.glob or convexModulesFromDisk). */
export async function runBench(
  config: BenchConfig,
  modules: ModuleMap,
  log: Log = () => {},
  builders: EventBuilders = catalogBuilders,
): Promise<BenchResults> {
  const previousSecret = process.env.CLERK_WEBHOOK_SIGNING_SECRET;
  process.env.CLERK_WEBHOOK_SIGNING_SECRET = SECRET;
  const recorder = new Recorder();
  try {
    // Warm-up (module loading, JIT) on a throwaway deployment, so the first measured events are not its cost.
    await driveStream(
      newInstrumentedBackend(modules, recorder),
      recorder,
      eventStream(builders, { count: 30, seed: config.seed + 2, prefix: "warm" }),
    );

    // Growth: the same stream over 0 … N existing rows per table; the run over 0 rows is the throughput.
    const stream = eventStream(builders, { count: config.events, seed: config.seed });
    const levels: BenchResults["growth"]["levels"] = [];
    for (const size of [0, ...config.growthSizes.filter((s) => s > 0)]) {
      log(`stream: ${config.events} events over ${size} existing rows per table`);
      const t = newInstrumentedBackend(modules, recorder);
      if (size > 0) {
        await setup(t, recorder, worldUnit(builders), "unit");
        await replicateTemplate(t, TABLES, size - 1);
      }
      // Every level runs on a deployment whose Clerk instance is pinned (the first event ever pins
      // it: one write, once), so per-event figures compare like with like.
      await t.run(async (ctx) => {
        if ((await ctx.db.query("clerkInstance").first()) === null)
          await ctx.db.insert("clerkInstance", { instanceId: INSTANCE_ID, pinnedAt: 0, svixId: "msg_bench_pin" });
      });
      const sizes = await tableSizes(t, TABLES);
      levels.push({ existingRowsPerTable: size, tableSizes: sizes, stream: await runStream(t, recorder, stream) });
    }
    const throughput = levels[0]?.stream;
    if (throughput === undefined) throw new Error("bench: no stream was run");
    const notFlat: BenchResults["growth"]["notFlat"] = [];
    for (const type of Object.keys(levels[0]?.stream.byType ?? {})) {
      const reads = levels.map((l) => l.stream.byType[type]?.reads.mean ?? -1);
      const writes = levels.map((l) => l.stream.byType[type]?.writes.mean ?? -1);
      if (new Set(reads).size > 1 || new Set(writes).size > 1) notFlat.push({ type, reads, writes });
    }

    // Cascade: delete an organization of N members.
    const cascade: BenchResults["cascade"] = [];
    for (const members of config.cascadeMembers) {
      log(`cascade: organization.deleted with ${members} members`);
      cascade.push(await cascadeRun(modules, recorder, builders, members));
    }

    // Query cost: one page of members for organizations of each size.
    const rows: BenchResults["query"]["rows"] = [];
    for (const orgSize of config.queryOrgSizes) {
      log(`query: api.organizations.members on ${orgSize} members`);
      const orgId = `org_benchquery${orgSize}`;
      const qt = await bigOrganization(modules, recorder, builders, orgId, orgSize);
      const viewer = qt.withIdentity({ subject: TEMPLATE_MEMBER, issuer: "https://bench.clerk.accounts.dev" });
      for (const pageSize of config.pageSizes) {
        for (const search of [undefined, seedToken(orgSize - 1)]) {
          const started = performance.now();
          const { result, calls } = await recorder.during(() =>
            viewer.query(api.organizations.members, {
              organizationId: orgId,
              paginationOpts: { numItems: pageSize, cursor: null },
              search,
            }),
          );
          rows.push({
            orgSize,
            pageSize,
            returned: result.page.length,
            reads: sum(calls, "reads"),
            ms: round(performance.now() - started),
            search: search !== undefined,
          });
        }
      }
    }
    const plain = rows.filter((r) => !r.search);
    const largest = Math.max(...config.queryOrgSizes);
    const onLargest = plain.filter((r) => r.orgSize === largest).sort((a, b) => a.pageSize - b.pageSize);
    const [small, big] = [onLargest[0], onLargest[onLargest.length - 1]];
    const perMember =
      small && big && big.returned !== small.returned ? (big.reads - small.reads) / (big.returned - small.returned) : 0;
    const fit = { fixed: round(small ? small.reads - perMember * small.returned : 0), perMember: round(perMember) };
    // Pages that came back full, per page size: their reads must not depend on the organization's size.
    const independentOfOrgSize = config.pageSizes.every(
      (p) => new Set(plain.filter((r) => r.pageSize === p && r.returned === p).map((r) => r.reads)).size <= 1,
    );

    // Burst: many membership events for one organization; no document may be a hot row.
    log(`burst: ${config.burstEvents} membership events for one organization`);
    const burst = await burstRun(modules, recorder, builders, config.burstEvents, config.seed + 3);

    const all = recorder.calls;
    const crossCheck = checkCalls(all);
    const checks = {
      everyEventAnswered200: throughput.errors === 0 && levels.every((l) => l.stream.errors === 0),
      readsAndWritesFlatWithTableSize: notFlat.length === 0,
      cascadeRemovedEverything: cascade.every(
        (c) => c.remaining.memberships === 0 && c.remaining.activity === 0 && c.errors.length === 0,
      ),
      // The biggest organization is removed in several batches, and the largest batch is the same for
      // every organization that needed more than one: the work is split, not grown.
      cascadeBatchesBounded:
        (cascade[cascade.length - 1]?.mutations ?? 0) > 2 &&
        new Set(cascade.filter((c) => c.mutations > 2).map((c) => `${c.largestBatch.reads}/${c.largestBatch.writes}`))
          .size === 1,
      queryReadsIndependentOfOrgSize: independentOfOrgSize,
      queryReadsLinearInPageSize: plain.every((r) => r.reads <= fit.fixed + fit.perMember * r.returned + 1e-9),
      noFilteredOrUnindexedQueries: all.every((c) => c.counts.filteredQueries === 0 && c.counts.tableScans === 0),
      wrapperAgreesWithConvexTest: crossCheck.length === 0,
      burstNoDocumentWrittenByMoreThanOneIn8: burst.maxWrittenBy <= burst.writeLimit,
      burstNeverWritesTheOrganizationRow: burst.organizationRow.writtenBy === 0,
      burstMembersCountExact: burst.membersCount.shown === burst.membersCount.memberships,
    };
    return {
      generatedAt: new Date().toISOString(),
      command: "npm run bench",
      machine: {
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "",
      },
      config,
      notes: [
        "Times are convex-test's, an in-memory fake that scans a whole table for every index range; they are relative figures, not Convex's latencies.",
        "reads = documents returned to the function by get/query/paginate; writes = inserts, patches, replaces and deletes; counted by a wrapper around ctx.db and cross-checked with convex-test's transaction metrics.",
        "Per-event reads/writes cover the delivery's own transaction; work it scheduled (cascades) is under `scheduled`.",
        "Convex's per-transaction limits were enforced (convex-test transactionLimits: true).",
        "burst: writtenBy/readBy = how many of the burst's transactions wrote/read the document (memberships left out); documents only one transaction touched are counted per table, not listed.",
      ],
      throughput,
      growth: { levels, notFlat },
      cascade,
      query: { rows, fit, independentOfOrgSize },
      burst,
      checks,
      crossCheck,
    };
  } finally {
    if (previousSecret === undefined) delete process.env.CLERK_WEBHOOK_SIGNING_SECRET;
    else process.env.CLERK_WEBHOOK_SIGNING_SECRET = previousSecret;
  }
}
