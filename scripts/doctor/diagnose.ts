/**
 * `npm run doctor`'s checks, as a pure function of `.env.local` and the Convex deployment's
 * environment (`npx convex env list`): every problem is one line saying what is wrong and the
 * command that fixes it.
 */
import { clerkFrontendApiOf } from "../../src/config";
import {
  COULD_NOT_CHECK_CHECKS,
  driftFindings,
  lastWebhookSaid,
  silentChecks,
  type DriftCheckItem,
  type DriftStatus,
} from "../../src/features/admin/lib/drift";
import type { EnvValues } from "../lib/env";
import { deploymentNameOf, HANDLED_EVENT_TYPES, siteOriginOf, webhookUrlOf } from "../lib/deployment";

export type Problem = { what: string; fix: string };

/**
 * Why `npx convex env list` failed: `network` (Convex could not be reached), `login` (not logged
 * in, or logged in as someone without access), `deployment` (none chosen, or one Convex does not
 * know), `other` (anything else; `error` is the CLI's last line).
 */
export type CliFailureReason = "network" | "login" | "deployment" | "other";

export type ConvexEnvResult = { ok: true; values: EnvValues } | { ok: false; reason: CliFailureReason; error: string };

/** What the Convex CLI left behind: its exit status and output, or why it could not run. */
export type CliRun = {
  status: number | null;
  stdout: string;
  stderr: string;
  spawnError?: (Error & { code?: string }) | undefined;
};

/** How long `npm run doctor` waits for the Convex CLI. */
export const CLI_TIMEOUT_MS = 120_000;

// Checked in this order: a 401 or 403 is an answer from Convex, so it is never a network failure.
const LOGIN_PATTERNS = [/\b401 Unauthorized\b/, /requires being logged in/i, /not logged in/i];
const FORBIDDEN = /\b403 Forbidden\b|You do not have permission/;
const DEPLOYMENT_PATTERNS = [/No CONVEX_DEPLOYMENT set/, /Could not find deployment/i, /Local backend isn't running/];
const NETWORK =
  /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|getaddrinfo|network/i;

/** The line of the CLI's output that says what went wrong (stack frames and log hints skipped). */
function lastSaid(text: string): string | null {
  const said = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("at ") && !/complete log of this run/.test(line));
  return said.at(-1) ?? null;
}

/** The first line matching `pattern`, trimmed. */
function lineMatching(text: string, pattern: RegExp): string | null {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => pattern.test(line)) ?? null
  );
}

/** Reads why `npx convex env list` failed from its output (see CliFailureReason). */
export function readCliFailure(run: CliRun): Extract<ConvexEnvResult, { ok: false }> {
  if (run.spawnError) {
    return run.spawnError.code === "ETIMEDOUT"
      ? { ok: false, reason: "network", error: `npx convex env list did not answer within ${CLI_TIMEOUT_MS / 1000} s` }
      : { ok: false, reason: "other", error: run.spawnError.message };
  }
  const output = `${run.stderr}\n${run.stdout}`;
  const fallback = lastSaid(output) ?? `exited with ${run.status}`;
  const login = LOGIN_PATTERNS.find((pattern) => pattern.test(output));
  if (login) return { ok: false, reason: "login", error: lineMatching(output, login) ?? fallback };
  if (FORBIDDEN.test(output)) return { ok: false, reason: "login", error: lineMatching(output, FORBIDDEN) ?? fallback };
  const deployment = DEPLOYMENT_PATTERNS.find((pattern) => pattern.test(output));
  if (deployment) return { ok: false, reason: "deployment", error: lineMatching(output, deployment) ?? fallback };
  if (NETWORK.test(output)) return { ok: false, reason: "network", error: lineMatching(output, NETWORK) ?? fallback };
  return { ok: false, reason: "other", error: fallback };
}

