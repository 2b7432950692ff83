/**
 * The deploy check (`npm run check:deploy`): bundles `convex/` and the components it mounts exactly
 * as `convex dev --live-component-sources` does before a push (components read from their source),
 * against a stub deployment on 127.0.0.1 that never receives one, then loads every bundled entry
 * point — the app's and each component's — in a context with only the Convex runtime's globals, so
 * an import the Convex runtime cannot load fails here instead of at the first real deploy. It also
 * evaluates the component definitions and fails unless the app hands every environment variable a
 * component declares over to it by reference (scripts/deploy/envHandover.ts).
 */
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { mountedComponents } from "../codegen/components";
import { envHandoverProblems, readEnvHandover } from "./envHandover";

/** The only path the CLI may ask the stub for: which URLs the deployment answers on. */
export const CANONICAL_URLS_PATH = "/api/v1/get_canonical_urls";

/** What the temporary copy of the project leaves out. */
const COPY_SKIPS = new Set([
  "node_modules",
  ".git",
  "dist",
  "reports",
  ".stryker-tmp",
  "artifacts",
  ".cache",
  "coverage",
]);

/** What the project must have bundled whatever else it holds. */
export const REQUIRED_ENTRY_POINTS = ["http", "crons", "auth.config"];

export type CliRun = { args: string[]; exitCode: number | null; output: string };

/** A mounted component as the check saw it. */
export type ComponentCheck = {
  /** Its name in the app (`components.<name>`). */
  name: string;
  /** Its folder, relative to the project. */
  dir: string;
  /** Entry points its source tree says Convex must bundle, as "isolate/config". */
  expected: string[];
  /** Entry points bundled (and then loaded). */
  bundled: string[];
  /** The environment variables it declares, each handed over by the app by reference (scripts/deploy/envHandover.ts). */
  env: string[];
};

export type DeployCheckResult = {
  ok: boolean;
  /** One line per problem, each saying what to fix. */
  problems: string[];
  /** Every request the CLI made to the stub deployment, as "METHOD /path". */
  requests: string[];
  /** The CLI runs (the whole bundle, then, on failure, every entry point on its own) and the load. */
  runs: CliRun[];
  /** Entry points found in the bundle, as "isolate/http" or "node/…". */
  bundled: string[];
  /** Entry points the source tree says Convex must bundle. */
  expected: string[];
  /** The components convex/convex.config.ts mounts, each bundled and loaded too. */
  components: ComponentCheck[];
  elapsedMs: number;
};

/**
 * Convex's entry points in `convex/`, with the CLI's own rules (src/cli/lib/bundler): every
 * .ts/.tsx/.js/.jsx file except `_generated/`, dotfiles, `schema.ts` (any folder), the component
 * definition `convex.config.ts` and names with more than one dot (tests); `auth.config.ts` counts.
 * Each maps to "node/<path>" when it starts with "use node", else "isolate/<path>".
 */
export function expectedEntryPoints(convexDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(convexDir, path).split(sep).join("/");
      if (entry.name.startsWith(".") || entry.name.startsWith("#")) continue;
      if (entry.isDirectory()) {
        if (rel !== "_generated" && rel !== "_deps" && !existsSync(join(path, "convex.config.ts"))) walk(path);
        continue;
      }
      const match = /^(.*)\.(ts|tsx|js|jsx)$/.exec(rel);
      if (!match?.[1]) continue;
      const base = entry.name.replace(/\.(ts|tsx|js|jsx)$/, "");
      if (base === "schema" || rel === "convex.config.ts" || (base.includes(".") && rel !== "auth.config.ts")) continue;
      const useNode = /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use node["']/.test(readFileSync(path, "utf8"));
      found.push(`${useNode ? "node" : "isolate"}/${match[1]}`);
    }
  };
  walk(convexDir);
  return found.sort();
}

/** The entry points a `--debug-bundle-path` folder holds (its `fullConfig.json` module list). */
export function bundledEntryPoints(bundleDir: string): string[] {
  const config = JSON.parse(readFileSync(join(bundleDir, "fullConfig.json"), "utf8")) as {
    modules: { path: string; environment: string }[];
  };
  return config.modules
    .filter((module) => !module.path.startsWith("_deps/"))
    .map((module) => `${module.environment}/${module.path.replace(/\.js$/, "")}`)
    .filter((entry) => existsSync(join(bundleDir, `${entry}.js`)))
    .sort();
}

