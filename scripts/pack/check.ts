/**
 * What makes a packed component tarball wrong, from its file list and texts alone (no npm, no
 * disk): scripts/pack-check.ts packs convex-clerk-sync and asks this module before an app installs
 * the tarball.
 *
 * - a test, type test, fixture or mock shipped (`*.test.ts`, `*.test-d.ts`, `fixtures/` …);
 * - a source map or declaration map whose `sources` name a file the tarball lacks, or a
 *   `sourceMappingURL` comment naming a map it lacks ("source maps pointing nowhere");
 * - an export target (any condition of package.json's `exports`, `main`, `types`) it lacks;
 * - a shipped module importing a relative file the tarball lacks, or a package that is neither a
 *   dependency nor a peer dependency (an install would fail to resolve it).
 */
import { builtinModules } from "node:module";
import { posix } from "node:path";
import ts from "typescript";

/** The parts of a package.json the checks read. */
export type Manifest = {
  name: string;
  main?: string;
  types?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** A packed package: its manifest and its files' texts by path (relative to the package, posix). */
export type Packed = { manifest: Manifest; files: Map<string, string> };

/** Tests, type tests, fixtures and mocks: never shipped. `src/test.ts` (the `./test` export) is not one. */
const TEST_FILE = /(^|\/)[^/]+\.(test|spec)(-d)?\.[cm]?[jt]sx?(\.map)?$|\.test-d\.d\.ts(\.map)?$/;
const TEST_DIR = /(^|\/)(__tests__|__fixtures__|__mocks__|fixtures?)\//;

/** Files whose imports are checked: what an app's bundler or TypeScript may load. */
const MODULE_FILE = /\.(d\.ts|[cm]?js|[cm]?ts|tsx)$/;

const BUILTINS = new Set(builtinModules);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every string an `exports` value points at, with the path of conditions that leads to it. */
function exportTargets(value: unknown, at: string): { at: string; target: string }[] {
  if (typeof value === "string") return [{ at, target: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => exportTargets(item, `${at}[${index}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, item]) => exportTargets(item, `${at} → ${key}`));
  return [];
}

/** `./dist/x.js` → `dist/x.js`. */
const packagePath = (target: string) => posix.normalize(target.replace(/^\.\//, ""));

/** The files a relative import of `specifier` from `importer` may land on (TypeScript's and bundlers' rules). */
function candidates(importer: string, specifier: string): string[] {
  const base = posix.normalize(posix.join(posix.dirname(importer), specifier));
  const stems = /\.[cm]?js$/.test(base)
    ? [base, base.replace(/\.([cm]?)js$/, ".$1ts"), base.replace(/\.([cm]?)js$/, ".d.$1ts")]
    : [base];
  const extensionless = ["", ".ts", ".tsx", ".js", ".d.ts", "/index.ts", "/index.js", "/index.d.ts"].map(
    (ext) => base + ext,
  );
  return [...stems, ...extensionless];
}

/** The package a bare specifier names: `@scope/name/x` → `@scope/name`, `name/x` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Every problem of `packed`, one sentence each (empty: the tarball is clean). */
export function packProblems({ manifest, files }: Packed): string[] {
  const problems: string[] = [];
  const has = (path: string) => files.has(path);

  for (const path of files.keys())
    if (TEST_FILE.test(path) || TEST_DIR.test(path)) problems.push(`${path}: a test or fixture is shipped`);

  const targets = [
    ...exportTargets(manifest.exports, "exports"),
    ...(manifest.main === undefined ? [] : [{ at: "main", target: manifest.main }]),
    ...(manifest.types === undefined ? [] : [{ at: "types", target: manifest.types }]),
  ];
  for (const { at, target } of targets) {
    if (target.includes("*")) {
      const pattern = new RegExp(`^${packagePath(target).split("*").map(escapeRegExp).join(".+")}$`);
      if (![...files.keys()].some((path) => pattern.test(path)))
        problems.push(`${at}: no shipped file matches ${target}`);
    } else if (!has(packagePath(target))) problems.push(`${at}: ${target} is not in the tarball`);
  }

  const allowed = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  for (const [path, text] of files) {
    if (path.endsWith(".map")) {
      let map: { sources?: unknown; sourceRoot?: unknown };
      try {
        map = JSON.parse(text) as typeof map;
      } catch {
        problems.push(`${path}: not a JSON source map`);
        continue;
      }
      const root = typeof map.sourceRoot === "string" ? map.sourceRoot : "";
      const sources = Array.isArray(map.sources) ? map.sources : [];
      if (sources.length === 0) problems.push(`${path}: a map with no sources`);
      for (const source of sources) {
        const resolved =
          typeof source === "string" ? posix.normalize(posix.join(posix.dirname(path), root, source)) : "";
        if (!has(resolved)) problems.push(`${path}: maps ${String(source)}, which is not in the tarball`);
      }
      continue;
    }
    if (!MODULE_FILE.test(path)) continue;
    for (const match of text.matchAll(/^\/\/# sourceMappingURL=(\S+)\s*$/gm)) {
      const url = match[1]!;
      if (url.startsWith("data:")) continue;
      const mapPath = posix.normalize(posix.join(posix.dirname(path), url));
      if (!has(mapPath)) problems.push(`${path}: its sourceMappingURL ${url} is not in the tarball`);
    }
    // TypeScript's own scan: imports, re-exports, import() and import types, comments skipped.
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith(".")) {
        if (!candidates(path, specifier).some(has))
          problems.push(`${path}: imports ${specifier}, which is not in the tarball`);
      } else if (!specifier.startsWith("node:") && !BUILTINS.has(specifier) && !allowed.has(packageName(specifier))) {
        problems.push(`${path}: imports ${specifier}, which is neither a dependency nor a peer dependency`);
      }
    }
  }
  return problems;
}