/** The Clerk instance the deployment accepts webhooks from (the component's `webhooks/instance:check`'s `pinned`). */
export type PinnedInstance = {
  instanceId: string;
  source: "env" | "first_event" | "secret_key" | "operator";
  pinnedAt: number | null;
};
/**
 * What `npx convex run --component clerkSync webhooks/instance:check` says: the pin, and (from the instance check, which
 * asks Clerk which instance CLERK_SECRET_KEY belongs to) what disagrees, each with its fix, and the
 * instances foreign events came from.
 */
export type PinnedInstanceResult =
  | {
      ok: true;
      instance: PinnedInstance | null;
      problems?: Problem[];
      foreignInstanceIds?: string[];
      hasSecretKey?: boolean;
    }
  | { ok: false; error: string };

/** What `npx convex run --component clerkSync config:get` says: the app's stored handles, or null before any. */
export type ComponentHandlesResult =
  { ok: true; handles: { onChange: string | null } | null } | { ok: false; error: string };

/** What `npx convex run --component clerkSync clerk/drift:status` says: the drift watch's last finding. */
export type DriftStatusResult = { ok: true; drift: DriftStatus } | { ok: false; error: string };

/** The sync engine's component as the doctor saw it: its name in the app, and its stored handles (when read). */
export type ComponentStatus = {
  /** `components.<name>`, from convex/convex.config.ts (null: the app mounts no component). */
  name: string | null;
  /** Where its source is, relative to the project. */
  dir?: string;
  handles?: ComponentHandlesResult;
};

export type Diagnosis = {
  problems: Problem[];
  /** Things worth knowing that are not wrong (optional features that are off). */
  notes: string[];
  /** The URL to paste into Clerk's dashboard, when `.env.local` says where the deployment is. */
  webhookUrl: string | null;
  /** The events to subscribe the endpoint to. */
  events: readonly string[];
  /** 0: all good. 1: something is misconfigured. 2: the Convex environment could not be read. */
  exitCode: 0 | 1 | 2;
};

const SVIX_SECRET = /^whsec_[A-Za-z0-9+/]{24,}={0,2}$/;
const CLERK_SECRET_KEY = /^sk_(test|live)_[A-Za-z0-9]+$/;
const DASHBOARD = "https://dashboard.clerk.com";

function hostOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? parsed.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

function checkEnvLocal(env: EnvValues, problems: Problem[]): void {
  if (!env.CONVEX_DEPLOYMENT) {
    problems.push({
      what: ".env.local has no CONVEX_DEPLOYMENT, so no Convex deployment is chosen.",
      fix: "npm run setup:convex   (logs in, creates a dev deployment and writes it to .env.local)",
    });
  }
  const site = siteOriginOf(env);
  if ("error" in site) {
    problems.push({ what: site.error, fix: "npm run setup:convex   (writes VITE_CONVEX_URL to .env.local)" });
  } else {
    const name = deploymentNameOf(env);
    const cloudHost = env.VITE_CONVEX_URL ? hostOf(env.VITE_CONVEX_URL) : null;
    if (name && cloudHost?.endsWith(".convex.cloud") && cloudHost !== `${name}.convex.cloud`) {
      problems.push({
        what: `VITE_CONVEX_URL (${env.VITE_CONVEX_URL}) is not the deployment CONVEX_DEPLOYMENT names (${name}).`,
        fix: "npm run setup:convex   (rewrites VITE_CONVEX_URL for the chosen deployment)",
      });
    }
  }

  const publishable = env.VITE_CLERK_PUBLISHABLE_KEY?.trim() ?? "";
  if (publishable === "") {
    problems.push({
      what: ".env.local has no VITE_CLERK_PUBLISHABLE_KEY, so the app cannot sign anyone in.",
      fix: `copy the publishable key from ${DASHBOARD} → Configure → API keys into .env.local: VITE_CLERK_PUBLISHABLE_KEY=pk_test_…`,
    });
  } else if (clerkFrontendApiOf(publishable) === null) {
    problems.push({
      what: "VITE_CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (pk_test_… or pk_live_…).",
      fix: `copy it again from ${DASHBOARD} → Configure → API keys into .env.local`,
    });
  }

  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("VITE_") && /^(sk_(test|live)_|whsec_)/.test(value.trim())) {
      problems.push({
        what: `${name} in .env.local holds a secret, and every VITE_ variable is shipped to the browser.`,
        fix: `delete ${name} from .env.local, then roll that key in ${DASHBOARD} (it may have been exposed)`,
      });
    }
  }
}

