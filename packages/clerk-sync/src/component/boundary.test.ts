/**
 * Rules of the component's source that no runtime test can see:
 * - No `.paginate(`: built-in pagination does not work inside a component on real Convex, while
 *   convex-test lets it pass (and a test client never sends a cursor), so tests would stay green
 *   while a deployment breaks. Lists page with explicit cursors (lib/cursor.ts).
 * - Every mutation comes from lib/hooks.ts (the choke point that calls the app's onChange hook):
 *   one built from `_generated/server` or convex/server's generic builders could change a synced row
 *   without the hook.
 */
import { describe, expect, test } from "vitest";

/** Every TypeScript module of the component, as text (its own code: tests and declarations left out). */
function componentModules(): Array<{ path: string; source: string }> {
  const sources: Record<string, string> = import.meta.glob(
    ["./**/*.ts", "!./**/*.test.ts", "!./**/*.test-d.ts", "!./**/*.d.ts"],
    {
      query: "?raw",
      import: "default",
      eager: true,
    },
  );
  return Object.entries(sources)
    .map(([path, source]) => ({ path: path.replace(/^\.\//, ""), source }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The names a module imports as values (not `type`) from a module whose path matches `from`. */
function valueImports(source: string, from: RegExp): string[] {
  const names: string[] = [];
  const statement = /import\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/g;
  for (const match of source.matchAll(statement)) {
    const [, typeOnly, clause = "", path = ""] = match;
    if (typeOnly !== undefined || !from.test(path)) continue;
    const namespace = /\*\s+as\s+(\w+)/.exec(clause);
    if (namespace) names.push(`* as ${namespace[1]}`);
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const part of braces?.[1]?.split(",") ?? []) {
      const name = part.trim();
      if (name === "" || name.startsWith("type ")) continue;
      names.push(name.split(/\s+as\s+/)[0] ?? name);
    }
  }
  return names;
}

const GENERATED_SERVER = /(^|\/)_generated\/server(\.js)?$/;
const MUTATION_BUILDERS = new Set(["mutation", "internalMutation"]);
const GENERIC_BUILDERS = new Set(["mutationGeneric", "internalMutationGeneric"]);

/** What a module builds mutations from that is not lib/hooks.ts (empty: nothing). */
function unhookedMutationBuilders(source: string): string[] {
  return [
    ...valueImports(source, GENERATED_SERVER).filter((name) => MUTATION_BUILDERS.has(name) || name.startsWith("* as ")),
    ...valueImports(source, /^convex\/server$/).filter(
      (name) => GENERIC_BUILDERS.has(name) || name.startsWith("* as "),
    ),
  ];
}

/** Modules allowed a mutation builder of their own, each with why. */
const ALLOWED: Record<string, string> = {
  "lib/hooks.ts": "the choke point itself",
};

/** Modules any code may import (the route, scripts, the app's client bundle): they register no function. */
const FUNCTION_FREE = ["lib/hooks.ts", "lib/handles.ts", "webhooks/registry.ts", "webhooks/deliver.ts"];

describe("the component boundary", () => {
  const modules = componentModules();

  test("finds the component's modules (a walk that found none would prove nothing)", () => {
    const paths = modules.map((module) => module.path);
    expect(paths).toEqual(
      expect.arrayContaining(["lib/hooks.ts", "webhooks/ingest.ts", "model/sync.ts", "lib/cursor.ts"]),
    );
    expect(paths.some((path) => path.endsWith(".test.ts"))).toBe(false);
  });

  test("no component module calls .paginate( (explicit cursors: lib/cursor.ts)", () => {
    const offenders = modules
      .filter((module) => !module.path.startsWith("_generated/"))
      .flatMap(({ path, source }) =>
        source
          .split("\n")
          .flatMap((line, i) => (line.includes(".paginate(") ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders, "use pageAfter from lib/cursor.ts instead").toEqual([]);
  });

  test("every component mutation is built with lib/hooks.ts, never _generated/server's or convex/server's", () => {
    const offenders = modules
      .filter((module) => !module.path.startsWith("_generated/") && ALLOWED[module.path] === undefined)
      .flatMap(({ path, source }) => unhookedMutationBuilders(source).map((name) => `${path}: ${name}`));
    expect(offenders, "import mutation/internalMutation from lib/hooks.ts (they take a `source`)").toEqual([]);
    // Each allowance is still needed (a module that moved to hooks.ts drops out of the list).
    for (const path of Object.keys(ALLOWED)) {
      const module = modules.find((each) => each.path === path);
      expect(module, path).toBeDefined();
      expect(unhookedMutationBuilders(module?.source ?? ""), path).not.toEqual([]);
    }
  });

  test("modules others import register no Convex function, nor import a module that does", () => {
    // A function module imported where functions must not be defined (a browser bundle, a script)
    // registers its functions there: Convex warns "should not be imported in the browser".
    const byPath = new Map(modules.map((module) => [module.path, module.source]));
    const registers = (source: string) =>
      /^export const \w+ = (?:internal)?(?:[mM]utation|[qQ]uery|[aA]ction)\(/m.test(source);
    const closure = (start: string): string[] => {
      const seen = new Set<string>();
      const visit = (path: string) => {
        if (seen.has(path) || !byPath.has(path)) return;
        seen.add(path);
        for (const match of (byPath.get(path) ?? "").matchAll(/^import (?!type)[^;]*?from "(\.[^"]+)"/gms)) {
          const parts = path.split("/").slice(0, -1);
          for (const part of (match[1] ?? "").replace(/\.js$/, ".ts").split("/")) {
            if (part === "..") parts.pop();
            else if (part !== ".") parts.push(part);
          }
          visit(parts.join("/"));
        }
      };
      visit(start);
      return [...seen];
    };
    for (const start of FUNCTION_FREE) {
      const reached = closure(start);
      expect(reached.length, start).toBeGreaterThan(0);
      expect(
        reached.filter((path) => registers(byPath.get(path) ?? "")),
        `${start} reaches function modules`,
      ).toEqual([]);
    }
    // The check sees a function module where there is one.
    expect(closure("config.ts").filter((path) => registers(byPath.get(path) ?? ""))).toContain("config.ts");
  });

  test("the import check sees every way to name a mutation builder, and lets types and queries through", () => {
    expect(unhookedMutationBuilders(`import { internalMutation } from "../_generated/server.js";`)).toEqual([
      "internalMutation",
    ]);
    expect(unhookedMutationBuilders(`import {\n  query,\n  mutation as raw,\n} from "./_generated/server";`)).toEqual([
      "mutation",
    ]);
    expect(unhookedMutationBuilders(`import * as server from "../_generated/server.js";`)).toEqual(["* as server"]);
    expect(unhookedMutationBuilders(`import { mutationGeneric } from "convex/server";`)).toEqual(["mutationGeneric"]);
    expect(
      unhookedMutationBuilders(
        [
          `import type { MutationCtx } from "../_generated/server.js";`,
          `import { internalQuery, type MutationCtx } from "../_generated/server.js";`,
          `import { internalMutation } from "../lib/hooks.js";`,
          `import type { RegisteredMutation } from "convex/server";`,
        ].join("\n"),
      ),
    ).toEqual([]);
  });
});
