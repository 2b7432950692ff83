/**
 * Writes bench/baseline-app-tables.json — "today" for the bench's comparison — from a full bench
 * run on the last commit before the engine moved into the component (HEAD must be that commit):
 *
 *   BENCH_OUT=artifacts/today.json npm run bench
 *   npx tsx scripts/bench/baseline.ts artifacts/today.json [artifacts/first-run.json]
 *
 * The optional second file is an earlier run of the same commit with the bench as it was before it
 * counted per table and across the boundary: its per-event and members-page figures must be the
 * same (the extended instrumentation counts what it counted), or nothing is written.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import prettier from "prettier";
import { baselineFrom, type Baseline, type ComparableResults } from "./compare";
import { PROJECTION_TABLES } from "./run";

const [resultsFile, firstRunFile] = process.argv.slice(2);
if (resultsFile === undefined) throw new Error("usage: tsx scripts/bench/baseline.ts <results.json> [first-run.json]");
const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as ComparableResults;
const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();

const results = read(resultsFile);
const baseline: Baseline & { firstRun?: { generatedAt: string; agrees: true } } = baselineFrom(
  results,
  { commit: git("rev-parse", "HEAD"), subject: git("log", "-1", "--format=%s") },
  PROJECTION_TABLES,
);
if (firstRunFile !== undefined) {
  const first = baselineFrom(read(firstRunFile), { commit: "", subject: "" }, PROJECTION_TABLES);
  const totals = (b: Baseline) =>
    JSON.stringify({
      events: Object.fromEntries(Object.entries(b.events).map(([k, e]) => [k, [e.count, e.reads, e.writes]])),
      pages: b.membersPages.map((p) => [p.orgSize, p.pageSize, p.search, p.returned, p.reads]),
    });
  if (totals(first) !== totals(baseline))
    throw new Error(`${firstRunFile} and ${resultsFile} disagree on per-event or members-page figures`);
  baseline.firstRun = { generatedAt: first.measuredOn.generatedAt, agrees: true };
}
const out = path.join(import.meta.dirname, "../../bench/baseline-app-tables.json");
const options = (await prettier.resolveConfig(out)) ?? {};
writeFileSync(out, await prettier.format(JSON.stringify(baseline), { ...options, parser: "json" }));
console.log(`Wrote ${path.relative(process.cwd(), out)} (commit ${baseline.measuredOn.commit.slice(0, 7)})`);