/** Why a variable the backend needs is missing on Convex: not set at all, or set in .env.local only. */
function missingOnConvex(name: string, local: EnvValues | null, consequence: string): string {
  return local?.[name]
    ? `${name} is in .env.local, but the backend reads it from the Convex deployment, where it is not set (${consequence}).`
    : `${name} is not set on the Convex deployment, so ${consequence}.`;
}

function checkConvexEnv(convex: EnvValues, local: EnvValues | null, problems: Problem[], notes: string[]): void {
  const publishable = local?.VITE_CLERK_PUBLISHABLE_KEY?.trim() ?? "";
  const frontendApi = publishable ? clerkFrontendApiOf(publishable) : null;
  const issuerExample = frontendApi ? `https://${frontendApi}` : "https://<your-app>.clerk.accounts.dev";

  const issuer = convex.CLERK_JWT_ISSUER_DOMAIN?.trim() ?? "";
  if (issuer === "") {
    problems.push({
      what: missingOnConvex("CLERK_JWT_ISSUER_DOMAIN", local, "Convex cannot check sign-in tokens"),
      fix: `npx convex env set CLERK_JWT_ISSUER_DOMAIN ${issuerExample}`,
    });
  } else if (hostOf(issuer) === null) {
    problems.push({
      what: `CLERK_JWT_ISSUER_DOMAIN (${issuer}) is not an https:// URL.`,
      fix: `npx convex env set CLERK_JWT_ISSUER_DOMAIN ${issuerExample}`,
    });
  } else if (frontendApi && hostOf(issuer) !== frontendApi.toLowerCase()) {
    problems.push({
      what: `The Clerk publishable key (instance ${frontendApi}) and CLERK_JWT_ISSUER_DOMAIN (${issuer}) belong to different Clerk instances, so every sign-in is refused.`,
      fix: `npx convex env set CLERK_JWT_ISSUER_DOMAIN https://${frontendApi}   (or copy the publishable key of ${hostOf(issuer)})`,
    });
  }

  const signing = (convex.CLERK_WEBHOOK_SIGNING_SECRET ?? "").split(/\s+/).filter((s) => s !== "");
  const setSecret =
    "npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…   (Clerk dashboard → Webhooks → your endpoint → Signing Secret)";
  if (signing.length === 0) {
    problems.push({
      what: missingOnConvex("CLERK_WEBHOOK_SIGNING_SECRET", local, "every webhook is refused"),
      fix: setSecret,
    });
  } else if (signing.some((secret) => !SVIX_SECRET.test(secret))) {
    problems.push({
      what: "CLERK_WEBHOOK_SIGNING_SECRET does not have the whsec_… form of a Svix signing secret (several are separated by spaces).",
      fix: setSecret,
    });
  }

  const secretKey = convex.CLERK_SECRET_KEY?.trim() ?? "";
  if (secretKey === "" && local?.CLERK_SECRET_KEY) {
    problems.push({
      what: missingOnConvex("CLERK_SECRET_KEY", local, "backfill, reconcile and fetching missing users are off"),
      fix: "npx convex env set CLERK_SECRET_KEY sk_…   (the value in .env.local; then delete it there)",
    });
  } else if (secretKey === "") {
    notes.push(
      "CLERK_SECRET_KEY is not set: backfill, reconcile and fetching missing users are off. Turn them on with `npx convex env set CLERK_SECRET_KEY sk_…`.",
    );
  } else if (!CLERK_SECRET_KEY.test(secretKey)) {
    problems.push({
      what: "CLERK_SECRET_KEY is not a Clerk secret key (sk_test_… or sk_live_…).",
      fix: `npx convex env set CLERK_SECRET_KEY sk_…   (${DASHBOARD} → Configure → API keys → Secret keys)`,
    });
  } else if (frontendApi !== null && secretKey.slice(3, 7) !== publishable.slice(3, 7)) {
    problems.push({
      what: `CLERK_SECRET_KEY is a ${secretKey.slice(3, 7)} key but VITE_CLERK_PUBLISHABLE_KEY is a ${publishable.slice(3, 7)} key: they belong to different Clerk instances.`,
      fix: `npx convex env set CLERK_SECRET_KEY sk_${publishable.slice(3, 7)}_…   (the secret key next to the publishable key in ${DASHBOARD} → API keys)`,
    });
  }

  const apiUrl = convex.CLERK_API_URL?.trim();
  if (apiUrl && hostOf(apiUrl) === null) {
    problems.push({
      what: `CLERK_API_URL (${apiUrl}) is not an https:// URL.`,
      fix: "npx convex env remove CLERK_API_URL   (the default is https://api.clerk.com)",
    });
  }

  const retention = convex.WEBHOOK_LOG_RETENTION_DAYS?.trim();
  if (retention && !(Number(retention) > 0)) {
    problems.push({
      what: `WEBHOOK_LOG_RETENTION_DAYS (${retention}) is not a positive number of days.`,
      fix: "npx convex env set WEBHOOK_LOG_RETENTION_DAYS 30",
    });
  }
  const failedRetention = convex.FAILED_EVENT_RETENTION_DAYS?.trim();
  if (failedRetention && !(Number(failedRetention) > 0)) {
    problems.push({
      what: `FAILED_EVENT_RETENTION_DAYS (${failedRetention}) is not a positive number of days.`,
      fix: "npx convex env set FAILED_EVENT_RETENTION_DAYS 90",
    });
  }
  const interval = convex.CLERK_RECONCILE_INTERVAL_HOURS?.trim();
  if (interval && !(Number(interval) >= 0)) {
    problems.push({
      what: `CLERK_RECONCILE_INTERVAL_HOURS (${interval}) is not a number of hours.`,
      fix: "npx convex env set CLERK_RECONCILE_INTERVAL_HOURS 24   (or `npx convex env remove CLERK_RECONCILE_INTERVAL_HOURS` to turn it off)",
    });
  }

  // The sender signs with the .env.local secret when there is one: it must be one the endpoint accepts.
  const localSecret = local?.CLERK_WEBHOOK_SIGNING_SECRET?.trim();
  if (localSecret && signing.length > 0 && !signing.includes(localSecret.split(/\s+/)[0]!)) {
    problems.push({
      what: "CLERK_WEBHOOK_SIGNING_SECRET in .env.local differs from the deployment's, so `npm run webhook` signs events the endpoint refuses (401).",
      fix: "copy the deployment's value into .env.local:  npx convex env get CLERK_WEBHOOK_SIGNING_SECRET",
    });
  }
}

