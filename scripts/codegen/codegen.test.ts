import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getFunctionAddress } from "convex/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { components } from "../../convex/_generated/api";
import { mountedComponents } from "./components";
import { generate, generatedDirs, type GeneratedFiles } from "./generate";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("npm run codegen", () => {
  let files: GeneratedFiles;
  beforeAll(async () => {
    files = await generate(projectDir);
  }, 120_000);

  test("writes components.clerkSync into Roster's generated API, typed by the component's ComponentApi", () => {
    expect(files.get("convex/_generated/api.js")).toContain("export const components = componentsGeneric();");
    expect(files.get("convex/_generated/api.d.ts")).toMatch(
      /export declare const components: \{\n {2}clerkSync: import\("convex-clerk-sync\/_generated\/component\.js"\)\.ComponentApi<"clerkSync">;\n\};/,
    );
  });

  test("writes the component's own _generated/, with ComponentApi derived from its modules", () => {
    const dir = "packages/clerk-sync/src/component/_generated";
    expect([...files.keys()].filter((file) => file.startsWith(`${dir}/`)).sort()).toEqual(
      ["api.ts", "component.ts", "dataModel.ts", "server.ts"].map((file) => `${dir}/${file}`),
    );
    const componentTs = files.get(`${dir}/component.ts`);
    expect(componentTs).toContain('import type * as config from "../config.js";');
    expect(componentTs).toContain('import type * as webhooks_ingest from "../webhooks/ingest.js";');
    // Every module of the component (the moved engine), its path as the key the app's references use.
    expect(componentTs).toMatch(
      /ComponentApiFromModules<\s*\{[^}]*\bconfig: typeof config;[^}]*"webhooks\/ingest": typeof webhooks_ingest;[^}]*\},\s*Name\s*>/,
    );
  });

  test("the committed files are what codegen writes (run `npm run codegen` and commit)", () => {
    for (const dir of generatedDirs(files)) {
      const committed = readdirSync(join(projectDir, dir)).map((file) => `${dir}/${file}`);
      expect(committed.sort()).toEqual([...files.keys()].filter((file) => file.startsWith(`${dir}/`)).sort());
    }
    for (const [file, text] of files) expect(readFileSync(join(projectDir, file), "utf8"), file).toBe(text);
  });

  test("the committed api.js hands out references into the component", () => {
    expect(getFunctionAddress(components.clerkSync.config.get)).toEqual({
      reference: "_reference/childComponent/clerkSync/config/get",
    });
  });
});

describe("mountedComponents", () => {
  /** A convex/ folder whose convex.config.ts is `config`, in a project with this one's node_modules. */
  function appWithConfig(config: string): string {
    const dir = mkdtempSync(join(tmpdir(), "roster-codegen-test-"));
    temporary.push(dir);
    symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"), "dir");
    mkdirSync(join(dir, "convex"));
    writeFileSync(join(dir, "convex", "convex.config.ts"), config);
    return join(dir, "convex");
  }

  test("reads app.use: the component's defineComponent name, or the name app.use gives it", () => {
    const convexDir = appWithConfig(
      [
        'import { defineApp } from "convex/server";',
        'import clerkSync from "convex-clerk-sync/convex.config";',
        "const app = defineApp();",
        "app.use(clerkSync);",
        'app.use(clerkSync, { name: "secondSync" });',
        "export default app;",
      ].join("\n"),
    );
    const dir = join(projectDir, "packages", "clerk-sync", "src", "component");
    expect(mountedComponents(convexDir)).toEqual([
      { name: "clerkSync", importSpecifier: "convex-clerk-sync", dir },
      { name: "secondSync", importSpecifier: "convex-clerk-sync", dir },
    ]);
  });

  test("an app that mounts nothing has no components, and none without a convex.config.ts", () => {
    const convexDir = appWithConfig('import { defineApp } from "convex/server";\nexport default defineApp();\n');
    expect(mountedComponents(convexDir)).toEqual([]);
    const empty = mkdtempSync(join(tmpdir(), "roster-no-config-"));
    temporary.push(empty);
    expect(mountedComponents(empty)).toEqual([]);
  });
});
