import { describe, expect, test } from "vitest";
import { formatScores, markdownScores, mergeReports, scores, type MutationReport } from "./scores";

const at = (line: number, column = 1) => ({ start: { line, column } });

const report: MutationReport = {
  files: {
    "convex/model/sync.ts": {
      mutants: [
        { mutatorName: "ConditionalExpression", status: "Killed", location: at(3) },
        { mutatorName: "BooleanLiteral", status: "Timeout", location: at(4) },
        { mutatorName: "EqualityOperator", status: "Survived", replacement: "a >=\n  b", location: at(9, 7) },
        { mutatorName: "BlockStatement", status: "NoCoverage", replacement: "{}", location: at(2) },
        { mutatorName: "StringLiteral", status: "CompileError", location: at(5) },
        { mutatorName: "StringLiteral", status: "Ignored", location: at(6) },
      ],
    },
    "convex/webhooks/envelope.ts": { mutants: [{ mutatorName: "StringLiteral", status: "Killed", location: at(1) }] },
  },
};

describe("mutation scores", () => {
  test("count killed and timed-out as detected, survivors and uncovered as not, leave the rest out", () => {
    const rows = scores(report);
    expect(rows.map(({ file, killed, total }) => [file, killed, total])).toEqual([
      ["convex/model/sync.ts", 2, 4],
      ["convex/webhooks/envelope.ts", 1, 1],
      ["total", 3, 5],
    ]);
    expect(rows[0]?.score).toBe(50);
    expect(rows[2]?.score).toBe(60);
    expect(rows[0]?.survivors.map((s) => [s.line, s.mutator])).toEqual([
      [2, "BlockStatement"],
      [9, "EqualityOperator"],
    ]);
  });

  test("print one line per file, survivors below on request, and a markdown table", () => {
    const rows = scores(report);
    expect(formatScores(rows)).toBe(
      ["convex/model/sync.ts: 2/4 = 50.0 %", "convex/webhooks/envelope.ts: 1/1 = 100.0 %", "total: 3/5 = 60.0 %"].join(
        "\n",
      ),
    );
    expect(formatScores(rows, { survivors: true }).split("\n").slice(1, 3)).toEqual([
      "  convex/model/sync.ts:2:1 BlockStatement (no coverage) → {}",
      "  convex/model/sync.ts:9:7 EqualityOperator → a >= b",
    ]);
    expect(markdownScores(rows).split("\n").at(-1)).toBe("| **total** | 3 / 5 | 60.0 % |");
  });

  test("runs of a few files each add up: a later run of a file replaces an earlier one's", () => {
    const later: MutationReport = {
      files: {
        "convex/model/sync.ts": {
          mutants: [{ mutatorName: "EqualityOperator", status: "Killed", location: at(9, 7) }],
        },
        "convex/lib/bounded.ts": { mutants: [{ mutatorName: "StringLiteral", status: "Survived", location: at(2) }] },
      },
    };
    const rows = scores(mergeReports([report, later]));
    expect(rows.map(({ file, killed, total }) => [file, killed, total])).toEqual([
      ["convex/lib/bounded.ts", 0, 1],
      ["convex/model/sync.ts", 1, 1],
      ["convex/webhooks/envelope.ts", 1, 1],
      ["total", 2, 3],
    ]);
  });
});
