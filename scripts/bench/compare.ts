/**
 * Today's figures against now's. The baseline (bench/baseline-app-tables.json) is the bench run on
 * the last commit before the sync engine moved into the clerkSync component, when every synced
 * table was Roster's own; `compareWithBaseline` sets a run's figures beside it, per event type and
 * per Roster query, and answers the checks issue 16 asks for:
 *
 *  - one component mutation per webhook;
 *  - per event, no more reads or writes than today apart from the projection's own rows (Roster's
 *    members list and activity feed, PROJECTION_TABLES, counted apart);
 *  - each Roster query at most two calls into the component;
 *  - a members page reads at most 1 + 3 × the members it returns.
 *
 * (The burst's figures — no document written by more than 1 in 8 events, the organization's row by
 * none — are checked by the run itself, through the boundary: run.ts's burst checks.)
 *
 * Pure functions of the results, so a test can hold them to their word.
 */
import type { Side } from "./run";

/** What a run's results must have for a baseline or a comparison (today's results.json has all but the optional parts). */
export type ComparableResults = {
  generatedAt: string;
  command: string;
  config: { events: number; seed: number };
  throughput: {
    byType: Record<
      string,
      {
        count: number;
        reads: { mean: number };
        writes: { mean: number };
        byTable?: Record<string, Side>;
        projection?: Side;
        boundary?: {
          toComponent: { mean: number; max: number };
          toComponentMutations: { max: number };
          toApp: { mean: number };
        };
        transactions?: { max: number };
      }
    >;
  };
  query: {
    rows: Array<{
      orgSize: number;
      pageSize: number;
      returned: number;
      reads: number;
      search: boolean;
      componentCalls?: number;
    }>;
  };
  queries?: Array<{ name: string; reads: number; componentCalls: number; error: string | null }>;
};

export type EventBaseline = {
  count: number;
  reads: number;
  writes: number;
  /** Reads and writes of the projection's tables (PROJECTION_TABLES), included in reads and writes; null when the run had no per-table figures. */
  projection: Side | null;
  byTable: Record<string, Side> | null;
};

export type Baseline = {
  what: string;
  measuredOn: { commit: string; subject: string; command: string; generatedAt: string };
  /** The mixed stream it was measured on: a run compares with it only on the same stream. */
  stream: { events: number; seed: number };
  events: Record<string, EventBaseline>;
  membersPages: Array<{ orgSize: number; pageSize: number; search: boolean; returned: number; reads: number }>;
  queries: Record<string, { reads: number; componentCalls: number }>;
};

