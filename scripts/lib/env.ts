/**
 * Reads dotenv text (`.env.local`, and the output of `npx convex env list`) with Node's own
 * `util.parseEnv` (Node >= 20.12): `NAME=value`, `export NAME=value`, `#` comments, single, double
 * and backtick quotes, double-quoted `\n` and values over several lines; later assignments win.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export type EnvValues = Record<string, string>;

/** Parses dotenv text into name → value. */
export function parseEnvText(text: string): EnvValues {
  return { ...parseEnv(text) } as EnvValues;
}

/** The values in a dotenv file, or null when it does not exist. */
export function readEnvFile(path: string): EnvValues | null {
  if (!existsSync(path)) return null;
  return parseEnvText(readFileSync(path, "utf8"));
}

/**
 * `.env.local` in `cwd` (empty when there is none), with each of `fromShell` taken from `shell`
 * instead when the shell sets it: what is exported in the terminal wins over the file.
 */
export function readLocalEnv(cwd: string, shell: NodeJS.ProcessEnv, fromShell: readonly string[]): EnvValues {
  const env: EnvValues = { ...(readEnvFile(join(cwd, ".env.local")) ?? {}) };
  for (const name of fromShell) {
    const value = shell[name];
    if (value) env[name] = value;
  }
  return env;
}
