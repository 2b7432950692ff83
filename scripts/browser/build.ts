/** Builds for the browser check: the real app (with given env), and the playground. */
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

export const ROOT = resolve(import.meta.dirname, "../..");
const VITE_KEYS = ["VITE_CLERK_PUBLISHABLE_KEY", "VITE_CONVEX_URL"] as const;

/**
 * Runs `work` with NODE_ENV=production: under Vitest it is "test", which would make Vite bundle
 * React's development build (and the size we report would be wrong).
 */
async function asProduction<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

/**
 * Builds the app exactly as `vite build` does (vite.config.ts, index.html), with only the given
 * VITE_* values: no .env file is read, so a developer's .env.local cannot leak into the check.
 */
export async function buildApp(
  outDir: string,
  env: Partial<Record<(typeof VITE_KEYS)[number], string>>,
): Promise<void> {
  const saved = VITE_KEYS.map((key) => [key, process.env[key]] as const);
  const emptyEnvDir = join(ROOT, ".cache/browser-check/no-env");
  mkdirSync(emptyEnvDir, { recursive: true });
  try {
    for (const key of VITE_KEYS) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
    await asProduction(() =>
      build({
        configFile: join(ROOT, "vite.config.ts"),
        root: ROOT,
        envDir: emptyEnvDir,
        logLevel: "warn",
        build: { outDir, emptyOutDir: true },
      }),
    );
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Builds the playground (`vite build --mode playground`: playground/index.html, Roster's real
 * views over its real Convex functions in a Web Worker, the simulated Clerk) into `outDir`.
 */
export async function buildPlayground(outDir: string): Promise<void> {
  await asProduction(() =>
    build({
      configFile: join(ROOT, "vite.config.ts"),
      mode: "playground",
      // convex-test's own fallback glob of convex/ (unused: the worker passes its modules) warns at length.
      logLevel: "error",
      build: { outDir, emptyOutDir: true },
    }),
  );
}

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

/** The JS a first visit loads before anything else: the entry script and its module preloads, gzip. */
export function initialJsSize(outDir: string): { files: string[]; bytes: number; gzipBytes: number } {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => (match[1] ?? "").replace(/^\.?\//, ""));
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(outDir, file));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files, bytes, gzipBytes };
}