/** The sum of `tables`' reads and writes in a per-table breakdown (app tables are named without a scope). */
export function sideOf(byTable: Record<string, Side>, tables: readonly string[]): Side {
  const side = { reads: 0, writes: 0 };
  for (const table of tables) {
    side.reads += byTable[table]?.reads ?? 0;
    side.writes += byTable[table]?.writes ?? 0;
  }
  return { reads: round(side.reads), writes: round(side.writes) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The baseline kept from a run: per event type, per members page, per Roster query. */
export function baselineFrom(
  results: ComparableResults,
  measuredOn: { commit: string; subject: string },
  projectionTables: readonly string[],
): Baseline {
  return {
    what: "npm run bench on the last commit before the engine moved into the clerkSync component: every synced table was Roster's own",
    measuredOn: { ...measuredOn, command: results.command, generatedAt: results.generatedAt },
    stream: { events: results.config.events, seed: results.config.seed },
    events: Object.fromEntries(
      Object.entries(results.throughput.byType).map(([label, f]) => [
        label,
        {
          count: f.count,
          reads: f.reads.mean,
          writes: f.writes.mean,
          projection: f.byTable === undefined ? null : sideOf(f.byTable, projectionTables),
          byTable: f.byTable ?? null,
        },
      ]),
    ),
    membersPages: results.query.rows.map(({ orgSize, pageSize, search, returned, reads }) => ({
      orgSize,
      pageSize,
      search,
      returned,
      reads,
    })),
    queries: Object.fromEntries(
      (results.queries ?? []).map((q) => [q.name, { reads: q.reads, componentCalls: q.componentCalls }]),
    ),
  };
}

export type EventComparison = {
  label: string;
  count: number;
  today: { reads: number; writes: number; apartFromProjection: Side } | null;
  now: {
    reads: number;
    writes: number;
    projection: Side;
    apartFromProjection: Side;
    /** Calls into the component per event (mean), component mutations (most in one event), the component's calls into the app (mean). */
    componentCalls: number;
    componentMutations: number;
    hookCalls: number;
  };
  /** True when now's reads or writes apart from the projection exceed today's. */
  aboveToday: boolean;
  /**
   * Per table (named without its scope: the component's `clerkSync:users` is today's `users`), now's
   * mean reads and writes less today's, where they differ — where a difference comes from
   * (projection tables left out; null without per-table figures on both sides).
   */
  tableDelta: Record<string, Side> | null;
};

export type QueryComparison = {
  name: string;
  today: { reads: number; componentCalls: number } | null;
  now: { reads: number; componentCalls: number; error: string | null };
};

export type Comparison = {
  baseline: Baseline["measuredOn"];
  events: EventComparison[];
  queries: QueryComparison[];
  membersPages: Array<{
    orgSize: number;
    pageSize: number;
    search: boolean;
    returned: number;
    today: number | null;
    now: number;
    limit: number;
    componentCalls: number;
  }>;
  checks: {
    oneComponentMutationPerWebhook: boolean;
    noEventAboveTodayApartFromProjection: boolean;
    rosterQueriesAtMostTwoComponentCalls: boolean;
    membersPageWithinOnePlusThreePerMember: boolean;
  };
};

const EPSILON = 1e-9;

/** A table's name without the component's prefix (`clerkSync:users` → `users`). */
function unscoped(label: string): string {
  return label.slice(label.indexOf(":") + 1);
}

/** Per table (scopes merged, projection left out): now − today, where it is not zero. */
export function tableDelta(
  today: Record<string, Side>,
  now: Record<string, Side>,
  projectionTables: readonly string[],
): Record<string, Side> {
  const sum = (byTable: Record<string, Side>) => {
    const out: Record<string, Side> = {};
    for (const [label, side] of Object.entries(byTable)) {
      const table = unscoped(label);
      if (projectionTables.includes(label)) continue;
      const entry = (out[table] ??= { reads: 0, writes: 0 });
      entry.reads += side.reads;
      entry.writes += side.writes;
    }
    return out;
  };
  const [then, nowByTable] = [sum(today), sum(now)];
  const delta: Record<string, Side> = {};
  for (const table of [...new Set([...Object.keys(then), ...Object.keys(nowByTable)])].sort()) {
    const reads = round((nowByTable[table]?.reads ?? 0) - (then[table]?.reads ?? 0));
    const writes = round((nowByTable[table]?.writes ?? 0) - (then[table]?.writes ?? 0));
    if (reads !== 0 || writes !== 0) delta[table] = { reads, writes };
  }
  return delta;
}

/** True when `results` drove the same mixed stream as the baseline (a scaled run does not). */
export function sameStream(baseline: Baseline, results: ComparableResults): boolean {
  return baseline.stream.events === results.config.events && baseline.stream.seed === results.config.seed;
}

/** A run's figures against the baseline's, and the checks. */
export function compareWithBaseline(
  baseline: Baseline,
  results: ComparableResults,
  projectionTables: readonly string[],
): Comparison {
  const events: EventComparison[] = Object.entries(results.throughput.byType).map(([label, f]) => {
    const projection =
      f.projection ?? (f.byTable === undefined ? { reads: 0, writes: 0 } : sideOf(f.byTable, projectionTables));
    const then = baseline.events[label];
    const thenProjection = then?.projection ?? { reads: 0, writes: 0 };
    const today =
      then === undefined
        ? null
        : {
            reads: then.reads,
            writes: then.writes,
            apartFromProjection: {
              reads: round(then.reads - thenProjection.reads),
              writes: round(then.writes - thenProjection.writes),
            },
          };
    const apartFromProjection = {
      reads: round(f.reads.mean - projection.reads),
      writes: round(f.writes.mean - projection.writes),
    };
    return {
      label,
      count: f.count,
      tableDelta:
        then?.byTable == null || f.byTable === undefined ? null : tableDelta(then.byTable, f.byTable, projectionTables),
      today,
      now: {
        reads: f.reads.mean,
        writes: f.writes.mean,
        projection,
        apartFromProjection,
        componentCalls: f.boundary?.toComponent.mean ?? 0,
        componentMutations: f.boundary?.toComponentMutations.max ?? 0,
        hookCalls: f.boundary?.toApp.mean ?? 0,
      },
      aboveToday:
        today !== null &&
        (apartFromProjection.reads > today.apartFromProjection.reads + EPSILON ||
          apartFromProjection.writes > today.apartFromProjection.writes + EPSILON),
    };
  });
  const queries: QueryComparison[] = (results.queries ?? []).map((q) => ({
    name: q.name,
    today: baseline.queries[q.name] ?? null,
    now: { reads: q.reads, componentCalls: q.componentCalls, error: q.error },
  }));
  const membersPages = results.query.rows.map((row) => ({
    orgSize: row.orgSize,
    pageSize: row.pageSize,
    search: row.search,
    returned: row.returned,
    today:
      baseline.membersPages.find(
        (b) => b.orgSize === row.orgSize && b.pageSize === row.pageSize && b.search === row.search,
      )?.reads ?? null,
    now: row.reads,
    limit: 1 + 3 * row.returned,
    componentCalls: row.componentCalls ?? 0,
  }));
  return {
    baseline: baseline.measuredOn,
    events,
    queries,
    membersPages,
    checks: {
      oneComponentMutationPerWebhook: events.every((e) => e.now.componentMutations <= 1),
      // An event type today's run did not see has nothing to be held to; the stream is seeded, so all match.
      noEventAboveTodayApartFromProjection: events.every((e) => !e.aboveToday),
      rosterQueriesAtMostTwoComponentCalls:
        queries.every((q) => q.now.componentCalls <= 2) && membersPages.every((p) => p.componentCalls <= 2),
      membersPageWithinOnePlusThreePerMember: membersPages.every((p) => p.now <= p.limit),
    },
  };
}
