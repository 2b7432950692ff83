import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { linkNodeModules } from "./check";
import { envHandoverProblems, readEnvHandover, type EnvAnalysis } from "./envHandover";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/**
 * The app's definitions as this test process imports them (Vite resolves the component through its
 * source condition): the component definition gets the path and name a push gives it, then the
 * app's convex.config.ts runs its `app.use`, and both say what `export()` sends to a deployment.
 */
async function importedAnalysis(): Promise<EnvAnalysis> {
  type Definition = { componentDefinitionPath?: string; defaultName?: string; export(): EnvAnalysis["components"][number]["definition"] };
  const component = (await import("convex-clerk-sync/convex.config")).default as unknown as Definition;
  component.componentDefinitionPath = "packages/clerk-sync/src/component";
  component.defaultName = component.export().name;
  const app = (await import("../../convex/convex.config")).default as unknown as {
    export(): EnvAnalysis["app"];
    _childComponents: Array<[string, Definition]>;
  };
  return {
    app: app.export(),
    components: app._childComponents.map(([name, definition]) => ({
      name,
      path: definition.componentDefinitionPath ?? "",
      definition: definition.export(),
    })),
  };
}

describe("the app hands the component its environment (convex-test has no component env)", () => {
  test("every variable clerkSync declares is handed over by reference, under its own name", async () => {
    const analysis = await importedAnalysis();
    expect(envHandoverProblems(analysis)).toEqual([]);
    const [component] = analysis.components;
    const declared = (component?.definition.envVars ?? []).map(([name]) => name);
    // What the component's env.ts reads (a variable added there must be declared, then handed over).
    expect(declared).toEqual(
      expect.arrayContaining(["CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_INSTANCE_ID", "WEBHOOK_LOG_RETENTION_DAYS"]),
    );
    expect(analysis.app.childComponents).toEqual([
      {
        name: "clerkSync",
        path: "packages/clerk-sync/src/component",
        args: [],
        env: declared.map((name) => [name, { type: "envVar", name }]),
      },
    ]);
  });

  test("the deploy check's evaluation (bundled by the CLI's esbuild) sees the same definitions", async () => {
    const result = await readEnvHandover(projectDir, tempDir("roster-env-handover-"));
    expect(result).toEqual({ analysis: await importedAnalysis() });
  }, 60_000);

  test("a variable the app stops handing over fails the check, naming it and the fix", async () => {
    const copy = tempDir("roster-env-copy-");
    for (const name of ["convex", "packages", "package.json"])
      cpSync(join(projectDir, name), join(copy, name), {
        recursive: true,
        filter: (path) => !/[\\/](node_modules|dist|_generated)$/.test(path),
      });
    linkNodeModules(projectDir, copy);
    const config = join(copy, "convex", "convex.config.ts");
    const original = readFileSync(config, "utf8");
    expect(original).toContain("    CLERK_API_URL: app.env.CLERK_API_URL,\n");
    writeFileSync(config, original.replace("    CLERK_API_URL: app.env.CLERK_API_URL,\n", ""));
    const dropped = await readEnvHandover(copy, join(copy, "out"));
    if (!("analysis" in dropped)) throw new Error(dropped.error);
    expect(envHandoverProblems(dropped.analysis)).toEqual([
      "component clerkSync (packages/clerk-sync/src/component) declares CLERK_API_URL, but the app does not hand it over: " +
        "it reads as unset on every deployment. Add `CLERK_API_URL: app.env.CLERK_API_URL` in app.use(…, { env }) of convex/convex.config.ts",
    ]);
    // A reference to a variable the app never declared: Convex's own error, said as the cause.
    writeFileSync(config, original.replace("app.env.CLERK_API_URL,", "app.env.CLERK_API_ULR,"));
    const misspelt = await readEnvHandover(copy, join(copy, "out"));
    expect(misspelt).toEqual({ error: expect.stringContaining('Env var "CLERK_API_ULR" is not declared on this app') });
  }, 60_000);
});

describe("envHandoverProblems", () => {
  const declared = (names: string[]): Array<[string, unknown]> => names.map((name) => [name, { type: "value" }]);
  const analysis = (env: EnvAnalysis["app"]["childComponents"][number]["env"], appVars = ["A", "B"]): EnvAnalysis => ({
    app: { envVars: declared(appVars), childComponents: [{ name: "sync", path: "pkg/component", env }] },
    components: [{ name: "sync", path: "pkg/component", definition: { name: "sync", envVars: declared(["A", "B"]) } }],
  });

  test("passes when each declared variable is handed by reference under its name", () => {
    expect(
      envHandoverProblems(
        analysis([
          ["A", { type: "envVar", name: "A" }],
          ["B", { type: "envVar", name: "B" }],
        ]),
      ),
    ).toEqual([]);
  });

  test.each([
    {
      case: "one left out (and not declared by the app)",
      env: [["A", { type: "envVar", name: "A" }]] as Array<[string, { type: "envVar"; name: string }]>,
      appVars: ["A"],
      problem: /^component sync \(pkg\/component\) declares B, but the app does not hand it over: .*`B: app\.env\.B`.* \(and declare B in defineApp's env\)$/,
    },
    {
      case: "no env passed at all",
      env: null,
      appVars: ["A", "B"],
      problem: /declares A, but the app does not hand it over/,
    },
    {
      case: "a value written in the config",
      env: [
        ["A", { type: "envVar", name: "A" }],
        ["B", { type: "value", value: "sk_live_x" }],
      ] as Array<[string, { type: "envVar"; name: string } | { type: "value"; value: string }]>,
      appVars: ["A", "B"],
      problem: /gets B as a value written in convex\/convex\.config\.ts, not by reference: .*npx convex env set B/,
    },
    {
      case: "another variable of the app",
      env: [
        ["A", { type: "envVar", name: "A" }],
        ["B", { type: "envVar", name: "A" }],
      ] as Array<[string, { type: "envVar"; name: string }]>,
      appVars: ["A", "B"],
      problem: /gets B from the app's A: hand it the app's variable of the same name/,
    },
    {
      case: "one the component does not declare",
      env: [
        ["A", { type: "envVar", name: "A" }],
        ["B", { type: "envVar", name: "B" }],
        ["C", { type: "envVar", name: "C" }],
      ] as Array<[string, { type: "envVar"; name: string }]>,
      appVars: ["A", "B", "C"],
      problem: /does not declare C, which convex\/convex\.config\.ts hands it/,
    },
  ])("fails on $case", ({ env, appVars, problem }) => {
    const problems = envHandoverProblems(analysis(env, appVars));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((line) => problem.test(line)), problems.join("\n")).toBe(true);
  });

  test("a component the app mounts twice is checked by each name", () => {
    const both: EnvAnalysis = {
      app: {
        envVars: declared(["A", "B"]),
        childComponents: [
          { name: "one", path: "c", env: [["A", { type: "envVar", name: "A" }], ["B", { type: "envVar", name: "B" }]] },
          { name: "two", path: "c", env: [["A", { type: "envVar", name: "A" }]] },
        ],
      },
      components: ["one", "two"].map((name) => ({ name, path: "c", definition: { name: "c", envVars: declared(["A", "B"]) } })),
    };
    expect(envHandoverProblems(both)).toEqual([expect.stringMatching(/^component two \(c\) declares B, but/)]);
  });
});
