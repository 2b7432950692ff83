import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { OTHER_SECRET, SECRET } from "../../test/convex";
import { parseComponentHandles, parseDriftStatus, parsePinnedInstance, runDoctor, syncComponentOf } from "../doctor";
import type { EnvValues } from "../lib/env";
import { diagnose, formatDiagnosis, readCliFailure, type ConvexEnvResult } from "./diagnose";

const FRONTEND_API = "happy-otter-12.clerk.accounts.dev";
const PUBLISHABLE = `pk_test_${btoa(`${FRONTEND_API}$`)}`;

const goodLocal: EnvValues = {
  CONVEX_DEPLOYMENT: "dev:happy-otter-123",
  VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud",
  VITE_CLERK_PUBLISHABLE_KEY: PUBLISHABLE,
};
const goodConvex: EnvValues = {
  CLERK_JWT_ISSUER_DOMAIN: `https://${FRONTEND_API}`,
  CLERK_WEBHOOK_SIGNING_SECRET: SECRET,
  CLERK_SECRET_KEY: "sk_test_abcdefABCDEF0123456789",
};

const convex = (values: EnvValues): ConvexEnvResult => ({ ok: true, values });

function without(env: EnvValues, name: string): EnvValues {
  const { [name]: _, ...rest } = env;
  return rest;
}

describe("the pinned Clerk instance", () => {
  test("is shown, whether pinned by CLERK_INSTANCE_ID or by the first event, or said to be not pinned yet", () => {
    const env = diagnose(goodLocal, convex({ ...goodConvex, CLERK_INSTANCE_ID: "ins_2env" }), {
      ok: true,
      instance: { instanceId: "ins_2env", source: "env", pinnedAt: null },
    });
    expect(env.notes).toContain(
      "Clerk instance: ins_2env (CLERK_INSTANCE_ID); webhooks from any other are kept as foreign, not applied.",
    );
    const none = diagnose(goodLocal, convex(goodConvex), { ok: true, instance: null });
    expect(none.notes.join("\n")).toMatch(/No Clerk instance is pinned yet/);
    const unreadable = diagnose(goodLocal, convex(goodConvex), parsePinnedInstance("Error: something"));
    expect(unreadable.notes.join("\n")).toMatch(/Could not check the pinned Clerk instance/);
    expect(unreadable.exitCode).toBe(0);
  });

  test("a pin that disagrees with CLERK_SECRET_KEY's instance or the JWT issuer is a problem, with its fix", () => {
    // What `npx convex run --component clerkSync webhooks/instance:check` prints (the check asked Clerk).
    const status = parsePinnedInstance(
      JSON.stringify({
        pinned: { instanceId: "ins_2madeup", source: "first_event", pinnedAt: 0 },
        hasSecretKey: true,
        check: { checkedAt: 1, keyInstanceId: "ins_2real", keyHosts: ["real-otter-1.clerk.accounts.dev"], error: null },
        foreignInstanceIds: ["ins_2real"],
        problems: [
          {
            what: "Webhooks are pinned to Clerk instance ins_2madeup (by the first verified event), but CLERK_SECRET_KEY belongs to ins_2real",
            fix: "npx convex run --component clerkSync webhooks/instance:repin",
          },
        ],
      }),
    );
    const diagnosis = diagnose(goodLocal, convex(goodConvex), status);
    expect(diagnosis.problems.map((problem) => problem.fix)).toContain(
      "npx convex run --component clerkSync webhooks/instance:repin",
    );
    expect(diagnosis.exitCode).toBe(1);
    expect(formatDiagnosis(diagnosis)).toContain("✗ Webhooks are pinned to Clerk instance ins_2madeup");
    // With a key, the foreign instances are not offered for confirmation: the pin follows the key.
    expect(diagnosis.notes.join("\n")).not.toContain("If one of them is yours");
  });

  test("without a key, the foreign instances seen are listed with the command that pins one", () => {
    const status = parsePinnedInstance(
      JSON.stringify({
        pinned: { instanceId: "ins_2madeup", source: "first_event", pinnedAt: 0 },
        hasSecretKey: false,
        check: null,
        foreignInstanceIds: ["ins_2real", "ins_2other"],
        problems: [],
      }),
    );
    const diagnosis = diagnose(goodLocal, convex(goodConvex), status);
    expect(diagnosis.exitCode).toBe(0);
    expect(diagnosis.notes).toContain(
      "Events from other Clerk instances are kept, not applied: ins_2real, ins_2other. If one of them is yours, pin it: " +
        `npx convex run --component clerkSync webhooks/instance:repin '{"instanceId": "ins_2real"}'   (or on the admin page)`,
    );
    const pending = diagnose(goodLocal, convex(goodConvex), {
      ok: true,
      instance: null,
      hasSecretKey: true,
      problems: [],
    });
    expect(pending.notes.join("\n")).toContain("the instance check pins CLERK_SECRET_KEY's instance");
  });

  test("a FAILED_EVENT_RETENTION_DAYS that is no positive number is a problem", () => {
    const diagnosis = diagnose(goodLocal, convex({ ...goodConvex, FAILED_EVENT_RETENTION_DAYS: "forever" }));
    expect(diagnosis.problems.map((p) => p.fix)).toContain("npx convex env set FAILED_EVENT_RETENTION_DAYS 90");
  });

  test("a CLERK_INSTANCE_ID that is no instance id is a problem", () => {
    const diagnosis = diagnose(goodLocal, convex({ ...goodConvex, CLERK_INSTANCE_ID: "pk_test_oops" }));
    expect(diagnosis.problems.map((p) => p.what).join("\n")).toMatch(/CLERK_INSTANCE_ID \(pk_test_oops\)/);
    expect(diagnosis.exitCode).toBe(1);
  });
});

