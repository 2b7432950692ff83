/**
 * The Convex module maps convex-test needs, read from disk. Vitest builds them with
 * `import.meta.glob` (test/convex.ts, the component's src/test.ts); the bench runs under plain
 * Node (tsx), which has no glob import, so it lists the directories itself with the same exclusions.
 */
import { globSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleMap } from "./instrument";

const REPO = path.resolve(import.meta.dirname, "../..");

/** Every module of a functions directory (tests and declaration files left out), keyed as a glob from scripts/ would key it. */
export function modulesFromDisk(dir: string): ModuleMap {
  const files = globSync("**/*.{ts,js}", { cwd: dir }).filter(
    (file) => !/\.test(-d)?\.[cm]?[jt]s$/.test(file) && !file.endsWith(".d.ts"),
  );
  const prefix = path.relative(path.join(REPO, "scripts"), dir).split(path.sep).join("/");
  return Object.fromEntries(
    files.map((file) => [
      `${prefix}/${file.split(path.sep).join("/")}`,
      () => import(pathToFileURL(path.join(dir, file)).href) as Promise<unknown>,
    ]),
  );
}

/** Roster's `convex/` (keys `../convex/…`). */
export function convexModulesFromDisk(convexDir = path.join(REPO, "convex")): ModuleMap {
  return modulesFromDisk(convexDir);
}

/** The clerkSync component's modules (keys `../packages/clerk-sync/src/component/…`), for `register(t, name, modules)`. */
export function componentModulesFromDisk(
  componentDir = path.join(REPO, "packages/clerk-sync/src/component"),
): ModuleMap {
  return modulesFromDisk(componentDir);
}
