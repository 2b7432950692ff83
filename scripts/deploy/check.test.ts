import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { CANONICAL_URLS_PATH, checkDeploy, expectedEntryPoints, formatDeployCheck, linkNodeModules } from "./check";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the project's convex/ and packages/ (and what the CLI reads) to break on purpose. */
function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "roster-deploy-test-"));
  temporary.push(dir);
  for (const name of ["convex", "packages", "package.json", "tsconfig.json"])
    cpSync(join(projectDir, name), join(dir, name), {
      recursive: true,
      filter: (path) => !/[\\/](node_modules|dist)$/.test(path),
    });
  linkNodeModules(projectDir, dir);
  return dir;
}

const COMPONENT = join("packages", "clerk-sync", "src", "component");

describe("npm run check:deploy", () => {
  test("bundles every entry point of this project and of the component it mounts, without pushing anything", async () => {
    const result = await checkDeploy(projectDir);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // The component's modules were bundled and loaded too, every one its source tree holds.
    expect(result.components).toEqual([
      expect.objectContaining({ name: "clerkSync", dir: "packages/clerk-sync/src/component" }),
    ]);
    const [component] = result.components;
    expect(component?.bundled).toEqual(
      expect.arrayContaining(["isolate/config", "isolate/crons", "isolate/webhooks/ingest", "isolate/clerk/sync"]),
    );
    expect(component?.bundled).toEqual(component?.expected);
    // Every variable the component declares, handed over by the app by reference.
    expect(component?.env).toEqual(expect.arrayContaining(["CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_INSTANCE_ID"]));
    expect(result.bundled).toEqual(
      expect.arrayContaining(["isolate/http", "isolate/crons", "isolate/auth.config", "isolate/clerk"]),
    );
    expect(result.bundled).toEqual(expect.arrayContaining(result.expected));
    // The stub was asked for its URLs and nothing else: no push reached it.
    expect(new Set(result.requests)).toEqual(new Set([`GET ${CANONICAL_URLS_PATH}`]));
    expect(formatDeployCheck(result)).toMatch(
      /^Deploy check passed in [\d.]+ s: \d+ entry points bundled .*; component clerkSync \(packages\/clerk-sync\/src\/component\): \d+ loaded, \d+ env variables handed over by reference\./,
    );
  }, 120_000);

  test('fails, naming the file, when a module without "use node" imports a Node built-in', async () => {
    const copy = projectCopy();
    const profile = join(copy, "convex", "model", "profile.ts");
    writeFileSync(
      profile,
      `import fs from "node:fs";\nexport const exists = fs.existsSync;\n${readFileSync(profile, "utf8")}`,
    );
    const result = await checkDeploy(copy);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/bundling convex\/ and its components for the Convex runtime failed/);
    expect(result.problems.join("\n")).toMatch(/imports something the Convex runtime cannot load/);
    const report = formatDeployCheck(result);
    expect(report).toMatch(/^Deploy check FAILED/);
    expect(report).toContain('Could not resolve "node:fs"');
    expect(report).toContain("convex/model/profile.ts");
    expect(result.requests.every((request) => request === `GET ${CANONICAL_URLS_PATH}`)).toBe(true);
  }, 120_000);

  test("fails when a module bundles but cannot load in the Convex runtime (a Node global at import time)", async () => {
    const copy = projectCopy();
    const profile = join(copy, "convex", "model", "profile.ts");
    writeFileSync(
      profile,
      `${readFileSync(profile, "utf8")}\nexport const ENCODED = Buffer.from("roster").toString("base64");\n`,
    );
    const result = await checkDeploy(copy);
    expect(result.ok).toBe(false);
    // Bundling succeeded; loading each entry point that imports model/profile failed.
    expect(result.runs[0]?.exitCode).toBe(0);
    expect(result.problems).toContainEqual(
      expect.stringMatching(/^convex\/[\w/]+\.ts fails to load in the Convex runtime: ReferenceError: Buffer is not defined$/),
    );
    // Every entry point that pulls that code in fails for the same reason, and nothing else does.
    expect(result.problems.every((problem) => problem.endsWith("ReferenceError: Buffer is not defined"))).toBe(true);
  }, 120_000);
  test("fails, naming the file, when a module of the component imports a Node built-in", async () => {
    const copy = projectCopy();
    const config = join(copy, COMPONENT, "config.ts");
    writeFileSync(
      config,
      `import fs from "node:fs";\nexport const exists = fs.existsSync;\n${readFileSync(config, "utf8")}`,
    );
    const result = await checkDeploy(copy);
    expect(result.ok).toBe(false);
    // The CLI bundles the component from its source (--live-component-sources) and fails on it …
    expect(result.runs[0]?.exitCode).not.toBe(0);
    expect(result.runs[0]?.output).toContain('Could not resolve "node:fs"');
    // … and the component's own bundling names the file.
    expect(result.problems).toContainEqual(
      expect.stringMatching(
        /^bundling component clerkSync \(packages\/clerk-sync\/src\/component\) for the Convex runtime failed \(exit 1\): packages\/clerk-sync\/src\/component\/config\.ts:1: Could not resolve "node:fs"/,
      ),
    );
    expect(formatDeployCheck(result)).toMatch(/^Deploy check FAILED/);
    expect(result.requests.every((request) => request === `GET ${CANONICAL_URLS_PATH}`)).toBe(true);
  }, 120_000);

  test("fails when a module of the component bundles but cannot load in the Convex runtime", async () => {
    const copy = projectCopy();
    const config = join(copy, COMPONENT, "config.ts");
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}\nexport const ENCODED = Buffer.from("roster").toString("base64");\n`,
    );
    const result = await checkDeploy(copy);
    // The CLI bundles it (it only bundles); loading the component's module in the runtime fails.
    expect(result.runs[0]?.exitCode).toBe(0);
    expect(result.problems).toEqual([
      "packages/clerk-sync/src/component/config.ts fails to load in the Convex runtime: ReferenceError: Buffer is not defined",
    ]);
    expect(result.ok).toBe(false);
  }, 120_000);
});

test("fails, naming the variable and the fix, when the app stops handing the component a variable it declares", async () => {
  const copy = projectCopy();
  const config = join(copy, "convex", "convex.config.ts");
  const original = readFileSync(config, "utf8");
  expect(original).toContain("    CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY,\n");
  writeFileSync(config, original.replace("    CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY,\n", ""));
  const result = await checkDeploy(copy);
  expect(result.ok).toBe(false);
  expect(result.problems).toContain(
    "component clerkSync (packages/clerk-sync/src/component) declares CLERK_SECRET_KEY, but the app does not hand it over: " +
      "it reads as unset on every deployment. Add `CLERK_SECRET_KEY: app.env.CLERK_SECRET_KEY` in app.use(…, { env }) of convex/convex.config.ts",
  );
  expect(result.components[0]?.env).toEqual([]);
  expect(formatDeployCheck(result)).toMatch(/^Deploy check FAILED/);
}, 120_000);

describe("bundle-component.js", () => {
  test("refuses to bundle with other settings than the installed Convex CLI's", () => {
    const fakeConvex = mkdtempSync(join(tmpdir(), "roster-fake-convex-"));
    temporary.push(fakeConvex);
    const bundler = join(fakeConvex, "dist", "esm", "bundler");
    mkdirSync(bundler, { recursive: true });
    const real = readFileSync(join(projectDir, "node_modules/convex/dist/esm/bundler/debugBundle.js"), "utf8");
    expect(real).toContain("minifyIdentifiers: true,");
    writeFileSync(
      join(bundler, "debugBundle.js"),
      real.replace("minifyIdentifiers: true,", "minifyIdentifiers: false,"),
    );
    const run = spawnSync(
      process.execPath,
      [join(projectDir, "scripts/deploy/bundle-component.js"), fakeConvex, join(projectDir, COMPONENT), fakeConvex],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("The Convex CLI's esbuild settings changed");
    expect(run.stderr).toContain("minifyIdentifiers: true,");
  });
});

describe("expectedEntryPoints", () => {
  test("follows the Convex CLI's rules for which files are entry points, and where they run", () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-entry-points-"));
    temporary.push(dir);
    const files: Record<string, string> = {
      "http.ts": "export default 1;",
      "auth.config.ts": "export default {};",
      "schema.ts": "export default 1;",
      "convex.config.ts": "export default 1;",
      "users.test.ts": "export {};",
      ".hidden.ts": "export {};",
      "README.md": "# not code",
      "_generated/api.js": "export {};",
      "clerk/schema.ts": "export {};",
      "clerk/api.ts": "export {};",
      "mail/send.ts": '// Sends mail through an SDK that needs Node.\n"use node";\nexport {};',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    expect(expectedEntryPoints(dir)).toEqual([
      "isolate/auth.config",
      "isolate/clerk/api",
      "isolate/http",
      "node/mail/send",
    ]);
  });
});
