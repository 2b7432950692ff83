import { describe, expect, test } from "vitest";
import { packProblems, type Manifest } from "./check";

const manifest: Manifest = {
  name: "convex-clerk-sync",
  exports: {
    ".": {
      "@convex-dev/component-source": "./src/client/index.ts",
      types: "./dist/client/index.d.ts",
      default: "./dist/client/index.js",
    },
  },
  dependencies: { svix: "^2.5.0" },
  peerDependencies: { convex: "^1.49.0", "convex-test": ">=0.0.70" },
};

const map = (sources: string[]) => JSON.stringify({ version: 3, file: "index.js", sources, mappings: "" });

/** A tarball as `npm pack` makes it from this repository: built files, their maps, the source they map. */
function clean(): Map<string, string> {
  return new Map([
    ["package.json", JSON.stringify(manifest)],
    ["src/client/index.ts", `import { Webhook } from "svix";\nimport { helper } from "./helper.js";\n`],
    ["src/client/helper.ts", `export const helper = 1;\n`],
    ["src/test.ts", `import type { TestConvex } from "convex-test";\nimport schema from "./client/helper.js";\n`],
    [
      "dist/client/index.js",
      `import { Webhook } from "svix";\nimport { helper } from "./helper.js";\n//# sourceMappingURL=index.js.map\n`,
    ],
    ["dist/client/index.js.map", map(["../../src/client/index.ts"])],
    ["dist/client/helper.js", `export const helper = 1;\n`],
    [
      "dist/client/index.d.ts",
      `import type { GenericQueryCtx } from "convex/server";\n//# sourceMappingURL=index.d.ts.map\n`,
    ],
    ["dist/client/index.d.ts.map", map(["../../src/client/index.ts"])],
  ]);
}

const problems = (files: Map<string, string>, m: Manifest = manifest) => packProblems({ manifest: m, files });

describe("a packed tarball's problems", () => {
  test("a clean tarball has none; src/test.ts is the ./test export, not a test", () => {
    expect(problems(clean())).toEqual([]);
  });

  test.each([
    "src/component/config.test.ts",
    "src/componentApi.test-d.ts",
    "dist/componentApi.test-d.d.ts",
    "dist/client/index.spec.js",
    "src/component/fixtures/users.json",
    "src/component/__fixtures__/event.ts",
    "src/__tests__/a.ts",
    "src/__mocks__/svix.ts",
  ])("%s shipped is a problem", (path) => {
    const files = clean().set(path, "");
    expect(problems(files)).toContain(`${path}: a test or fixture is shipped`);
  });

  test("a map naming a source the tarball lacks points nowhere", () => {
    const files = clean().set(
      "dist/client/index.js.map",
      map(["../../src/client/index.ts", "../../src/client/gone.ts"]),
    );
    expect(problems(files)).toEqual([
      "dist/client/index.js.map: maps ../../src/client/gone.ts, which is not in the tarball",
    ]);
  });

  test("a map's sourceRoot is part of where its sources are", () => {
    const files = clean().set(
      "dist/client/index.js.map",
      JSON.stringify({ version: 3, sourceRoot: "../../src/client", sources: ["index.ts"], mappings: "" }),
    );
    expect(problems(files)).toEqual([]);
  });

  test("maps with no src shipped (declaration maps without their source) are problems, one per map", () => {
    const files = clean();
    files.delete("src/client/index.ts");
    expect(problems(files)).toEqual([
      "exports → . → @convex-dev/component-source: ./src/client/index.ts is not in the tarball",
      "dist/client/index.js.map: maps ../../src/client/index.ts, which is not in the tarball",
      "dist/client/index.d.ts.map: maps ../../src/client/index.ts, which is not in the tarball",
    ]);
  });

  test("a sourceMappingURL naming a map the tarball lacks, and a map that is not JSON", () => {
    const files = clean();
    files.delete("dist/client/index.d.ts.map");
    files.set("dist/client/helper.js.map", "not json");
    expect(problems(files)).toEqual([
      "dist/client/index.d.ts: its sourceMappingURL index.d.ts.map is not in the tarball",
      "dist/client/helper.js.map: not a JSON source map",
    ]);
  });

  test("every condition of every export, and main/types, must name a shipped file", () => {
    const withMore: Manifest = {
      ...manifest,
      main: "./dist/client/index.js",
      types: "./dist/index.d.ts",
      exports: {
        ...(manifest.exports as object),
        "./test": { types: "./dist/test.d.ts", default: ["./dist/test.js"] },
        "./package.json": "./package.json",
      },
    };
    expect(problems(clean(), withMore)).toEqual([
      "exports → ./test → types: ./dist/test.d.ts is not in the tarball",
      "exports → ./test → default[0]: ./dist/test.js is not in the tarball",
      "types: ./dist/index.d.ts is not in the tarball",
    ]);
  });

  test("a pattern export needs at least one matching file", () => {
    const patterned: Manifest = {
      ...manifest,
      exports: { "./client/*": "./dist/client/*.js", "./x/*": "./dist/x/*.js" },
    };
    expect(problems(clean(), patterned)).toEqual(["exports → ./x/*: no shipped file matches ./dist/x/*.js"]);
  });

  test("imports must resolve: relative ones to shipped files, bare ones to dependencies or peers", () => {
    const files = clean()
      .set(
        "src/client/more.ts",
        [
          `import { readFileSync } from "node:fs";`,
          `import { Buffer } from "buffer";`,
          `import clerkSync from "convex-clerk-sync/convex.config";`,
          `import type { WebhookEvent } from "@clerk/backend";`,
          `import { postEvent } from "../../test/webhookRequests.js";`,
          `export { helper } from "./helper";`,
          `// import { nothing } from "./commented-out.js";`,
          `/** e.g. \`import { components } from "./_generated/api";\` */`,
          `const lazy = () => import("vitest");`,
        ].join("\n"),
      )
      .set("dist/client/more.d.ts", `export declare const x: import("@clerk/shared").User;\n`);
    expect(problems(files)).toEqual([
      "src/client/more.ts: imports @clerk/backend, which is neither a dependency nor a peer dependency",
      "src/client/more.ts: imports ../../test/webhookRequests.js, which is not in the tarball",
      "src/client/more.ts: imports vitest, which is neither a dependency nor a peer dependency",
      "dist/client/more.d.ts: imports @clerk/shared, which is neither a dependency nor a peer dependency",
    ]);
  });
});