/** A stand-in deployment: answers the canonical URLs, refuses (and records) everything else. */
async function startStubDeployment(requests: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(`${req.method} ${path}`);
    req.resume();
    const { port } = server.address() as AddressInfo;
    res.setHeader("content-type", "application/json");
    if (req.method === "GET" && path === CANONICAL_URLS_PATH) {
      res.end(
        JSON.stringify({ convexCloudUrl: `http://127.0.0.1:${port}`, convexSiteUrl: `http://127.0.0.1:${port}` }),
      );
      return;
    }
    res.statusCode = 403;
    res.end(JSON.stringify({ code: "DeployCheckStub", message: "the deploy check's stub deployment accepts no push" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Runs the project's own Convex CLI (never npx, which could download another one). */
async function runCli(
  cli: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliRun> {
  return { ...(await runNode([cli, ...args], cwd, env, timeoutMs)), args: ["convex", ...args] };
}

/** Runs this Node with `args`; resolves with its exit code and its output, colours removed. */
function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n(the deploy check stopped it after ${timeoutMs} ms)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      // eslint-disable-next-line no-control-regex -- the CLI colours its output; the report is plain text
      resolve({ args, exitCode, output: output.replace(/\u001b\[[0-9;]*m/g, "") });
    });
  });
}

/**
 * Loads every bundled Convex-runtime entry point in a context without Node's globals
 * (scripts/deploy/load-bundle.js): what bundles can still fail when the deployment loads it, e.g.
 * a dependency that touches `Buffer` or `require` at import time.
 */
async function loadBundle(bundleDir: string, sourceDir: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  const loader = fileURLToPath(new URL("./load-bundle.js", import.meta.url));
  const run = await runNode(
    ["--experimental-vm-modules", "--no-warnings", loader, bundleDir],
    bundleDir,
    env,
    timeoutMs,
  );
  const results = run.output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { path: string; ok: boolean; error?: string });
  const problems = results
    .filter((result) => !result.ok)
    .map(
      (result) =>
        `${sourceDir}/${result.path.replace(/\.js$/, ".ts")} fails to load in the Convex runtime: ${result.error}`,
    );
  if (run.exitCode !== 0 || results.length === 0)
    problems.push(`loading the bundle failed (exit ${run.exitCode}): ${run.output.trim()}`);
  return { run: { ...run, args: ["node", "scripts/deploy/load-bundle.js", bundleDir] }, problems };
}

/**
 * Bundles the component in `componentDir` (scripts/deploy/bundle-component.js: the CLI's esbuild
 * settings) into `outDir`, shaped as --debug-bundle-path shapes the app's bundle.
 */
async function bundleComponent(
  projectDir: string,
  componentDir: string,
  entryPoints: string[],
  outDir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliRun> {
  const bundler = fileURLToPath(new URL("./bundle-component.js", import.meta.url));
  const convexPackage = join(projectDir, "node_modules", "convex");
  const args = [bundler, convexPackage, componentDir, outDir, ...entryPoints];
  const run = await runNode(args, outDir, env, timeoutMs);
  return { ...run, args: ["node", "scripts/deploy/bundle-component.js", componentDir, ...entryPoints] };
}

/**
 * The copy's node_modules: a folder of links to the project's own entries, except the workspace's
 * packages (packages/*), linked to their copies, so the CLI bundles (and writes codegen into) the
 * copy of a component, never the original. A link to the whole node_modules would lead there: npm
 * links node_modules/convex-clerk-sync to the original packages/clerk-sync.
 */
export function linkNodeModules(projectDir: string, copyDir: string): void {
  const workspace = new Map<string, string>();
  const packagesDir = join(copyDir, "packages");
  for (const entry of existsSync(packagesDir) ? readdirSync(packagesDir) : []) {
    const manifest = join(packagesDir, entry, "package.json");
    if (existsSync(manifest))
      workspace.set((JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name, join(packagesDir, entry));
  }
  const link = (from: string, to: string, names: string[]) => {
    mkdirSync(to, { recursive: true });
    for (const name of names) {
      const scoped = [...workspace.keys()].filter((packageName) => packageName.startsWith(`${name}/`));
      if (scoped.length > 0) {
        link(join(from, name), join(to, name), readdirSync(join(from, name)));
        continue;
      }
      const packageName = relative(join(projectDir, "node_modules"), join(from, name)).split(sep).join("/");
      symlinkSync(workspace.get(packageName) ?? join(from, name), join(to, name), "dir");
    }
  };
  const original = join(projectDir, "node_modules");
  link(original, join(copyDir, "node_modules"), readdirSync(original));
}

/**
 * The child's environment: the caller's, without anything that chooses a Convex deployment (a
 * developer's CONVEX_DEPLOYMENT would make the CLI refuse the self-hosted pair), with HOME in the
 * temporary folder so nothing is read from or written to ~/.convex.
 */
function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("CONVEX_") && !key.startsWith("VITE_CONVEX_")) env[key] = value;
  }
  return { ...env, HOME: home, USERPROFILE: home, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
}

