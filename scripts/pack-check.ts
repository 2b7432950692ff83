/**
 * `npm run pack:check`: builds convex-clerk-sync from a clean dist/, packs it into artifacts/ as
 * `npm publish` would, lists the tarball and checks it (scripts/pack/check.ts): no tests, no
 * fixtures, no source maps pointing nowhere, every export target present, every import resolvable
 * from what ships and what the package depends on. Exit code 0: clean, and the tarball's path is
 * the last line printed (examples/minimal installs it); 1: what is wrong, one line each.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { packProblems, type Manifest } from "./pack/check";

const PACKAGE = "convex-clerk-sync";
const projectDir = fileURLToPath(new URL("..", import.meta.url));
const artifacts = join(projectDir, "artifacts");

function run(command: string, args: string[], cwd = projectDir): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Every file under `dir`, by path relative to it (posix). */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split(sep).join("/")];
  });
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

run("npm", ["run", "build", "-w", PACKAGE]);
mkdirSync(artifacts, { recursive: true });
// An older pack left here would be installed by a glob as readily as this one.
for (const file of readdirSync(artifacts))
  if (file.startsWith(`${PACKAGE}-`) && file.endsWith(".tgz")) rmSync(join(artifacts, file));
const [packed] = JSON.parse(
  run("npm", ["pack", "-w", PACKAGE, "--pack-destination", artifacts, "--json", "--silent"]),
) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
if (packed === undefined) throw new Error("npm pack reported no tarball");
const tarball = join(artifacts, packed.filename);

// Check the tarball itself, not the folder it came from.
const unpacked = mkdtempSync(join(tmpdir(), "pack-check-"));
try {
  run("tar", ["-xzf", tarball, "-C", unpacked]);
  const root = join(unpacked, "package");
  const paths = walk(root).sort();
  const files = new Map(paths.map((path) => [path, readFileSync(join(root, path), "utf8")]));
  const manifest = JSON.parse(files.get("package.json") ?? "{}") as Manifest;
  for (const path of paths) console.log(`${kB(statSync(join(root, path)).size).padStart(9)}  ${path}`);
  console.log(
    `${packed.filename}: ${packed.entryCount} files, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked`,
  );
  const problems = packProblems({ manifest, files });
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s) in the tarball:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(relative(projectDir, tarball));
  }
} finally {
  rmSync(unpacked, { recursive: true, force: true });
}