/** The one line for a Convex environment that could not be read, by why. */
function cliProblem({ reason, error }: Extract<ConvexEnvResult, { ok: false }>): Problem {
  switch (reason) {
    case "network":
      return {
        what: `Could not reach Convex (network): ${error}. Nothing is known about the deployment's environment yet.`,
        fix: "check the internet connection (and HTTPS_PROXY, if you use a proxy), then npm run doctor again",
      };
    case "login":
      return /403|permission/i.test(error)
        ? {
            what: `The Convex account you are logged in with is not allowed to read this deployment's environment (${error}).`,
            fix: "npx convex login   (as a member of the deployment's team), or npm run setup:convex to choose one of yours",
          }
        : {
            what: `You are not logged in to Convex, so the deployment's environment cannot be read (${error}).`,
            fix: "npx convex login   (or npm run setup:convex, which logs in and chooses the deployment), then npm run doctor again",
          };
    case "deployment":
      return /Could not find deployment/i.test(error)
        ? {
            what: `Convex does not know the deployment .env.local names (${error}).`,
            fix: "npm run setup:convex   (choose or create a deployment; it rewrites CONVEX_DEPLOYMENT), then npm run doctor again",
          }
        : {
            what: `No Convex deployment is chosen (${error}).`,
            fix: "npm run setup:convex   (logs in and creates or chooses a deployment), then npm run doctor again",
          };
    case "other":
      return {
        what: `Could not read the Convex deployment's environment (npx convex env list: ${error}).`,
        fix: "npm run setup:convex   (log in and choose the deployment), then npm run doctor again",
      };
  }
}