describe("doctor", () => {
  test("a complete setup has no problems, and prints the webhook URL and the events", () => {
    const diagnosis = diagnose(goodLocal, { ok: true, values: goodConvex });
    expect(diagnosis.problems).toEqual([]);
    expect(diagnosis.exitCode).toBe(0);
    const report = formatDiagnosis(diagnosis);
    expect(report).toContain("✓ No problems found.");
    expect(report).toContain("Endpoint URL: https://happy-otter-123.convex.site/clerk-webhook");
    for (const type of ["user.created", "organizationMembership.deleted", "organization.updated"])
      expect(report).toContain(type);
    // Who may open Admin activity is said here (and in the README), not on the page.
    expect(report).toContain("Admin activity (/admin) is for Roster's operators");
    expect(report).toContain('{ "rosterAdmin": true }');
  });

  type Case = [
    label: string,
    local: EnvValues | null,
    convex: ConvexEnvResult,
    line: RegExp,
    fix: RegExp,
    exitCode: number,
  ];
  const cases: Case[] = [
    ["no .env.local", null, convex(goodConvex), /There is no \.env\.local/, /npm run setup:convex/, 1],
    [
      "no CONVEX_DEPLOYMENT",
      without(goodLocal, "CONVEX_DEPLOYMENT"),
      convex(goodConvex),
      /no CONVEX_DEPLOYMENT/,
      /npm run setup:convex/,
      1,
    ],
    [
      "no VITE_CONVEX_URL",
      without(goodLocal, "VITE_CONVEX_URL"),
      convex(goodConvex),
      /VITE_CONVEX_URL is not set/,
      /npm run setup:convex/,
      1,
    ],
    [
      "a VITE_CONVEX_URL that is not Convex's",
      { ...goodLocal, VITE_CONVEX_URL: "https://example.com" },
      convex(goodConvex),
      /not a Convex deployment URL/,
      /npm run setup:convex/,
      1,
    ],
    [
      "VITE_CONVEX_URL of another deployment",
      { ...goodLocal, VITE_CONVEX_URL: "https://other-cat-9.convex.cloud" },
      convex(goodConvex),
      /not the deployment CONVEX_DEPLOYMENT names \(happy-otter-123\)/,
      /npm run setup:convex/,
      1,
    ],
    [
      "no publishable key",
      without(goodLocal, "VITE_CLERK_PUBLISHABLE_KEY"),
      convex(goodConvex),
      /no VITE_CLERK_PUBLISHABLE_KEY/,
      /API keys into \.env\.local/,
      1,
    ],
    [
      "a publishable key that is not one",
      { ...goodLocal, VITE_CLERK_PUBLISHABLE_KEY: "pk_nope" },
      convex(goodConvex),
      /not a Clerk publishable key/,
      /copy it again/,
      1,
    ],
    [
      "a secret in a VITE_ variable",
      { ...goodLocal, VITE_CLERK_SECRET_KEY: "sk_live_abc" },
      convex(goodConvex),
      /VITE_CLERK_SECRET_KEY .* shipped to the browser/,
      /delete VITE_CLERK_SECRET_KEY/,
      1,
    ],
    [
      "no issuer domain",
      goodLocal,
      convex(without(goodConvex, "CLERK_JWT_ISSUER_DOMAIN")),
      /CLERK_JWT_ISSUER_DOMAIN is not set/,
      new RegExp(`npx convex env set CLERK_JWT_ISSUER_DOMAIN https://${FRONTEND_API}$`),
      1,
    ],
    [
      "an issuer that is not https",
      goodLocal,
      convex({ ...goodConvex, CLERK_JWT_ISSUER_DOMAIN: FRONTEND_API }),
      /is not an https:\/\/ URL/,
      /npx convex env set CLERK_JWT_ISSUER_DOMAIN https:\/\//,
      1,
    ],
    [
      "a publishable key and issuer of different instances",
      goodLocal,
      convex({ ...goodConvex, CLERK_JWT_ISSUER_DOMAIN: "https://sly-fox-3.clerk.accounts.dev" }),
      /belong to different Clerk instances/,
      new RegExp(`CLERK_JWT_ISSUER_DOMAIN https://${FRONTEND_API}`),
      1,
    ],
    [
      "no signing secret",
      goodLocal,
      convex(without(goodConvex, "CLERK_WEBHOOK_SIGNING_SECRET")),
      /CLERK_WEBHOOK_SIGNING_SECRET is not set/,
      /npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_/,
      1,
    ],
    [
      "a signing secret without whsec_",
      goodLocal,
      convex({ ...goodConvex, CLERK_WEBHOOK_SIGNING_SECRET: "abc123" }),
      /does not have the whsec_… form/,
      /npx convex env set CLERK_WEBHOOK_SIGNING_SECRET/,
      1,
    ],
    [
      "one bad secret of two while rotating",
      goodLocal,
      convex({ ...goodConvex, CLERK_WEBHOOK_SIGNING_SECRET: `${SECRET} whsec_short` }),
      /does not have the whsec_… form/,
      /CLERK_WEBHOOK_SIGNING_SECRET/,
      1,
    ],
    [
      "a secret key that is not one",
      goodLocal,
      convex({ ...goodConvex, CLERK_SECRET_KEY: "pk_test_nope" }),
      /CLERK_SECRET_KEY is not a Clerk secret key/,
      /npx convex env set CLERK_SECRET_KEY/,
      1,
    ],
    [
      "a live secret key with a test publishable key",
      goodLocal,
      convex({ ...goodConvex, CLERK_SECRET_KEY: "sk_live_abc123" }),
      /live key but VITE_CLERK_PUBLISHABLE_KEY is a test key/,
      /CLERK_SECRET_KEY sk_test_/,
      1,
    ],
    [
      "a CLERK_API_URL that is not a URL",
      goodLocal,
      convex({ ...goodConvex, CLERK_API_URL: "api.clerk" }),
      /CLERK_API_URL .* not an https/,
      /npx convex env remove CLERK_API_URL/,
      1,
    ],
    [
      "a retention that is not a number",
      goodLocal,
      convex({ ...goodConvex, WEBHOOK_LOG_RETENTION_DAYS: "a month" }),
      /WEBHOOK_LOG_RETENTION_DAYS \(a month\)/,
      /npx convex env set WEBHOOK_LOG_RETENTION_DAYS 30/,
      1,
    ],
    [
      "a reconcile interval that is not hours",
      goodLocal,
      convex({ ...goodConvex, CLERK_RECONCILE_INTERVAL_HOURS: "-3" }),
      /CLERK_RECONCILE_INTERVAL_HOURS \(-3\)/,
      /CLERK_RECONCILE_INTERVAL_HOURS 24/,
      1,
    ],
    [
      "a signing secret in .env.local only",
      { ...goodLocal, CLERK_WEBHOOK_SIGNING_SECRET: SECRET },
      convex(without(goodConvex, "CLERK_WEBHOOK_SIGNING_SECRET")),
      /in \.env\.local, but the backend reads it from the Convex deployment/,
      /npx convex env set CLERK_WEBHOOK_SIGNING_SECRET/,
      1,
    ],
    [
      "a secret key in .env.local only",
      { ...goodLocal, CLERK_SECRET_KEY: "sk_test_abc" },
      convex(without(goodConvex, "CLERK_SECRET_KEY")),
      /CLERK_SECRET_KEY is in \.env\.local, but the backend reads it from the Convex deployment/,
      /npx convex env set CLERK_SECRET_KEY/,
      1,
    ],
    [
      "a .env.local signing secret the endpoint refuses",
      { ...goodLocal, CLERK_WEBHOOK_SIGNING_SECRET: OTHER_SECRET },
      convex(goodConvex),
      /npm run webhook` signs events the endpoint refuses/,
      /npx convex env get CLERK_WEBHOOK_SIGNING_SECRET/,
      1,
    ],
    [
      "a Convex environment that cannot be read",
      goodLocal,
      { ok: false, reason: "other", error: "✖ Something unexpected" },
      /Could not read the Convex deployment's environment .*Something unexpected/,
      /npm run setup:convex/,
      2,
    ],
  ];

  test.each(cases)("%s: one line saying what and how to fix it", (_label, local, convexEnv, line, fix, exitCode) => {
    const diagnosis = diagnose(local, convexEnv);
    expect(diagnosis.exitCode).toBe(exitCode);
    expect(diagnosis.problems).toHaveLength(1);
    expect(diagnosis.problems[0]!.what).toMatch(line);
    expect(diagnosis.problems[0]!.fix).toMatch(fix);
    const printed = formatDiagnosis(diagnosis)
      .split("\n")
      .filter((l) => l.startsWith("✗"));
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(line);
    expect(printed[0]).toContain(`Fix: ${diagnosis.problems[0]!.fix}`);
  });

  test("optional features that are off are notes, not problems", () => {
    const diagnosis = diagnose(goodLocal, convex(without(goodConvex, "CLERK_SECRET_KEY")));
    expect(diagnosis.exitCode).toBe(0);
    expect(diagnosis.notes.join("\n")).toMatch(/CLERK_SECRET_KEY is not set: backfill, reconcile/);
    expect(diagnosis.notes.join("\n")).toMatch(/scheduled reconcile with Clerk is off/);
  });

  test("a local deployment: Clerk cannot reach it, so the report says how to get events there instead", () => {
    const local = {
      ...goodLocal,
      CONVEX_DEPLOYMENT: "local:local-ada-roster",
      VITE_CONVEX_URL: "http://127.0.0.1:3210",
    };
    const diagnosis = diagnose(local, convex(goodConvex));
    expect(diagnosis.exitCode).toBe(0);
    expect(diagnosis.notes.join("\n")).toMatch(
      /local deployment .*not reachable from the internet.*npm run webhook.*cloud dev deployment/,
    );
    expect(diagnose(goodLocal, convex(goodConvex)).notes.join("\n")).not.toMatch(/local deployment/);
  });

  test.each([
    [{ VITE_CONVEX_URL: "http://127.0.0.1:3210" }, "http://127.0.0.1:3211/clerk-webhook"],
    [
      { VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud", VITE_CONVEX_SITE_URL: "https://api.example.com" },
      "https://api.example.com/clerk-webhook",
    ],
  ])("the webhook URL of %j is %s", (local, url) => {
    expect(diagnose({ ...goodLocal, ...local }, convex(goodConvex)).webhookUrl).toBe(url);
  });
});

// What `npx convex env list` really prints (Convex CLI 1.49, CI=1) in each case.
const NETWORK_DOWN = "✖ TypeError: fetch failed\n";
const NOT_LOGGED_IN =
  "✖ Error fetching GET  https://api.convex.dev/api/deployment/happy-otter-123/team_and_project 401 Unauthorized: MissingAccessToken: An access token is required for this command.\nAuthenticate with `npx convex dev`\n";
const NO_DEPLOYMENT = "✖ No CONVEX_DEPLOYMENT set, run `npx convex dev` to configure a Convex project\n";

describe("why the Convex environment could not be read", () => {
  type FailureCase = [
    label: string,
    cli: Parameters<typeof readCliFailure>[0],
    reason: string,
    line: RegExp,
    fix: RegExp,
  ];
  const failures: FailureCase[] = [
    [
      "no network (DNS or connection refused)",
      { status: 1, stdout: "", stderr: NETWORK_DOWN },
      "network",
      /Could not reach Convex \(network\): .*fetch failed/,
      /internet connection/,
    ],
    [
      "a connection error the CLI names by code",
      { status: 1, stdout: "", stderr: "✖ Error: getaddrinfo EAI_AGAIN api.convex.dev\n" },
      "network",
      /Could not reach Convex \(network\)/,
      /internet connection/,
    ],
    [
      "a CLI that never answers",
      {
        status: null,
        stdout: "",
        stderr: "",
        spawnError: Object.assign(new Error("spawnSync convex ETIMEDOUT"), { code: "ETIMEDOUT" }),
      },
      "network",
      /Could not reach Convex \(network\): .*did not answer within 120 s/,
      /internet connection/,
    ],
    [
      "not logged in (401)",
      { status: 1, stdout: "", stderr: NOT_LOGGED_IN },
      "login",
      /You are not logged in to Convex.*401 Unauthorized/,
      /^npx convex login/,
    ],
    [
      "a command that needs a personal login",
      {
        status: 1,
        stdout: "",
        stderr:
          "✖ This command requires being logged in with a personal access token. Run npx convex login and try again.\n",
      },
      "login",
      /You are not logged in to Convex/,
      /^npx convex login/,
    ],
    [
      "logged in as someone without access to the deployment (403)",
      {
        status: 1,
        stdout: "",
        stderr: "✖ You do not have permission to perform this operation on deployment happy-otter-123.\n",
      },
      "login",
      /not allowed to read this deployment/,
      /^npx convex login/,
    ],
    [
      "no deployment chosen",
      { status: 1, stdout: "", stderr: NO_DEPLOYMENT },
      "deployment",
      /No Convex deployment is chosen/,
      /^npm run setup:convex/,
    ],
    [
      "a deployment that does not exist",
      { status: 1, stdout: "", stderr: "✖ Could not find deployment with name anonymous-roster!\n" },
      "deployment",
      /does not know the deployment .*anonymous-roster/,
      /^npm run setup:convex/,
    ],
    [
      "anything else",
      { status: 3, stdout: "", stderr: "    at Object.<anonymous> (cli.js:1:1)\n✖ Something unexpected\n" },
      "other",
      /Could not read the Convex deployment's environment \(npx convex env list: ✖ Something unexpected\)/,
      /npm run setup:convex/,
    ],
  ];

  test.each(failures)("%s", (_label, cli, reason, line, fix) => {
    const failure = readCliFailure(cli);
    expect(failure).toMatchObject({ ok: false, reason });
    const diagnosis = diagnose(goodLocal, failure);
    expect(diagnosis.exitCode).toBe(2);
    expect(diagnosis.problems).toHaveLength(1);
    expect(diagnosis.problems[0]!.what).toMatch(line);
    expect(diagnosis.problems[0]!.fix).toMatch(fix);
  });

  test("a network failure is never reported as a missing login, nor the reverse", () => {
    const network = diagnose(goodLocal, readCliFailure({ status: 1, stdout: "", stderr: NETWORK_DOWN }));
    const login = diagnose(goodLocal, readCliFailure({ status: 1, stdout: "", stderr: NOT_LOGGED_IN }));
    expect(formatDiagnosis(network)).not.toMatch(/log in|login/i);
    expect(formatDiagnosis(login)).not.toMatch(/network|internet/i);
  });
});

describe("the sync engine's component", () => {
  const mounted = { name: "clerkSync", dir: "packages/clerk-sync/src/component" };

  test("is named, with its stored change hook", () => {
    const diagnosis = diagnose(goodLocal, convex(goodConvex), undefined, {
      ...mounted,
      handles: parseComponentHandles('{ "onChange": "function://;clerk:onChange" }\n'),
    });
    expect(diagnosis.notes).toContain(
      "Sync engine: the clerkSync component (packages/clerk-sync/src/component); Roster's change hook is stored.",
    );
    expect(diagnosis.exitCode).toBe(0);
  });

  test("says when its config has no handles yet: what fails meanwhile, and how to store them", () => {
    const diagnosis = diagnose(goodLocal, convex(goodConvex), undefined, {
      ...mounted,
      handles: parseComponentHandles("null\n"),
    });
    const note = diagnosis.notes.find((line) => line.startsWith("Sync engine:"));
    expect(note).toMatch(
      /^Sync engine: the clerkSync component \(packages\/clerk-sync\/src\/component\) has no handles from Roster yet/,
    );
    expect(note).toContain("CLERK_SYNC_NOT_CONFIGURED");
    expect(note).toContain("npm run webhook -- user.updated");
    // Not wrong on a new deployment: the first webhook stores them.
    expect(diagnosis.exitCode).toBe(0);
  });

  test("a config that says no hook is a problem for Roster, whose members list follows the hook", () => {
    const diagnosis = diagnose(goodLocal, convex(goodConvex), undefined, {
      ...mounted,
      handles: parseComponentHandles('{"onChange":null}'),
    });
    expect(diagnosis.problems.map((problem) => problem.what)).toContain(
      "The clerkSync component holds no change hook (onChange: null), so Roster's members list and activity feed no longer follow Clerk.",
    );
    expect(diagnosis.exitCode).toBe(1);
  });

  test("a config it could not read, or no component mounted at all, is said so", () => {
    const unread = diagnose(goodLocal, convex(goodConvex), undefined, {
      ...mounted,
      handles: parseComponentHandles("Error: no such function"),
    });
    expect(unread.notes.join("\n")).toContain(
      "could not read its config (npx convex run --component clerkSync config:get: unexpected output)",
    );
    const none = diagnose(goodLocal, convex(goodConvex), undefined, { name: null });
    expect(none.problems[0]?.what).toMatch(/mounts no clerkSync component/);
    expect(none.exitCode).toBe(1);
  });

  test("is found where convex/convex.config.ts mounts it", () => {
    const projectDir = fileURLToPath(new URL("../..", import.meta.url));
    expect(syncComponentOf(projectDir)).toEqual(mounted);
  });
});

describe("the drift watch", () => {
  const mounted = { name: "clerkSync", dir: "packages/clerk-sync/src/component" };
  const CHECKED = Date.UTC(2026, 11, 7, 10, 0, 0);
  const quiet = {
    message: "",
    checkedAt: null,
    lastSuccessAt: null,
    lastWebhookAt: null,
    users: null,
    organizations: null,
    memberships: null,
  };
  /** `clerk/drift:status` as `npx convex run` prints it. */
  const status = (fields: object) => parseDriftStatus(`${JSON.stringify({ ...quiet, ...fields }, null, 2)}\n`);
  const doctor = (fields: object) => diagnose(goodLocal, convex(goodConvex), undefined, mounted, status(fields));

  test.each([
    ["off", /^Drift watch: off \(CLERK_SECRET_KEY is not set\).*npx convex env set CLERK_SECRET_KEY/],
    ["unchecked", /^Drift watch: not checked yet.*npx convex run --component clerkSync clerk\/drift:check$/],
    ["in_step", /^Drift watch: in step with Clerk \(checked 2026-12-07T10:00:00.000Z\)\.$/],
  ])("%s is a note, not a problem", (state, says) => {
    const diagnosis = doctor({ state, checkedAt: state === "in_step" ? CHECKED : null });
    expect(diagnosis.notes.filter((note) => note.startsWith("Drift watch:"))).toEqual([expect.stringMatching(says)]);
    expect(diagnosis.problems).toEqual([]);
    expect(diagnosis.exitCode).toBe(0);
  });

  test("webhooks silent is a problem: what Clerk changed, and the route, the secret and this deployment's URL to check", () => {
    const diagnosis = doctor({
      state: "webhooks_silent",
      checkedAt: CHECKED,
      lastWebhookAt: CHECKED - 3 * 3_600_000,
      users: { clerkId: "user_ada", updatedAt: CHECKED - 3_600_000, inStep: false },
      organizations: { clerk: 2, local: 1, moved: { after: CHECKED - 2 * 3_600_000, seenAt: CHECKED - 3_600_000 } },
    });
    expect(diagnosis.exitCode).toBe(1);
    const [problem] = diagnosis.problems;
    expect(problem?.what).toBe(
      "Drift watch: webhooks silent (checked 2026-12-07T10:00:00.000Z). Clerk changed, and no webhook has arrived since: " +
        "Clerk changed user user_ada at 2026-12-07T09:00:00.000Z, and that change is missing here. " +
        "Clerk has 2 organizations, this deployment 1. The last webhook arrived at 2026-12-07T07:00:00.000Z.",
    );
    expect(problem?.fix).toContain("Is the webhook route mounted? convex/http.ts must call clerk.registerRoutes");
    expect(problem?.fix).toContain("Is the signing secret current?");
    expect(problem?.fix).toContain("npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…");
    // The deployment's own endpoint URL, from .env.local.
    expect(problem?.fix).toContain(
      "Is the endpoint's URL this deployment's? In Clerk's dashboard (Configure → Webhooks) it must be: https://happy-otter-123.convex.site/clerk-webhook",
    );
    expect(problem?.fix).toMatch(/Then: npx convex run --component clerkSync clerk\/sync:reconcile$/);
    expect(formatDiagnosis(diagnosis)).toContain("✗ Drift watch: webhooks silent");
  });

  test("could not check is a problem with Clerk's answer, what to check and how to check again", () => {
    const diagnosis = doctor({
      state: "could_not_check",
      checkedAt: CHECKED,
      message: "Could not ask Clerk: Clerk answered 401",
    });
    expect(diagnosis.problems).toEqual([
      {
        what: "Drift watch: could not check (checked 2026-12-07T10:00:00.000Z). Could not ask Clerk: Clerk answered 401",
        fix: expect.stringMatching(
          /^Is CLERK_SECRET_KEY a current secret key .* npx convex env set CLERK_SECRET_KEY sk_….*status\.clerk\.com.*Then check again: npx convex run --component clerkSync clerk\/drift:check$/,
        ),
      },
    ]);
  });

  test("behind is a problem: webhooks arrive, retry the failed ones or reconcile", () => {
    const diagnosis = doctor({
      state: "behind",
      checkedAt: CHECKED,
      lastWebhookAt: CHECKED - 60_000,
      memberships: { clerk: 9, local: 7, moved: null },
    });
    expect(diagnosis.problems).toEqual([
      {
        what:
          "Drift watch: behind Clerk (checked 2026-12-07T10:00:00.000Z). Webhooks arrive, but some of Clerk's changes are missing: " +
          "Clerk has 9 memberships, this deployment 7. The last webhook arrived at 2026-12-07T09:59:00.000Z.",
        fix: "npx convex run --component clerkSync webhooks/log:retryFailed   (or npx convex run --component clerkSync clerk/sync:reconcile)",
      },
    ]);
  });

  test("a status it could not read is a note; an unknown state or other output is not read", () => {
    expect(parseDriftStatus("Error: no such function")).toEqual({ ok: false, error: "unexpected output" });
    expect(parseDriftStatus('{"state":"sleeping","message":""}')).toEqual({ ok: false, error: "unexpected output" });
    expect(parseDriftStatus('{"state":"off"}')).toEqual({ ok: false, error: "unexpected output" });
    expect(parseDriftStatus('{"state":"off","message":"","checkedAt":null}')).toEqual({
      ok: false,
      error: "unexpected output",
    });
    const diagnosis = diagnose(goodLocal, convex(goodConvex), undefined, mounted, parseDriftStatus("null"));
    expect(diagnosis.notes).toContain(
      "Could not read the drift watch (npx convex run --component clerkSync clerk/drift:status: unexpected output).",
    );
    expect(diagnosis.exitCode).toBe(0);
  });
});

describe("npm run doctor", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  test("reads .env.local, prints the report and returns the exit code", () => {
    dir = mkdtempSync(join(tmpdir(), "roster-doctor-"));
    // Roster's mount of the component, resolved through this project's node_modules.
    symlinkSync(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
    mkdirSync(join(dir, "convex"));
    writeFileSync(
      join(dir, "convex", "convex.config.ts"),
      'import { defineApp } from "convex/server";\nimport clerkSync from "convex-clerk-sync/convex.config";\nconst app = defineApp();\napp.use(clerkSync);\nexport default app;\n',
    );
    writeFileSync(
      join(dir, ".env.local"),
      [
        "# written by convex dev",
        "CONVEX_DEPLOYMENT=dev:happy-otter-123 # team: ada, project: roster",
        "VITE_CONVEX_URL=https://happy-otter-123.convex.cloud",
        `VITE_CLERK_PUBLISHABLE_KEY="${PUBLISHABLE}"`,
      ].join("\n"),
    );
    let printed = "";
    const print = (text: string) => (printed += text);
    const asked: string[] = [];
    const pinnedInstance = (_cwd: string, component: string) => {
      asked.push(`${component} webhooks/instance:check`);
      return parsePinnedInstance('{ "instanceId": "ins_2abc", "source": "first_event", "pinnedAt": 0 }\n');
    };
    const componentHandles = (_cwd: string, component: string) => {
      asked.push(`${component} config:get`);
      return parseComponentHandles("null");
    };
    const driftStatus = (_cwd: string, component: string) => {
      asked.push(`${component} clerk/drift:status`);
      return parseDriftStatus(
        '{ "state": "unchecked", "message": "", "checkedAt": null, "lastSuccessAt": null, "lastWebhookAt": null, "users": null, "organizations": null, "memberships": null }',
      );
    };
    expect(
      runDoctor({
        cwd: dir,
        convexEnvList: () => convex(goodConvex),
        pinnedInstance,
        componentHandles,
        driftStatus,
        print,
      }),
    ).toBe(0);
    expect(asked.sort()).toEqual([
      "clerkSync clerk/drift:status",
      "clerkSync config:get",
      "clerkSync webhooks/instance:check",
    ]);
    expect(printed).toContain("· Drift watch: not checked yet");
    expect(printed).toContain("· Sync engine: the clerkSync component (");
    expect(printed).toContain("has no handles from Roster yet");
    expect(printed).toContain("https://happy-otter-123.convex.site/clerk-webhook");
    expect(printed).toContain(
      "Clerk instance: ins_2abc (pinned by the first verified webhook on 1970-01-01T00:00:00.000Z)",
    );

    printed = "";
    let notAsked = true;
    const notExpected = () => {
      notAsked = false;
      return parsePinnedInstance("null");
    };
    const noHandles = () => {
      notAsked = false;
      return parseComponentHandles("null");
    };
    const noDrift = () => {
      notAsked = false;
      return parseDriftStatus("null");
    };
    const failure = readCliFailure({ status: 1, stdout: "", stderr: NOT_LOGGED_IN });
    expect(
      runDoctor({
        cwd: dir,
        convexEnvList: () => failure,
        pinnedInstance: notExpected,
        componentHandles: noHandles,
        driftStatus: noDrift,
        print,
      }),
    ).toBe(2);
    expect(notAsked).toBe(true);
    expect(printed).toMatch(/✗ You are not logged in to Convex/);
  });
});
