/**
 * `npm run bench`: measures how fast Roster applies Clerk's webhooks and how their cost grows, and
 * writes bench/results.json. See scripts/bench/run.ts for what is measured and how.
 *
 *   npm run bench                      # the full run (about 15 minutes on 2 cores) → bench/results.json
 *   BENCH_SCALE=0.1 npm run bench      # every size scaled down, for a quick look → artifacts/bench-quick.json
 *   BENCH_OUT=/tmp/r.json npm run bench
 *
 * Only a full-size run writes the committed bench/results.json; a scaled run writes under
 * artifacts/ (git-ignored), so a quick look never replaces the published figures.
 *
 * Exits 1 when a check fails (reads growing with table size, a page reading more than its size …).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Baseline } from "./bench/compare";
import type { BenchConfig, BenchResults } from "./bench/run";

/**
 * Roster imports the component by its package name, whose exports lead to its source only under
 * the `@convex-dev/component-source` condition (without it, to a build that does not exist in a
 * checkout). Node takes conditions on its command line: run again with it.
 */
const SOURCE_CONDITION = "--conditions=@convex-dev/component-source";
if (!process.execArgv.includes(SOURCE_CONDITION) && process.env.BENCH_NO_REEXEC === undefined) {
  const rerun = spawnSync(process.execPath, [SOURCE_CONDITION, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  process.exit(rerun.status ?? 1);
}

function scaled(config: BenchConfig, scale: number): BenchConfig {
  if (scale === 1) return config;
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  return {
    ...config,
    events: n(config.events),
    growthSizes: config.growthSizes.map((s) => (s === 0 ? 0 : n(s))),
    cascadeMembers: config.cascadeMembers.map(n),
    // An organization smaller than the largest page would not show what a full page costs.
    queryOrgSizes: config.queryOrgSizes.map((s) => Math.max(n(s), 2 * Math.max(...config.pageSizes))),
    // A burst needs enough events for "1 in 8" to mean something.
    burstEvents: Math.max(80, n(config.burstEvents)),
  };
}

/** The results as the Markdown the README's "Speed and scale" section shows. */
export function summary(r: BenchResults): string {
  const lines: string[] = [];
  const t = r.throughput;
  lines.push(
    `Throughput: ${t.events} mixed events in ${t.seconds} s — ${t.eventsPerSecond} events/s, p50 ${t.latencyMs.p50} ms, p99 ${t.latencyMs.p99} ms per event (convex-test, in memory).`,
    "",
    "Over existing rows (convex-test scans a whole table for each index lookup, so its time grows; Convex's index lookups do not): " +
      r.growth.levels
        .map(
          (l) =>
            `${l.existingRowsPerTable.toLocaleString("en")} rows per table — ${l.stream.eventsPerSecond} events/s, p50 ${l.stream.latencyMs.p50} ms`,
        )
        .join("; ") +
      ".",
    "",
  );
  const sizes = r.growth.levels.map((l) => l.existingRowsPerTable);
  const header = [
    "event type",
    "count",
    "p50 ms",
    "p99 ms",
    ...sizes.map((s) => `reads · writes · lookups, ${s.toLocaleString("en")} rows`),
    "scheduled mutations",
  ];
  const body = Object.entries(t.byType).map(([type, f]) => [
    `\`${type}\``,
    String(f.count),
    String(f.latencyMs.p50),
    String(f.latencyMs.p99),
    ...r.growth.levels.map((l) => {
      const g = l.stream.byType[type];
      return g ? `${g.reads.mean} · ${g.writes.mean} · ${g.queries.mean}` : "–";
    }),
    String(f.scheduled.mutations),
  ]);
  lines.push(
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((row) => `| ${row.join(" | ")} |`),
    "",
  );
  for (const c of r.cascade) {
    lines.push(
      `Cascade: \`organization.deleted\` for ${c.members.toLocaleString("en")} members — answered in ${c.ackMs} ms; ${c.mutations} mutations; ` +
        `the largest batch read ${c.largestBatch.reads} and wrote ${c.largestBatch.writes} documents; all done in ${c.totalMs} ms; ` +
        `${c.remaining.memberships} memberships, ${c.remaining.activity} activity entries and ${c.remaining.teamMembers} members-list rows left.`,
    );
  }
  lines.push("");
  const q = r.query;
  const plain = q.rows.filter((row) => !row.search);
  const b = r.burst;
  lines.push(
    `Burst: ${b.events} membership events for one organization (${b.transactions} transactions). ` +
      `The organization's row was written by ${b.organizationRow.writtenBy} of them (read by ${b.organizationRow.readBy}); ` +
      `no other document but the memberships was written by more than ${b.maxWrittenBy} (limit 1 in 8: ${b.writeLimit}). ` +
      `Members count ${b.membersCount.shown} for ${b.membersCount.memberships} memberships` +
      (b.membersCount.projected === null ? "." : ` (${b.membersCount.projected} rows in Roster's members list).`),
    "",
    "| table (memberships left out) | documents | most transactions writing one | most transactions reading one |",
    "| --- | --- | --- | --- |",
    ...Object.entries(b.byTable).map(
      ([table, f]) => `| \`${table}\` | ${f.documents} | ${f.maxWrittenBy} | ${f.maxReadBy} |`,
    ),
    "",
  );
  lines.push(...boundarySummary(r));
  lines.push(
    `Members query: one page of \`api.organizations.members\` reads ${q.fit.fixed} + ${q.fit.perMember} × page size documents, the same for ${[...new Set(plain.map((row) => row.orgSize))].map((s) => s.toLocaleString("en")).join(" and ")} members: ` +
      plain.map((row) => `${row.pageSize} → ${row.reads} (${row.orgSize.toLocaleString("en")} members)`).join(", ") +
      ".",
    "",
    `Checks: ${Object.entries(r.checks)
      .map(([name, ok]) => `${ok ? "✓" : "✗"} ${name}`)
      .join(", ")}.`,
  );
  return lines.join("\n");
}

/** Per event type and per Roster query: today's figures beside now's, the boundary calls, and the plain upsert. */
function boundarySummary(r: BenchResults): string[] {
  const lines: string[] = [];
  const c = r.comparison;
  const side = (s: { reads: number; writes: number }) => `${s.reads} · ${s.writes}`;
  const signed = (x: number) => (x > 0 ? `+${x}` : String(x));
  const delta = (d: Record<string, { reads: number; writes: number }> | null) =>
    d === null
      ? "–"
      : Object.entries(d)
          .map(([table, s]) => `${table} ${signed(s.reads)} · ${signed(s.writes)}`)
          .join(", ") || "none";
  if (c !== undefined) {
    lines.push(
      `Against today (${c.baseline.commit.slice(0, 7)}, before the move; reads · writes per event, means; "apart from projection" leaves out Roster's members list and activity feed):`,
      "",
      "| event type | today | now | now, component | now, Roster (projection) | today apart from projection | now apart from projection | difference by table (reads · writes) | calls into the component | component mutations (most) | hook calls |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...c.events.map((e) => {
        const f = r.throughput.byType[e.label];
        return `| \`${e.label}\`${e.aboveToday ? " ✗" : ""} | ${e.today === null ? "–" : side(e.today)} | ${side(e.now)} | ${f ? side(f.component) : "–"} | ${f ? `${side(f.app)} (${side(f.projection)})` : "–"} | ${e.today === null ? "–" : side(e.today.apartFromProjection)} | ${side(e.now.apartFromProjection)} | ${delta(e.tableDelta)} | ${e.now.componentCalls} | ${e.now.componentMutations} | ${e.now.hookCalls} |`;
      }),
      "",
    );
  }
  lines.push(
    "Roster's queries (one call each, on an organization of " +
      `${r.config.queryOrgSizes[0]?.toLocaleString("en")} members; reads = documents, Roster's + the component's):`,
    "",
    "| query | viewer | reads today | reads now | of which in the component | calls into the component | hook calls |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...r.queries.map((q) => {
      const today = c?.queries.find((x) => x.name === q.name)?.today ?? null;
      return `| \`${q.name}\`${q.error === null ? "" : ` (${q.error})`} | ${q.viewer} | ${today === null ? "–" : today.reads} | ${q.reads} | ${q.component.reads} | ${q.componentCalls} | ${q.toApp} |`;
    }),
    "",
  );
  const p = r.plain;
  lines.push(
    `Plain upsert beside Roster (${p.what}), the stream's ${p.events} user events; reads · writes · boundary calls per event (means), p50 ms:`,
    "",
    "| user event | count | Roster | Roster p50 ms | plain upsert | plain p50 ms |",
    "| --- | --- | --- | --- | --- | --- |",
    ...Object.entries(p.byType).map(([label, plain]) => {
      const roster = r.throughput.byType[label];
      const rosterCell = roster
        ? `${roster.reads.mean} · ${roster.writes.mean} · ${Math.round((roster.boundary.toComponent.mean + roster.boundary.toApp.mean) * 100) / 100}`
        : "–";
      return `| \`${label}\` | ${plain.count} | ${rosterCell} | ${roster?.latencyMs.p50 ?? "–"} | ${plain.reads.mean} · ${plain.writes.mean} · ${plain.boundaryCalls.mean} | ${plain.latencyMs.p50} |`;
    }),
    "",
  );
  return lines;
}