/** Says which Clerk instance the deployment is pinned to (a note), or what is wrong with CLERK_INSTANCE_ID. */
function checkInstance(
  convex: EnvValues,
  pinned: PinnedInstanceResult | undefined,
  problems: Problem[],
  notes: string[],
) {
  const configured = convex.CLERK_INSTANCE_ID?.trim() ?? "";
  if (configured !== "" && !/^ins_[A-Za-z0-9]+$/.test(configured)) {
    problems.push({
      what: `CLERK_INSTANCE_ID (${configured}) is not a Clerk instance id (ins_…), so every webhook is refused as coming from another instance.`,
      fix: "npx convex env remove CLERK_INSTANCE_ID   (the first verified webhook then pins the instance), or set the ins_… id from Clerk's dashboard",
    });
    return;
  }
  if (pinned === undefined) return;
  if (!pinned.ok) {
    notes.push(
      `Could not check the pinned Clerk instance (npx convex run --component ${SYNC_COMPONENT} webhooks/instance:check: ${pinned.error}).`,
    );
    return;
  }
  problems.push(...(pinned.problems ?? []));
  const instance = pinned.instance;
  if (instance === null) {
    notes.push(
      pinned.hasSecretKey
        ? "No Clerk instance is pinned yet: the instance check pins CLERK_SECRET_KEY's instance once it can ask Clerk."
        : "No Clerk instance is pinned yet: the first verified webhook pins its instance_id (or set `npx convex env set CLERK_INSTANCE_ID ins_…`, or CLERK_SECRET_KEY).",
    );
  } else {
    const when = instance.pinnedAt === null ? "" : ` on ${new Date(instance.pinnedAt).toISOString()}`;
    notes.push(
      `Clerk instance: ${instance.instanceId} (${PIN_SOURCES[instance.source]}${when}); webhooks from any other are kept as foreign, not applied.`,
    );
  }
  const foreign = pinned.foreignInstanceIds ?? [];
  if (foreign.length > 0 && !pinned.hasSecretKey) {
    notes.push(
      `Events from other Clerk instances are kept, not applied: ${foreign.join(", ")}. If one of them is yours, pin it: ` +
        `npx convex run --component clerkSync webhooks/instance:repin '{"instanceId": "${foreign[0]}"}'   (or on the admin page)`,
    );
  }
}

const PIN_SOURCES: Record<PinnedInstance["source"], string> = {
  env: "CLERK_INSTANCE_ID",
  first_event: "pinned by the first verified webhook",
  secret_key: "CLERK_SECRET_KEY's instance, as Clerk says",
  operator: "confirmed by an operator",
};

/** The name the sync engine's component has in Roster (convex/convex.config.ts mounts it so). */
export const SYNC_COMPONENT = "clerkSync";

/**
 * Names the sync engine's component and says what its config holds: the app's change hook is stored
 * by the first call through the ClerkSync client (every webhook is one); until then the component's
 * own work fails with CLERK_SYNC_NOT_CONFIGURED, kept and resumable, never skipping the hook.
 */
