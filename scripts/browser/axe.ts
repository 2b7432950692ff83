/** The browser check's accessibility scan: axe-core in the page, failing on serious or critical findings. */
import axe from "axe-core";
import type { Page } from "playwright-core";

/** One finding: an axe rule broken by one element. */
export type Finding = { rule: string; impact: string; target: string; summary: string };

/** Runs axe-core in `page` (WCAG 2.x A/AA and best practices) and returns its serious and critical findings. */
export async function scan(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const { violations } = await run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return violations.flatMap((violation) =>
      violation.nodes.map((node) => ({
        rule: violation.id,
        impact: node.impact ?? violation.impact ?? "unknown",
        target: node.target.map(String).join(" "),
        summary: (node.failureSummary ?? violation.help).replace(/\s+/g, " ").trim(),
      })),
    );
  });
  return results.filter((finding) => finding.impact === "serious" || finding.impact === "critical");
}

/** One readable line per finding: impact, rule, element, what axe says. */
export function describeFindings(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.impact} ${finding.rule} at ${finding.target}: ${finding.summary}`);
}
