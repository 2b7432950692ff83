/**
 * The Convex module map convex-test needs, read from disk. Vitest builds it with
 * `import.meta.glob` (test/convex.ts); the bench runs under plain Node (tsx), which has no glob
 * import, so it lists `convex/` itself with the same exclusions.
 */
import { globSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleMap } from "./instrument";

export function convexModulesFromDisk(convexDir = path.resolve(import.meta.dirname, "../../convex")): ModuleMap {
  const files = globSync("**/*.{ts,js}", { cwd: convexDir }).filter(
    (file) => !/\.test\.[cm]?[jt]s$/.test(file) && !file.endsWith(".d.ts"),
  );
  return Object.fromEntries(
    files.map((file) => [
      `../convex/${file.split(path.sep).join("/")}`,
      () => import(pathToFileURL(path.join(convexDir, file)).href) as Promise<unknown>,
    ]),
  );
}
