/**
 * Does the app hand every environment variable a mounted component declares over to it, by
 * reference? A component reads only what `app.use(component, { env: { X: app.env.X } })` passes; a
 * variable left out reads as unset on every deployment (and convex-test, with no component env,
 * cannot see it). Checked on what Convex's own `export()` makes of the definitions, the shape a
 * push sends (scripts/deploy/env-handover.js evaluates them; the vitest test imports them).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** How the app hands one variable over, as `export()` serializes it. */
export type EnvBinding = { type: "envVar"; name: string } | { type: "value"; value: string };

/** What `export()` says of the app definition and of each component it mounts. */
export type EnvAnalysis = {
  app: {
    /** The app's own declared variables (absent when defineApp has no `env`). */
    envVars?: Array<[string, unknown]>;
    childComponents: Array<{ name: string; path: string; env: Array<[string, EnvBinding]> | null }>;
  };
  components: Array<{ name: string; path: string; definition: { name: string; envVars?: Array<[string, unknown]> } }>;
};

/** One line per variable a mounted component declares that the app does not hand over by reference. */
export function envHandoverProblems(analysis: EnvAnalysis): string[] {
  const problems: string[] = [];
  const appDeclared = new Set((analysis.app.envVars ?? []).map(([name]) => name));
  for (const component of analysis.components) {
    const mounted = analysis.app.childComponents.find((child) => child.name === component.name);
    const declared = (component.definition.envVars ?? []).map(([name]) => name);
    const handed = new Map(mounted?.env ?? []);
    const where = `component ${component.name} (${component.path})`;
    const fix = (name: string) => `\`${name}: app.env.${name}\` in app.use(…, { env }) of convex/convex.config.ts`;
    for (const name of declared) {
      const binding = handed.get(name);
      if (binding === undefined) {
        problems.push(
          `${where} declares ${name}, but the app does not hand it over: it reads as unset on every deployment. Add ${fix(name)}` +
            (appDeclared.has(name) ? "" : ` (and declare ${name} in defineApp's env)`),
        );
      } else if (binding.type !== "envVar") {
        problems.push(
          `${where} gets ${name} as a value written in convex/convex.config.ts, not by reference: pass ${fix(name)}, and set the value with \`npx convex env set ${name} …\``,
        );
      } else if (binding.name !== name) {
        problems.push(
          `${where} gets ${name} from the app's ${binding.name}: hand it the app's variable of the same name (${fix(name)}), which is the one the README and the doctor tell you to set`,
        );
      }
    }
    for (const name of handed.keys()) {
      if (!declared.includes(name))
        problems.push(`${where} does not declare ${name}, which convex/convex.config.ts hands it: remove it there, or declare it in the component's convex.config.ts`);
    }
  }
  return problems;
}

/**
 * Evaluates `projectDir`'s convex/convex.config.ts in a child Node (scripts/deploy/env-handover.js,
 * bundled with the installed CLI's esbuild) and returns what its definitions export, or why not.
 */
export async function readEnvHandover(
  projectDir: string,
  outDir: string,
  timeoutMs = 60_000,
): Promise<{ analysis: EnvAnalysis } | { error: string }> {
  const script = fileURLToPath(new URL("./env-handover.js", import.meta.url));
  const convexPackage = join(projectDir, "node_modules", "convex");
  return await new Promise((resolve) => {
    const child = spawn(process.execPath, [script, convexPackage, projectDir, outDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((each) => each.startsWith("{"));
      const parsed = line === undefined ? undefined : (JSON.parse(line) as EnvAnalysis | { error: string });
      if (parsed !== undefined && "error" in parsed)
        resolve({ error: `convex/convex.config.ts does not evaluate: ${parsed.error}` });
      else if (parsed !== undefined && exitCode === 0) resolve({ analysis: parsed });
      else resolve({ error: `evaluating convex/convex.config.ts failed (exit ${exitCode}): ${(stderr || stdout).trim()}` });
    });
  });
}
