/**
 * `npm run webhook -- <event-type> [options]`: sends Clerk-shaped events, signed exactly as Svix
 * signs them, to the deployment's webhook endpoint (the `.convex.site` host is public: no tunnel
 * needed). `npm run webhook -- --help` lists the options, scenarios and exit codes.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readEnvFile, readLocalEnv } from "./lib/env";
import { parseArgs, planRequests, secretWarning, USAGE, UsageError } from "./webhook/plan";
import { sendAll, type Post } from "./webhook/send";
import { isMainModule } from "./lib/main";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 text, like the tail of a Clerk or Svix id. */
function randomTail(length: number): string {
  return Array.from(randomBytes(length), (byte) => BASE62[byte % 62]).join("");
}

/** The deployment's signing secret, read with the project's Convex CLI, or null. */
function secretFromDeployment(cwd: string): string | null {
  const cli = join(cwd, "node_modules", ".bin", "convex");
  if (!existsSync(cli)) return null;
  const result = spawnSync(cli, ["env", "get", "CLERK_WEBHOOK_SIGNING_SECRET"], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, CI: "1" },
  });
  const value = result.status === 0 ? result.stdout.trim() : "";
  return value === "" ? null : value;
}

export type WebhookDeps = {
  /** The project folder (where .env.local is). */
  cwd: string;
  /** The shell's environment: its CLERK_WEBHOOK_SIGNING_SECRET wins over .env.local's. */
  shellEnv: NodeJS.ProcessEnv;
  post: Post;
  /** Standard output: the requests (--dry-run) or one line per answer. */
  print: (line: string) => void;
  /** Standard error: warnings and errors. */
  warn: (line: string) => void;
  now: () => number;
  /** The deployment's signing secret (npx convex env get), or null. */
  secretFromDeployment: (cwd: string) => string | null;
};

/**
 * Runs `npm run webhook` and returns its exit code: 0 every request was answered 2xx (or
 * --dry-run/--help); 1 a request was answered otherwise or did not arrive; 2 a mistake in the
 * arguments or the setup, so nothing was sent.
 */
export async function runWebhook(argv: string[], deps: WebhookDeps): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      deps.print(USAGE);
      return 0;
    }
    const env = readLocalEnv(deps.cwd, deps.shellEnv, ["CLERK_WEBHOOK_SIGNING_SECRET", "CLERK_INSTANCE_ID"]);
    let secretSource = deps.shellEnv.CLERK_WEBHOOK_SIGNING_SECRET
      ? "the shell"
      : readEnvFile(join(deps.cwd, ".env.local"))?.CLERK_WEBHOOK_SIGNING_SECRET
        ? ".env.local"
        : null;
    if (!env.CLERK_WEBHOOK_SIGNING_SECRET && !args.dryRun) {
      deps.warn(
        "No CLERK_WEBHOOK_SIGNING_SECRET in the environment or .env.local: reading the deployment's (npx convex env get).",
      );
      const secret = deps.secretFromDeployment(deps.cwd);
      if (secret) {
        env.CLERK_WEBHOOK_SIGNING_SECRET = secret;
        secretSource = "the deployment";
      }
    }
    const warning = env.CLERK_WEBHOOK_SIGNING_SECRET
      ? secretWarning(env.CLERK_WEBHOOK_SIGNING_SECRET, secretSource ?? "the environment")
      : null;
    if (warning) deps.warn(warning);
    let fileText: string | undefined;
    if (args.file !== null) {
      try {
        fileText = readFileSync(resolve(deps.cwd, args.file), "utf8");
      } catch (error) {
        throw new UsageError(
          `Cannot read --file ${args.file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const { url, requests } = planRequests(args, env, {
      now: deps.now(),
      newTag: () => `2snd${randomTail(23)}`,
      newSvixId: () => `msg_${randomTail(27)}`,
      fileText,
    });
    if (args.dryRun) {
      for (const r of requests) {
        deps.print(`POST ${url}  (${r.label})`);
        for (const [name, value] of Object.entries(r.headers)) deps.print(`${name}: ${value}`);
        deps.print(`\n${r.body}\n`);
      }
      deps.print(`--dry-run: ${requests.length} request(s) signed, none sent.`);
      return 0;
    }
    deps.print(`POST ${url}`);
    const { exitCode } = await sendAll(url, requests, deps.post, deps.print);
    return exitCode;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.warn(error.message);
    return 2;
  }
}

if (isMainModule(import.meta.url)) {
  runWebhook(process.argv.slice(2), {
    cwd: process.cwd(),
    shellEnv: process.env,
    post: (target, init) => fetch(target, init),
    print: (line) => console.log(line),
    warn: (line) => console.error(line),
    now: () => Date.now(),
    secretFromDeployment,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