function checkComponent(component: ComponentStatus, problems: Problem[], notes: string[]): void {
  if (component.name === null) {
    problems.push({
      what: `convex/convex.config.ts mounts no ${SYNC_COMPONENT} component, so nothing syncs Clerk's data into Convex.`,
      fix: `app.use(clerkSync, { env: { … } }) in convex/convex.config.ts (import clerkSync from "convex-clerk-sync/convex.config"), then npm run codegen`,
    });
    return;
  }
  const where = component.dir === undefined ? "" : ` (${component.dir})`;
  const handles = component.handles;
  if (handles === undefined) {
    notes.push(`Sync engine: the ${component.name} component${where}.`);
    return;
  }
  if (!handles.ok) {
    notes.push(
      `Sync engine: the ${component.name} component${where}; could not read its config (npx convex run --component ${component.name} config:get: ${handles.error}).`,
    );
    return;
  }
  if (handles.handles === null) {
    notes.push(
      `Sync engine: the ${component.name} component${where} has no handles from Roster yet (its config is empty): ` +
        "Roster's change hook is stored by the first webhook the deployment receives. Until then the component's own work " +
        "(backfill, reconcile, retries, retention) fails with CLERK_SYNC_NOT_CONFIGURED and can be resumed; " +
        "send one event to store them: npm run webhook -- user.updated",
    );
  } else if (handles.handles.onChange === null) {
    problems.push({
      what: `The ${component.name} component holds no change hook (onChange: null), so Roster's members list and activity feed no longer follow Clerk.`,
      fix: "deploy convex/clerk.ts as it is (new ClerkSync(components.clerkSync, { onChange: internal.clerk.onChange })), then send one event: npm run webhook -- user.updated",
    });
  } else {
    notes.push(`Sync engine: the ${component.name} component${where}; Roster's change hook is stored.`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The checks of the admin page's drift watch (src/features/admin/lib/drift.ts), as one line. */
function checksLine(items: DriftCheckItem[]): string {
  return items.map(({ check, code }) => (code === undefined ? check : `${check} ${code}`)).join("  ");
}

/**
 * Says what the drift watch (the component's hourly comparison with Clerk) last found: off, not
 * checked yet and in step are notes; webhooks silent, behind and could not check are problems,
 * with what to check (the same as the admin page's sync-health card says).
 */
function checkDrift(
  drift: DriftStatusResult,
  component: string,
  webhookUrl: string | null,
  problems: Problem[],
  notes: string[],
): void {
  const run = (fn: string) => `npx convex run --component ${component} ${fn}`;
  if (!drift.ok) {
    notes.push(`Could not read the drift watch (${run("clerk/drift:status")}: ${drift.error}).`);
    return;
  }
  const status = drift.drift;
  const checked = status.checkedAt === null ? "" : ` (checked ${iso(status.checkedAt)})`;
  const found = [...driftFindings(status, iso), lastWebhookSaid(status, iso)].join(" ");
  switch (status.state) {
    case "off":
      notes.push(
        "Drift watch: off (CLERK_SECRET_KEY is not set), so webhooks that stop arriving go unnoticed. Turn it on with `npx convex env set CLERK_SECRET_KEY sk_…`.",
      );
      return;
    case "unchecked":
      notes.push(`Drift watch: not checked yet (it runs hourly). Check now: ${run("clerk/drift:check")}`);
      return;
    case "in_step":
      notes.push(`Drift watch: in step with Clerk${checked}.`);
      return;
    case "webhooks_silent":
      problems.push({
        what: `Drift watch: webhooks silent${checked}. Clerk changed, and no webhook has arrived since: ${found}`,
        fix: `${checksLine(silentChecks(webhookUrl))}  Then: ${run("clerk/sync:reconcile")}`,
      });
      return;
    case "behind":
      problems.push({
        what: `Drift watch: behind Clerk${checked}. Webhooks arrive, but some of Clerk's changes are missing: ${found}`,
        fix: `${run("webhooks/log:retryFailed")}   (or ${run("clerk/sync:reconcile")})`,
      });
      return;
    case "could_not_check":
      problems.push({
        what: `Drift watch: could not check${checked}. ${status.message}`,
        fix: `${checksLine(COULD_NOT_CHECK_CHECKS)}  Then check again: ${run("clerk/drift:check")}`,
      });
      return;
  }
}

/**
 * Checks `.env.local` (null when the file is missing), the deployment's environment and, when
 * read, the Clerk instance it is pinned to, the sync engine's component (named, with its handles)
 * and what its drift watch last found.
 */
export function diagnose(
  envLocal: EnvValues | null,
  convexEnv: ConvexEnvResult,
  pinned?: PinnedInstanceResult,
  component: ComponentStatus = { name: SYNC_COMPONENT },
  drift?: DriftStatusResult,
): Diagnosis {
  const problems: Problem[] = [];
  const notes: string[] = [];
  if (envLocal === null) {
    problems.push({
      what: "There is no .env.local, so neither the app nor the tools know your Convex deployment or Clerk key.",
      fix: "npm run setup:convex   (creates it; then add VITE_CLERK_PUBLISHABLE_KEY, see .env.local.example)",
    });
  } else {
    checkEnvLocal(envLocal, problems);
  }
  if (convexEnv.ok) {
    checkConvexEnv(convexEnv.values, envLocal, problems, notes);
    checkInstance(convexEnv.values, pinned, problems, notes);
  } else {
    problems.push(cliProblem(convexEnv));
  }
  checkComponent(component, problems, notes);
  const webhook = envLocal ? webhookUrlOf(envLocal) : null;
  const webhookUrl = webhook && "url" in webhook ? webhook.url : null;
  if (convexEnv.ok && drift !== undefined)
    checkDrift(drift, component.name ?? SYNC_COMPONENT, webhookUrl, problems, notes);
  if (convexEnv.ok && !convexEnv.values.CLERK_RECONCILE_INTERVAL_HOURS) {
    notes.push(
      "The scheduled reconcile with Clerk is off (the default). Turn it on with `npx convex env set CLERK_RECONCILE_INTERVAL_HOURS 24`.",
    );
  }
  if (webhook && "url" in webhook && ["127.0.0.1", "localhost", "0.0.0.0"].includes(new URL(webhook.url).hostname)) {
    notes.push(
      `This is a local deployment (${webhook.url}): it is not reachable from the internet, so Clerk cannot deliver webhooks to it. Send events with \`npm run webhook\`, or choose a cloud dev deployment (npm run setup:convex -- --configure) for Clerk's real webhooks.`,
    );
  }
  return {
    problems,
    notes,
    webhookUrl,
    events: HANDLED_EVENT_TYPES,
    exitCode: !convexEnv.ok ? 2 : problems.length > 0 ? 1 : 0,
  };
}

/** The report `npm run doctor` prints. */
export function formatDiagnosis(diagnosis: Diagnosis): string {
  const lines: string[] = [];
  if (diagnosis.problems.length === 0) lines.push("✓ No problems found.");
  for (const { what, fix } of diagnosis.problems) lines.push(`✗ ${what}  Fix: ${fix}`);
  for (const note of diagnosis.notes) lines.push(`· ${note}`);
  lines.push("");
  lines.push("Clerk dashboard → Configure → Webhooks → Add endpoint:");
  lines.push(
    `  Endpoint URL: ${diagnosis.webhookUrl ?? "https://<deployment>.convex.site/clerk-webhook (set VITE_CONVEX_URL first)"}`,
  );
  lines.push("  Subscribe to events:");
  const byResource = new Map<string, string[]>();
  for (const type of diagnosis.events) {
    const resource = type.split(".")[0]!;
    byResource.set(resource, [...(byResource.get(resource) ?? []), type]);
  }
  for (const types of byResource.values()) lines.push(`    ${types.join("  ")}`);
  lines.push("  Then copy the endpoint's Signing Secret: npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…");
  lines.push("");
  lines.push(
    'Admin activity (/admin) is for Roster\'s operators: Clerk dashboard → Users → the user → Metadata → Public: { "rosterAdmin": true }',
  );
  return lines.join("\n");
}