async function main() {
  const prettier = (await import("prettier")).default;
  const { componentModulesFromDisk, convexModulesFromDisk } = await import("./bench/modules");
  const { FULL_CONFIG, PROJECTION_TABLES, runBench } = await import("./bench/run");
  const { compareWithBaseline, sameStream } = await import("./bench/compare");
  const scale = Number(process.env.BENCH_SCALE ?? "1");
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`BENCH_SCALE=${process.env.BENCH_SCALE} is not a positive number`);
  const config = scaled(FULL_CONFIG, scale);
  const defaultOut =
    scale === 1
      ? "../bench/results.json"
      : scale < 1
        ? "../artifacts/bench-quick.json"
        : "../artifacts/bench-large.json";
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(import.meta.dirname, defaultOut));
  const started = Date.now();
  const modules = { app: convexModulesFromDisk(), component: componentModulesFromDisk() };
  const results = await runBench(config, modules, (line) =>
    console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`),
  );
  results.command = scale === 1 ? "npm run bench" : `BENCH_SCALE=${scale} npm run bench`;
  // Today's figures beside these, when this run drove the baseline's stream (a scaled run does not).
  const baselineFile = path.join(import.meta.dirname, "../bench/baseline-app-tables.json");
  if (existsSync(baselineFile)) {
    const baseline = JSON.parse(readFileSync(baselineFile, "utf8")) as Baseline;
    if (sameStream(baseline, results)) {
      results.comparison = compareWithBaseline(baseline, results, PROJECTION_TABLES);
      Object.assign(results.checks, results.comparison.checks);
    } else console.log(`(not compared with ${path.relative(process.cwd(), baselineFile)}: another stream)`);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  // Formatted as the repository's Prettier config says, so the committed file stays format-clean.
  const options = (await prettier.resolveConfig(out)) ?? {};
  writeFileSync(out, await prettier.format(JSON.stringify(results), { ...options, parser: "json" }));
  console.log(`\n${summary(results)}\n\nWrote ${path.relative(process.cwd(), out)}`);
  if (results.crossCheck.length > 0) console.log(`Counting cross-check:\n  ${results.crossCheck.join("\n  ")}`);
  if (!Object.values(results.checks).every(Boolean)) process.exitCode = 1;
}

await main();
