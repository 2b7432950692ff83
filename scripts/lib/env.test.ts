import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { parseEnvText, readEnvFile, readLocalEnv } from "./env";

describe("reading .env.local", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
  const folderWith = (text: string): string => {
    dir = mkdtempSync(join(tmpdir(), "roster-env-"));
    writeFileSync(join(dir, ".env.local"), text);
    return dir;
  };

  test("reads what the Convex CLI and a person write: comments, quotes, export, CRLF", () => {
    const values = parseEnvText(
      [
        "# Deployment used by `npx convex dev`",
        "CONVEX_DEPLOYMENT=dev:happy-otter-123 # team: ada, project: roster",
        "export VITE_CONVEX_URL=https://happy-otter-123.convex.cloud",
        'VITE_CLERK_PUBLISHABLE_KEY="pk_test_abc"',
        "CLERK_WEBHOOK_SIGNING_SECRET='whsec_one whsec_two'",
        'MULTI="first\\nsecond"',
        "EMPTY=",
        "VITE_CONVEX_URL=https://later-cat-1.convex.cloud\r",
      ].join("\r\n"),
    );
    expect(values).toEqual({
      CONVEX_DEPLOYMENT: "dev:happy-otter-123",
      VITE_CONVEX_URL: "https://later-cat-1.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: "pk_test_abc",
      CLERK_WEBHOOK_SIGNING_SECRET: "whsec_one whsec_two",
      MULTI: "first\nsecond",
      EMPTY: "",
    });
  });

  test("a missing file is null, not empty", () => {
    dir = mkdtempSync(join(tmpdir(), "roster-env-"));
    expect(readEnvFile(join(dir, ".env.local"))).toBeNull();
    expect(readLocalEnv(dir, {}, ["CLERK_WEBHOOK_SIGNING_SECRET"])).toEqual({});
  });

  test("the shell wins over .env.local for the names a tool takes from it, and only those", () => {
    const cwd = folderWith(
      "CLERK_WEBHOOK_SIGNING_SECRET=whsec_file\nVITE_CONVEX_URL=https://file-cat-1.convex.cloud\n",
    );
    const shell = { CLERK_WEBHOOK_SIGNING_SECRET: "whsec_shell", VITE_CONVEX_URL: "https://shell-cat-2.convex.cloud" };
    expect(readLocalEnv(cwd, shell, ["CLERK_WEBHOOK_SIGNING_SECRET"])).toEqual({
      CLERK_WEBHOOK_SIGNING_SECRET: "whsec_shell",
      VITE_CONVEX_URL: "https://file-cat-1.convex.cloud",
    });
    // An empty shell variable does not blank out the file's value.
    expect(readLocalEnv(cwd, { CLERK_WEBHOOK_SIGNING_SECRET: "" }, ["CLERK_WEBHOOK_SIGNING_SECRET"])).toMatchObject({
      CLERK_WEBHOOK_SIGNING_SECRET: "whsec_file",
    });
  });
});
