// .ci/apt.sh's apt_get (what .ci/run installs chromium with), against a fake apt-get on PATH that
// fails as apt does while another apt process holds a lock.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";

const APT_SH = new URL("../../.ci/apt.sh", import.meta.url).pathname;
const LISTS_LOCKED = [
  "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)",
  "E: Unable to lock directory /var/lib/apt/lists/",
];
const DPKG_LOCKED = [
  "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)",
  "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?",
];

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `apt_get <args>` with a fake apt-get that fails with `failure` (stderr lines, exit 100) its
 * first `failures` calls, then succeeds; returns the exit status, stderr, and each call's arguments.
 */
function aptGet(args: string, { failures = 0, failure = LISTS_LOCKED, timeout = 30 } = {}) {
  dir = mkdtempSync(join(tmpdir(), "apt-"));
  const fake = join(dir, "apt-get");
  writeFileSync(
    fake,
    `#!/usr/bin/env bash
echo "$*" >> "${dir}/calls"
n=$(wc -l < "${dir}/calls")
if [ "$n" -le ${failures} ]; then
${failure.map((line) => `  echo '${line}' >&2`).join("\n")}
  exit 100
fi
echo "W: a warning apt printed" >&2
`,
    { mode: 0o755 },
  );
  const run = spawnSync("bash", ["-c", `. "${APT_SH}"; apt_get ${args}`], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${dir}:${process.env.PATH}`,
      APT_LOCK_TIMEOUT: String(timeout),
      APT_LOCK_RETRY_SECONDS: "0.05",
    },
  });
  const calls = readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
  return { status: run.status, stderr: run.stderr, calls };
}

describe("apt_get waits for apt's locks instead of failing", () => {
  test("the package lists' lock (apt-get update): retried until it is free, with one line saying so", () => {
    const { status, stderr, calls } = aptGet("update -qq", { failures: 3 });
    expect(status).toBe(0);
    expect(calls).toHaveLength(4);
    expect(stderr.match(/waiting up to 30s/g)).toHaveLength(1);
    expect(stderr).toContain("W: a warning apt printed");
    expect(stderr).not.toContain("Could not get lock");
  });

  test("dpkg's lock: apt itself is told to wait (DPkg::Lock::Timeout), and a lock failure is retried too", () => {
    const { status, calls } = aptGet("install -y chromium", { failures: 1, failure: DPKG_LOCKED });
    expect(status).toBe(0);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call).toMatch(/^-o DPkg::Lock::Timeout=\d+ install -y chromium$/);
    expect(Number(/Timeout=(\d+)/.exec(calls[0]!)?.[1])).toBeGreaterThan(25);
  });

  test("bounded: past APT_LOCK_TIMEOUT it stops, showing apt's error and what to do", () => {
    const { status, stderr, calls } = aptGet("update -qq", { failures: 1_000_000, timeout: 1 });
    expect(status).toBe(1);
    expect(calls.length).toBeGreaterThan(1);
    expect(stderr).toContain("It is held by process 4242");
    expect(stderr).toContain("still held apt's lock after 1s");
    expect(stderr).toContain("set APT_LOCK_TIMEOUT to wait longer");
  });

  test("any other failure stops at once, with apt's own error", () => {
    const { status, stderr, calls } = aptGet("install nosuchpackage", {
      failures: 1,
      failure: ["E: Unable to locate package nosuchpackage"],
    });
    expect(status).toBe(1);
    expect(calls).toHaveLength(1);
    expect(stderr).toContain("Unable to locate package");
    expect(stderr).not.toContain("waiting");
  });
});
