/**
 * `npm run webhook -- <event-type> [options]`: sends Clerk-shaped events, signed exactly as Svix
 * signs them, to the deployment's webhook endpoint (the `.convex.site` host is public: no tunnel
 * needed). `npm run webhook -- --help` lists the options and scenarios.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readLocalEnv, type EnvValues } from "./lib/env";
import { parseArgs, planRequests, USAGE, UsageError } from "./webhook/plan";
import { sendAll } from "./webhook/send";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 text, like the tail of a Clerk or Svix id. */
function randomTail(length: number): string {
  return Array.from(randomBytes(length), (byte) => BASE62[byte % 62]).join("");
}

/** The deployment's signing secret, read with the project's Convex CLI, or null. */
function secretFromDeployment(cwd: string): string | null {
  const cli = join(cwd, "node_modules", ".bin", "convex");
  if (!existsSync(cli)) return null;
  console.error(
    "No CLERK_WEBHOOK_SIGNING_SECRET in the environment or .env.local: reading the deployment's (npx convex env get).",
  );
  const result = spawnSync(cli, ["env", "get", "CLERK_WEBHOOK_SIGNING_SECRET"], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, CI: "1" },
  });
  const value = result.status === 0 ? result.stdout.trim() : "";
  return value === "" ? null : value;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const cwd = process.cwd();
  const env: EnvValues = readLocalEnv(cwd, process.env, ["CLERK_WEBHOOK_SIGNING_SECRET"]);
  if (!env.CLERK_WEBHOOK_SIGNING_SECRET && !args.dryRun) {
    const secret = secretFromDeployment(cwd);
    if (secret) env.CLERK_WEBHOOK_SIGNING_SECRET = secret;
  }
  let fileText: string | undefined;
  if (args.file !== null) {
    try {
      fileText = readFileSync(args.file, "utf8");
    } catch (error) {
      throw new UsageError(
        `Cannot read --file ${args.file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const { url, requests } = planRequests(args, env, {
    now: Date.now(),
    newTag: () => `2snd${randomTail(23)}`,
    newSvixId: () => `msg_${randomTail(27)}`,
    fileText,
  });
  if (args.dryRun) {
    for (const r of requests) {
      console.log(`POST ${url}  (${r.label})`);
      for (const [name, value] of Object.entries(r.headers)) console.log(`${name}: ${value}`);
      console.log(`\n${r.body}\n`);
    }
    return 0;
  }
  console.log(`POST ${url}`);
  const { exitCode } = await sendAll(
    url,
    requests,
    (target, init) => fetch(target, init),
    (line) => console.log(line),
  );
  return exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(error.message);
        process.exitCode = 2;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
}
