// Checks the running Node.js against package.json's engines.node before anything else runs, and
// stops with one line saying which version is needed and how to get it. Plain JavaScript with no
// imports beyond node: built-ins, so it runs on the old Node it is meant to catch.
// Usage: node scripts/check-node.js   (exit 0: fine; exit 1: too old, the line is on stderr)
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** "22.22.2" / "v24" → [22, 22, 2] / [24, 0, 0]. */
function parts(version) {
  const numbers = String(version).replace(/^v/, "").split(".").map(Number);
  return [numbers[0] || 0, numbers[1] || 0, numbers[2] || 0];
}

function compare(a, b) {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * Does `version` satisfy `range`? Understands what engines.node uses: alternatives joined by
 * `||`, each `^X.Y.Z` (same major, at least X.Y.Z), `>=X.Y.Z`, or a bare `X` / `X.Y.Z`.
 */
export function satisfies(version, range) {
  const current = parts(version);
  return range.split("||").some((alternative) => {
    const text = alternative.trim();
    if (text.startsWith(">=")) return compare(current, parts(text.slice(2).trim())) >= 0;
    if (text.startsWith("^")) {
      const wanted = parts(text.slice(1).trim());
      return current[0] === wanted[0] && compare(current, wanted) >= 0;
    }
    const wanted = parts(text);
    const given = text.split(".").length;
    return wanted.slice(0, given).every((n, i) => n === current[i]);
  });
}

/**
 * What to put before a command to run it on Node `major` without nvm: npx fetches Node from the
 * npm registry (the `node` package) once, then reuses its cached copy. The README says the same.
 */
export function withNodeFromNpm(major) {
  return `npx -y -p node@${major} --`;
}

/** The one line to print when `version` does not satisfy `range`, or null when it does. */
export function nodeVersionProblem(version, range, nvmrc) {
  if (satisfies(version, range)) return null;
  const prefix = withNodeFromNpm(nvmrc);
  return (
    `Roster needs Node.js ${range.replace(/\s*\|\|\s*/g, " or ")}, but this is ${version}: ` +
    `run \`nvm install\` (it reads .nvmrc: ${nvmrc}), or, without nvm, put \`${prefix}\` before each npm command ` +
    `(${prefix} npm install, then ${prefix} npm run dev): Node ${nvmrc} comes from the npm registry, once.`
  );
}

// Real paths: Node resolves symlinks in import.meta.url but not in process.argv[1].
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const root = new URL("../", import.meta.url);
  const range = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).engines.node;
  const nvmrc = readFileSync(new URL(".nvmrc", root), "utf8").trim();
  const problem = nodeVersionProblem(process.version, range, nvmrc);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
