// examples/minimal installs convex-clerk-sync the way an app outside this repository does: from the
// packed tarball (.ci/run), never as a workspace and never through its lockfile (a tarball's
// integrity changes with every pack, so `npm ci` would refuse the next one).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as unknown;

type Manifest = {
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
type Lock = { packages: Record<string, { version?: string }> };

const root = read("package.json") as Manifest;
const rootLock = read("package-lock.json") as Lock;
const example = read("examples/minimal/package.json") as Manifest;
const exampleLock = read("examples/minimal/package-lock.json") as Lock;

describe("examples/minimal", () => {
  test("is not one of the root's workspaces", () => {
    expect(root.workspaces).toEqual(["packages/*"]);
    expect(Object.keys(rootLock.packages).filter((path) => path.startsWith("examples/"))).toEqual([]);
  });

  test("names the component neither in its package.json nor in its lockfile", () => {
    const declared = { ...example.dependencies, ...example.devDependencies };
    expect(declared).not.toHaveProperty("convex-clerk-sync");
    expect(Object.keys(exampleLock.packages).filter((path) => path.includes("convex-clerk-sync"))).toEqual([]);
  });

  test("locks the versions of convex and of its test tools that Roster's lockfile has", () => {
    for (const name of [
      "convex",
      "convex-test",
      "vitest",
      "svix",
      "@edge-runtime/vm",
      "@clerk/backend",
      "typescript",
    ]) {
      const roster = rootLock.packages[`node_modules/${name}`]?.version;
      expect(roster, name).toBeDefined();
      expect(exampleLock.packages[`node_modules/${name}`]?.version, name).toBe(roster);
    }
  });
});
