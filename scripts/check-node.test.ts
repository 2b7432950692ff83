import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { nodeVersionProblem, satisfies, withNodeFromNpm } from "./check-node.js";

const root = new URL("../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { engines?: { node?: string }; optional?: boolean }>;
};
const RANGE = pkg.engines.node;
const NVMRC = readFileSync(new URL(".nvmrc", root), "utf8").trim();

describe("the Node.js version check", () => {
  test.each([
    ["v20.20.2", false],
    ["v22.12.0", false],
    ["v22.22.1", false],
    ["v22.22.2", true],
    ["v23.11.0", false],
    ["v24.14.0", false],
    ["v24.15.0", true],
    ["v24.22.3", true],
    ["v25.2.0", false],
    ["v26.0.0", true],
  ])("%s satisfies engines.node: %s", (version, ok) => {
    expect(satisfies(version, RANGE)).toBe(ok);
  });

  test.each([
    ["20 || >=22", "v20.1.0", true],
    ["20 || >=22", "v21.0.0", false],
    [">= 18", "v18.0.0", true],
    [">=v12.22.7", "v12.22.6", false],
    ["^18.18.0 || ^20.9.0 || >=21.1.0", "v20.8.9", false],
  ])("%s against %s: %s", (range, version, ok) => {
    expect(satisfies(version, range)).toBe(ok);
  });

  test("engines.node admits only Nodes that every installed package supports", () => {
    const lowest = RANGE.split("||").map((alternative) => alternative.trim().replace(/^(\^|>=)/, ""));
    const unmet = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && !entry.optional && entry.engines?.node)
      .flatMap(([path, entry]) =>
        lowest.filter((version) => !satisfies(version, entry.engines!.node!)).map((v) => `${path} on ${v}`),
      );
    expect(unmet).toEqual([]);
  });

  test(".nvmrc names a major that engines.node admits", () => {
    expect(
      RANGE.split("||").some(
        (alternative) =>
          alternative
            .trim()
            .replace(/^(\^|>=)/, "")
            .split(".")[0] === NVMRC,
      ),
    ).toBe(true);
  });

  test("a Node too old gets one line: the versions needed and two ways to get one", () => {
    const line = nodeVersionProblem("v20.20.2", RANGE, NVMRC);
    expect(line).not.toBeNull();
    expect(line).not.toContain("\n");
    expect(line).toContain("Roster needs Node.js ^22.22.2 or ^24.15.0 or >=26, but this is v20.20.2");
    expect(line).toContain("nvm install");
    expect(line).toContain(`npx -y -p node@${NVMRC} -- npm install`);
    expect(line).toContain(`npx -y -p node@${NVMRC} -- npm run dev`);
    expect(nodeVersionProblem("v24.22.3", RANGE, NVMRC)).toBeNull();
  });

  test("the README gives the same way to get Node without nvm as the line does", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    expect(readme).toContain(`${withNodeFromNpm(NVMRC)} npm install`);
    expect(readme).toContain(`${withNodeFromNpm(NVMRC)} npm run dev`);
  });

  test("run as a script on this Node (which satisfies engines.node) it prints nothing and exits 0", () => {
    const result = spawnSync(process.execPath, ["scripts/check-node.js"], {
      cwd: new URL(".", root).pathname,
      encoding: "utf8",
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: "",
      stderr: "",
    });
  });
});
