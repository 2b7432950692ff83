/**
 * `npm run test:mutation:report`: the mutation score per file from Stryker's JSON report
 * (reports/mutation/mutation.json), one line "file: killed/total = %", then the total. Timed-out
 * mutants count as killed (the mutant hung the tests: detected), as Stryker counts them; mutants
 * that do not compile or were ignored are left out of the total. `--survivors` lists each
 * surviving mutant as file:line:column, mutator and replacement; `--markdown` prints a table.
 * Report files named as arguments are read instead, in order, a later one's file replacing an
 * earlier one's: the runs of a few files each (scripts/mutation/part.config.js) add up to the core.
 */
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

type MutantStatus =
  "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
type Mutant = {
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  location: { start: { line: number; column: number } };
};
export type MutationReport = { files: Record<string, { mutants: Mutant[] }> };

export type FileScore = {
  file: string;
  killed: number;
  total: number;
  score: number;
  survivors: { line: number; column: number; mutator: string; replacement: string; status: MutantStatus }[];
};

const DETECTED: MutantStatus[] = ["Killed", "Timeout"];
const UNDETECTED: MutantStatus[] = ["Survived", "NoCoverage"];

/** Per-file scores, sorted by file, then the total under the name "total". */
export function scores(report: MutationReport): FileScore[] {
  const rows = Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { mutants }]) => {
      const killed = mutants.filter((mutant) => DETECTED.includes(mutant.status)).length;
      const undetected = mutants.filter((mutant) => UNDETECTED.includes(mutant.status));
      const total = killed + undetected.length;
      return {
        file,
        killed,
        total,
        score: total === 0 ? 100 : (100 * killed) / total,
        survivors: undetected
          .map((mutant) => ({
            line: mutant.location.start.line,
            column: mutant.location.start.column,
            mutator: mutant.mutatorName,
            replacement: mutant.replacement ?? "",
            status: mutant.status,
          }))
          .sort((a, b) => a.line - b.line || a.column - b.column),
      };
    });
  const killed = rows.reduce((sum, row) => sum + row.killed, 0);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  return [...rows, { file: "total", killed, total, score: total === 0 ? 100 : (100 * killed) / total, survivors: [] }];
}

/** The reports as one: each file's mutants from the last report that holds the file. */
export function mergeReports(reports: readonly MutationReport[]): MutationReport {
  const files: MutationReport["files"] = {};
  for (const report of reports) Object.assign(files, report.files);
  return { files };
}

/** "file: killed/total = 97.5 %" lines; with `survivors`, each survivor indented below its file. */
export function formatScores(rows: FileScore[], { survivors = false } = {}): string {
  return rows
    .flatMap((row) => [
      `${row.file}: ${row.killed}/${row.total} = ${row.score.toFixed(1)} %`,
      ...(survivors
        ? row.survivors.map(
            (s) =>
              `  ${row.file}:${s.line}:${s.column} ${s.mutator}${s.status === "NoCoverage" ? " (no coverage)" : ""} → ${oneLine(s.replacement)}`,
          )
        : []),
    ])
    .join("\n");
}

/** The README's table. */
export function markdownScores(rows: FileScore[]): string {
  return [
    "| file | killed / total | score |",
    "| --- | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${row.file === "total" ? "**total**" : `\`${row.file}\``} | ${row.killed} / ${row.total} | ${row.score.toFixed(1)} % |`,
    ),
  ].join("\n");
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const named = args.filter((arg) => !arg.startsWith("--"));
  const files = named.length > 0 ? named : ["reports/mutation/mutation.json"];
  for (const file of files) {
    if (!existsSync(file)) {
      console.error(`No ${file}: run npm run test:mutation first.`);
      process.exit(2);
    }
  }
  const rows = scores(mergeReports(files.map((file) => JSON.parse(readFileSync(file, "utf8")) as MutationReport)));
  console.log(
    args.includes("--markdown")
      ? markdownScores(rows)
      : formatScores(rows, { survivors: args.includes("--survivors") }),
  );
}
