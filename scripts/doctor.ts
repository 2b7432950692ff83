/**
 * `npm run doctor`: checks `.env.local` and the Convex deployment's environment for everything
 * Roster needs, names the sync engine's component (clerkSync) and says whether it holds Roster's
 * change hook yet and what its drift watch last found (webhooks silent, behind Clerk, could not check: each
 * with what to check), prints one line per problem with the command that fixes it, then the webhook URL
 * and the events to paste into Clerk's dashboard.
 * Exit code: 0 all good, 1 something is misconfigured, 2 the Convex environment could not be read
 * (the line says why: Convex unreachable over the network, not logged in, or no deployment chosen).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { mountedComponents } from "./codegen/components";
import {
  CLI_TIMEOUT_MS,
  diagnose,
  formatDiagnosis,
  readCliFailure,
  SYNC_COMPONENT,
  type ComponentHandlesResult,
  type ComponentStatus,
  type ConvexEnvResult,
  type DriftStatusResult,
  type PinnedInstance,
  type PinnedInstanceResult,
} from "./doctor/diagnose";
import { DRIFT_STATES } from "../src/features/admin/lib/drift";
import { parseEnvText, readEnvFile } from "./lib/env";
import { isMainModule } from "./lib/main";

/** Runs `npx convex env list --include-values` in `cwd` (never prompting) and reads its output. */
export function convexEnvList(cwd: string): ConvexEnvResult {
  // The project's own CLI: `npx` would download one when it is missing.
  const cli = join(cwd, "node_modules", ".bin", "convex");
  if (!existsSync(cli))
    return { ok: false, reason: "other", error: "the convex package is not installed here; run npm install" };
  const result = spawnSync(cli, ["env", "list", "--include-values"], {
    cwd,
    encoding: "utf8",
    timeout: CLI_TIMEOUT_MS,
    env: { ...process.env, CI: "1" }, // never prompt: report instead
  });
  if (result.error || result.status !== 0) {
    return readCliFailure({
      status: result.status,
      stdout: result.stdout ?? "",
      stderr: result.stderr ?? "",
      spawnError: result.error,
    });
  }
  return { ok: true, values: parseEnvText(result.stdout) };
}

/**
 * Runs `fn` (a function path) in the component with the project's own CLI and hands its stdout to
 * `parse`; a missing CLI, a spawn error or a non-zero exit comes back as `{ ok: false, error }`.
 */
function runInSyncComponent<Result>(
  cwd: string,
  component: string,
  fn: string,
  parse: (stdout: string) => Result,
  timeout = CLI_TIMEOUT_MS,
): Result | { ok: false; error: string } {
  const cli = join(cwd, "node_modules", ".bin", "convex");
  if (!existsSync(cli)) return { ok: false, error: "the convex package is not installed here; run npm install" };
  const result = spawnSync(cli, ["run", "--component", component, fn], {
    cwd,
    encoding: "utf8",
    timeout,
    env: { ...process.env, CI: "1" },
  });
  if (result.error) return { ok: false, error: result.error.message };
  if (result.status !== 0) return { ok: false, error: `exited with ${result.status}` };
  return parse(result.stdout);
}

/**
 * Checks the pinned Clerk instance by running the sync component's internal action
 * `webhooks/instance:check`: with CLERK_SECRET_KEY set it asks Clerk which instance the key belongs
 * to, stores the answer for sync health, and says what disagrees.
 */
export function convexPinnedInstance(cwd: string, component = SYNC_COMPONENT): PinnedInstanceResult {
  return runInSyncComponent(cwd, component, "webhooks/instance:check", parsePinnedInstance, 120_000);
}

/**
 * `npx convex run --component clerkSync webhooks/instance:check`'s output (JSON: the pin, the problems
 * with their fixes, the foreign instances seen), or `webhooks/instance:pinned`'s (`null` or the pinned instance).
 */
export function parsePinnedInstance(stdout: string): PinnedInstanceResult {
  try {
    const value: unknown = JSON.parse(stdout.trim());
    if (value === null) return { ok: true, instance: null };
    if (typeof value === "object" && typeof (value as PinnedInstance).instanceId === "string")
      return { ok: true, instance: value as PinnedInstance };
    if (typeof value === "object" && "pinned" in value) {
      const status = value as {
        pinned: PinnedInstance | null;
        problems?: Array<{ what: string; fix: string }>;
        foreignInstanceIds?: string[];
        hasSecretKey?: boolean;
      };
      return {
        ok: true,
        instance: status.pinned,
        problems: status.problems ?? [],
        foreignInstanceIds: status.foreignInstanceIds ?? [],
        hasSecretKey: status.hasSecretKey === true,
      };
    }
  } catch {
    // Reported below.
  }
  return { ok: false, error: "unexpected output" };
}