/**
 * Bundles `projectDir/convex` for the Convex runtime in a temporary copy of the project (so
 * `.env.local`, `convex/_generated` and ~/.convex stay untouched) and checks the result.
 * `everyEntryPoint` also bundles each non-"use node" entry point on its own when all is well.
 */
export async function checkDeploy(
  projectDir: string,
  { timeoutMs = 120_000, everyEntryPoint = false } = {},
): Promise<DeployCheckResult> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "roster-deploy-check-"));
  const requests: string[] = [];
  const runs: CliRun[] = [];
  const problems: string[] = [];
  let bundled: string[] = [];
  let expected: string[] | undefined;
  const components: ComponentCheck[] = [];
  const { server, url } = await startStubDeployment(requests);
  try {
    const project = join(work, "project");
    mkdirSync(project);
    // The whole project (convex/ may import from outside it) but its dependencies, build output
    // and env files: no .env.local may choose a deployment, and the CLI's writes land in the copy.
    for (const name of readdirSync(projectDir)) {
      if (COPY_SKIPS.has(name) || name.startsWith(".env")) continue;
      cpSync(join(projectDir, name), join(project, name), {
        recursive: true,
        // A workspace package's own dependencies and build output stay behind too.
        filter: (path) => !/[\\/](node_modules|dist)$/.test(path),
      });
    }
    linkNodeModules(projectDir, project);
    const home = join(work, "home");
    mkdirSync(home);
    // Only this file chooses the deployment: `--env-file` overrides .env.local and the shell.
    const envFile = join(work, "deploy-check.env");
    writeFileSync(envFile, `CONVEX_SELF_HOSTED_URL=${url}\nCONVEX_SELF_HOSTED_ADMIN_KEY=roster-deploy-check|stub\n`);
    const cli = join(projectDir, "node_modules", "convex", "bin", "main.js");
    if (!existsSync(cli)) throw new Error(`no Convex CLI at ${cli}: run npm install`);
    const common = [
      "dev",
      "--once",
      "--typecheck",
      "disable",
      "--tail-logs",
      "disable",
      // Components from their source (the `@convex-dev/component-source` export condition), as `npm run dev` bundles them.
      "--live-component-sources",
      "--env-file",
      envFile,
    ];
    const bundleDir = join(work, "bundle");
    const env = cliEnv(home);

    // The whole bundle, as a push builds it (all entry points at once, shared chunks).
    const whole = await runCli(cli, [...common, "--debug-bundle-path", bundleDir], project, env, timeoutMs);
    runs.push(whole);
    if (whole.exitCode !== 0)
      problems.push(
        `bundling convex/ and its components for the Convex runtime failed (exit ${whole.exitCode}); see the CLI's output below`,
      );
    // Every non-"use node" entry point on its own, which names the entry point that pulls a bad
    // import in. Same esbuild settings as the whole bundle, one build per file: run when the whole
    // bundle failed, or always with `everyEntryPoint`.
    if (whole.exitCode !== 0 || everyEntryPoint) {
      const each = await runCli(cli, [...common, "--debug-node-apis"], project, env, timeoutMs);
      runs.push(each);
      if (each.exitCode !== 0) {
        problems.push(
          `an entry point without "use node" imports something the Convex runtime cannot load (exit ${each.exitCode}); ` +
            `move that code to a "use node" file or stop importing it (the CLI names the files below)`,
        );
      }
    }

    expected = expectedEntryPoints(join(project, "convex"));
    if (whole.exitCode === 0) {
      if (!existsSync(join(bundleDir, "fullConfig.json"))) {
        problems.push(`the CLI exited 0 but wrote no bundle to ${bundleDir} (has --debug-bundle-path changed?)`);
      } else {
        bundled = bundledEntryPoints(bundleDir);
        const missing = expected.filter((entry) => !bundled.includes(entry));
        if (missing.length > 0) problems.push(`entry points missing from the bundle: ${missing.join(", ")}`);
        for (const name of REQUIRED_ENTRY_POINTS) {
          if (!bundled.some((entry) => entry.endsWith(`/${name}`)))
            problems.push(`the bundle has no convex/${name}.ts entry point`);
        }
        const load = await loadBundle(bundleDir, "convex", env, timeoutMs);
        runs.push(load.run);
        problems.push(...load.problems);
      }
    }

    // Each mounted component: the CLI bundled it (a bad import failed the run above) but writes only
    // the app's modules to --debug-bundle-path, so bundle it again with the CLI's settings and load it.
    for (const component of mountedComponents(join(project, "convex"))) {
      const dir = relative(project, component.dir).split(sep).join("/");
      const check: ComponentCheck = {
        name: component.name,
        dir,
        expected: expectedEntryPoints(component.dir),
        bundled: [],
        env: [],
      };
      components.push(check);
      const node = check.expected.filter((entry) => entry.startsWith("node/"));
      if (node.length > 0)
        problems.push(`component ${component.name}: "use node" is not supported in components (${node.join(", ")})`);
      const outDir = join(work, "components", component.name);
      mkdirSync(outDir, { recursive: true });
      const entries = check.expected
        .filter((entry) => entry.startsWith("isolate/"))
        .map((entry) => `${entry.slice("isolate/".length)}.ts`);
      const bundling = await bundleComponent(projectDir, component.dir, entries, outDir, env, timeoutMs);
      runs.push(bundling);
      if (bundling.exitCode !== 0) {
        problems.push(
          `bundling component ${component.name} (${dir}) for the Convex runtime failed (exit ${bundling.exitCode}): ` +
            bundling.output
              .trim()
              .split(project + sep)
              .join(""),
        );
        continue;
      }
      check.bundled = bundledEntryPoints(outDir);
      const missing = check.expected.filter((entry) => !check.bundled.includes(entry));
      if (missing.length > 0)
        problems.push(`component ${component.name}: entry points missing from the bundle: ${missing.join(", ")}`);
      const load = await loadBundle(outDir, dir, env, timeoutMs);
      runs.push(load.run);
      problems.push(...load.problems);
    }
    // Every variable each component declares, handed over by reference (what convex-test cannot see).
    const handover = await readEnvHandover(project, join(work, "env-handover"), timeoutMs);
    if ("error" in handover) {
      problems.push(handover.error);
    } else {
      const envProblems = envHandoverProblems(handover.analysis);
      problems.push(...envProblems);
      for (const check of components) {
        const declared = handover.analysis.components.find((each) => each.name === check.name)?.definition.envVars ?? [];
        if (!envProblems.some((problem) => problem.startsWith(`component ${check.name} `)))
          check.env = declared.map(([name]) => name);
      }
    }
    const pushes = requests.filter((request) => request !== `GET ${CANONICAL_URLS_PATH}`);
    if (pushes.length > 0)
      problems.push(`the CLI asked the stub deployment for more than its URLs (a push?): ${pushes.join(", ")}`);
    if (!requests.includes(`GET ${CANONICAL_URLS_PATH}`)) {
      problems.push("the CLI never contacted the stub deployment: it may have chosen another deployment");
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(work, { recursive: true, force: true });
  }
  return {
    ok: problems.length === 0,
    problems,
    requests,
    runs,
    bundled,
    expected,
    components,
    elapsedMs: performance.now() - started,
  };
}

/** The report `npm run check:deploy` prints. */
export function formatDeployCheck(result: DeployCheckResult): string {
  const lines: string[] = [];
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  if (result.ok) {
    const isolate = result.bundled.filter((entry) => entry.startsWith("isolate/")).length;
    const node = result.bundled.length - isolate;
    const components = result.components.map(
      (component) =>
        `; component ${component.name} (${component.dir}): ${component.bundled.length} loaded, ` +
        `${component.env.length} env variables handed over by reference`,
    );
    lines.push(
      `Deploy check passed in ${seconds} s: ${result.bundled.length} entry points bundled (${isolate} Convex runtime, ${node} Node)${components.join("")}.`,
    );
  } else {
    lines.push(`Deploy check FAILED in ${seconds} s:`);
    for (const problem of result.problems) lines.push(`  - ${problem}`);
    for (const run of result.runs.filter((run) => run.exitCode !== 0)) {
      lines.push("", `$ ${run.args.join(" ")}`, run.output.trim());
    }
  }
  lines.push(`Stub deployment saw: ${result.requests.join(", ") || "nothing"}`);
  return lines.join("\n");
}
