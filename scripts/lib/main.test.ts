import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, expect, test } from "vitest";
import { isMainModule } from "./main";

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

test("a script started through a symlinked folder is still the main module; another file is not", () => {
  dir = mkdtempSync(join(tmpdir(), "roster-main-"));
  writeFileSync(join(dir, "tool.ts"), "");
  writeFileSync(join(dir, "other.ts"), "");
  symlinkSync(dir, join(dir, "linked"));
  const moduleUrl = pathToFileURL(join(dir, "tool.ts")).href; // what Node reports: the real path
  expect(isMainModule(moduleUrl, join(dir, "linked", "tool.ts"))).toBe(true);
  expect(isMainModule(moduleUrl, join(dir, "tool.ts"))).toBe(true);
  expect(isMainModule(moduleUrl, join(dir, "linked", "other.ts"))).toBe(false);
  expect(isMainModule(moduleUrl, join(dir, "missing.ts"))).toBe(false);
  expect(isMainModule(moduleUrl, undefined)).toBe(false);
});