/** Reads the sync component's stored handles (`npx convex run --component <name> config:get`). */
export function convexComponentHandles(cwd: string, component: string): ComponentHandlesResult {
  return runInSyncComponent(cwd, component, "config:get", parseComponentHandles);
}

/** `config:get`'s output: `null` (no handles yet) or `{ "onChange": "function://…" | null }`. */
export function parseComponentHandles(stdout: string): ComponentHandlesResult {
  try {
    const value: unknown = JSON.parse(stdout.trim());
    if (value === null) return { ok: true, handles: null };
    const onChange = typeof value === "object" ? (value as { onChange?: unknown }).onChange : undefined;
    if (onChange === null || typeof onChange === "string") return { ok: true, handles: { onChange } };
  } catch {
    // Reported below.
  }
  return { ok: false, error: "unexpected output" };
}

/** Reads what the drift watch last found (`npx convex run --component <name> clerk/drift:status`: one row read, Clerk is not asked). */
export function convexDriftStatus(cwd: string, component: string): DriftStatusResult {
  return runInSyncComponent(cwd, component, "clerk/drift:status", parseDriftStatus);
}

/** The fields of `clerk/drift:status` the report reads besides `state` and `message` (each a value or null). */
const DRIFT_FIELDS = ["checkedAt", "lastWebhookAt", "users", "organizations", "memberships"];

/** `clerk/drift:status`'s output: `{ "state": …, "message": …, "checkedAt": …, … }`. */
export function parseDriftStatus(stdout: string): DriftStatusResult {
  try {
    const value: unknown = JSON.parse(stdout.trim());
    if (
      typeof value === "object" &&
      value !== null &&
      Object.hasOwn(DRIFT_STATES, String((value as { state?: unknown }).state)) &&
      typeof (value as { message?: unknown }).message === "string" &&
      DRIFT_FIELDS.every((field) => field in value)
    )
      return { ok: true, drift: value as Extract<DriftStatusResult, { ok: true }>["drift"] };
  } catch {
    // Reported below.
  }
  return { ok: false, error: "unexpected output" };
}

/** The sync component convex/convex.config.ts mounts (by its defineComponent name), or null. */
export function syncComponentOf(cwd: string): { name: string; dir: string } | null {
  try {
    const mounted = mountedComponents(join(cwd, "convex")).find((each) => each.importSpecifier === "convex-clerk-sync");
    return mounted === undefined ? null : { name: mounted.name, dir: relative(cwd, mounted.dir).split(sep).join("/") };
  } catch {
    // An unresolvable import (no npm install yet): the doctor still names the component Roster mounts.
    return { name: SYNC_COMPONENT, dir: "packages/clerk-sync/src/component" };
  }
}

export type DoctorDeps = {
  /** The project folder (where .env.local is). */
  cwd: string;
  convexEnvList: (cwd: string) => ConvexEnvResult;
  /** Reads the pinned Clerk instance (only when the environment could be read). */
  pinnedInstance: (cwd: string, component: string) => PinnedInstanceResult;
  /** Reads the sync component's stored handles (only when the environment could be read). */
  componentHandles: (cwd: string, component: string) => ComponentHandlesResult;
  /** Reads what the sync component's drift watch last found (only when the environment could be read). */
  driftStatus: (cwd: string, component: string) => DriftStatusResult;
  print: (text: string) => void;
};

/** Checks the setup, prints the report, and returns the exit code. */
export function runDoctor({
  cwd,
  convexEnvList: list,
  pinnedInstance,
  componentHandles,
  driftStatus,
  print,
}: DoctorDeps): number {
  const envLocal = readEnvFile(join(cwd, ".env.local"));
  const convexEnv = list(cwd);
  const mounted = syncComponentOf(cwd);
  const component: ComponentStatus =
    mounted === null
      ? { name: null }
      : { ...mounted, ...(convexEnv.ok ? { handles: componentHandles(cwd, mounted.name) } : {}) };
  const pinned = convexEnv.ok && mounted !== null ? pinnedInstance(cwd, mounted.name) : undefined;
  const drift = convexEnv.ok && mounted !== null ? driftStatus(cwd, mounted.name) : undefined;
  const diagnosis = diagnose(envLocal, convexEnv, pinned, component, drift);
  print(formatDiagnosis(diagnosis));
  return diagnosis.exitCode;
}

if (isMainModule(import.meta.url)) {
  process.exitCode = runDoctor({
    cwd: process.cwd(),
    convexEnvList,
    pinnedInstance: convexPinnedInstance,
    componentHandles: convexComponentHandles,
    driftStatus: convexDriftStatus,
    print: (text) => console.log(text),
  });
}
