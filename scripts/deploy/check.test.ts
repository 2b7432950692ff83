import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { CANONICAL_URLS_PATH, checkDeploy, expectedEntryPoints, formatDeployCheck } from "./check";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the project's convex/ (and what the CLI reads) to break on purpose. */
function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "roster-deploy-test-"));
  temporary.push(dir);
  for (const name of ["convex", "package.json", "tsconfig.json"])
    cpSync(join(projectDir, name), join(dir, name), { recursive: true });
  symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

describe("npm run check:deploy", () => {
  test("bundles every entry point of this project without pushing anything", async () => {
    const result = await checkDeploy(projectDir);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.bundled).toEqual(
      expect.arrayContaining(["isolate/http", "isolate/crons", "isolate/auth.config", "isolate/webhooks/handler"]),
    );
    expect(result.bundled).toEqual(expect.arrayContaining(result.expected));
    // The stub was asked for its URLs and nothing else: no push reached it.
    expect(new Set(result.requests)).toEqual(new Set([`GET ${CANONICAL_URLS_PATH}`]));
    expect(formatDeployCheck(result)).toMatch(/^Deploy check passed in [\d.]+ s: \d+ entry points bundled/);
  }, 120_000);

  test('fails, naming the file, when a module without "use node" imports a Node built-in', async () => {
    const copy = projectCopy();
    const access = join(copy, "convex", "model", "access.ts");
    writeFileSync(
      access,
      `import fs from "node:fs";\nexport const exists = fs.existsSync;\n${readFileSync(access, "utf8")}`,
    );
    const result = await checkDeploy(copy);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/bundling convex\/ for the Convex runtime failed/);
    expect(result.problems.join("\n")).toMatch(/imports something the Convex runtime cannot load/);
    const report = formatDeployCheck(result);
    expect(report).toMatch(/^Deploy check FAILED/);
    expect(report).toContain('Could not resolve "node:fs"');
    expect(report).toContain("convex/model/access.ts");
    expect(result.requests.every((request) => request === `GET ${CANONICAL_URLS_PATH}`)).toBe(true);
  }, 120_000);

  test("fails when a module bundles but cannot load in the Convex runtime (a Node global at import time)", async () => {
    const copy = projectCopy();
    const payload = join(copy, "convex", "lib", "payload.ts");
    writeFileSync(
      payload,
      `${readFileSync(payload, "utf8")}\nexport const ENCODED = Buffer.from("roster").toString("base64");\n`,
    );
    const result = await checkDeploy(copy);
    expect(result.ok).toBe(false);
    // Bundling succeeded; loading each entry point that imports lib/payload failed.
    expect(result.runs[0]?.exitCode).toBe(0);
    expect(result.problems).toContain(
      "convex/lib/payload.ts fails to load in the Convex runtime: ReferenceError: Buffer is not defined",
    );
    // Every entry point that pulls that code in fails for the same reason, and nothing else does.
    expect(result.problems.every((problem) => problem.endsWith("ReferenceError: Buffer is not defined"))).toBe(true);
  }, 120_000);
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
