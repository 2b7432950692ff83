/**
 * `npm run codegen`: writes `convex/_generated/` offline, with nothing but this app's Convex CLI.
 *
 * With a deployment, `npx convex dev` writes these files and this script is not needed. Without
 * one (CI, this repository's checks), `convex codegen --system-udfs --typecheck disable` writes
 * them, except that it leaves `components` out of `api` for an app that mounts components: this
 * script writes `api.js` and `api.d.ts` the way `convex dev` does for such an app, with
 * `components.<name>` typed by the component package's own `_generated/component.js`.
 *
 * The CLI runs on a copy of `convex/` in a temporary folder (nothing else of the app is written).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// Installed with convex, whose CLI formats the files it generates with it.
import prettier from "prettier";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const convexDir = join(appDir, "convex");
const generatedDir = join(convexDir, "_generated");
const nodeModules = join(appDir, "node_modules");

/**
 * The components convex.config.ts mounts: `import x from "<pkg>/convex.config"` and `app.use(x)`
 * (with an optional literal `name`), each named as the component package's definition names it.
 */
function mountedComponents() {
  const config = readFileSync(join(convexDir, "convex.config.ts"), "utf8");
  const imports = new Map(
    [...config.matchAll(/^import\s+(\w+)\s+from\s+["']([^"']+)\/convex\.config(?:\.js)?["'];?$/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  return [...config.matchAll(/\bapp\.use\(\s*(\w+)\s*(?:,\s*\{([^]*?)\}\s*)?\)/g)].map(([, ident, options]) => {
    const specifier = imports.get(ident);
    if (specifier === undefined)
      throw new Error(`convex.config.ts: app.use(${ident}) is not a default import of "<package>/convex.config"`);
    const named = options === undefined ? null : /\bname\s*:\s*["']([^"']+)["']/.exec(options);
    if (named) return { name: named[1], specifier };
    const definition = readFileSync(join(nodeModules, specifier, "dist", "component", "convex.config.js"), "utf8");
    const defined = /defineComponent\(\s*["']([^"']+)["']/.exec(definition);
    if (!defined) throw new Error(`${specifier}: no defineComponent("<name>") in its convex.config.js`);
    return { name: defined[1], specifier };
  });
}

/** The CLI's own codegen output for a copy of convex/, by file name. */
function cliCodegen(work) {
  const project = join(work, "project");
  mkdirSync(project, { recursive: true });
  cpSync(convexDir, join(project, "convex"), { recursive: true, filter: (path) => !path.startsWith(generatedDir) });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ private: true, type: "module", dependencies: { convex: "*" } }),
  );
  symlinkSync(nodeModules, join(project, "node_modules"), "dir");
  const home = join(work, "home");
  mkdirSync(home, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CONVEX_")));
  const run = spawnSync(
    process.execPath,
    [join(nodeModules, "convex", "bin", "main.js"), "codegen", "--system-udfs", "--typecheck", "disable"],
    { cwd: project, env: { ...env, HOME: home, USERPROFILE: home, CI: "1", NO_COLOR: "1" }, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`convex codegen failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const generated = join(project, "convex", "_generated");
  return new Map(readdirSync(generated).map((file) => [file, readFileSync(join(generated, file), "utf8")]));
}

const templates = await import(
  pathToFileURL(join(nodeModules, "convex", "dist", "esm", "cli", "codegen_templates", "common.js")).href
);
const components = mountedComponents();
const work = mkdtempSync(join(tmpdir(), "example-codegen-"));
try {
  const files = cliCodegen(work);
  if (components.length > 0) {
    const modules = [...(files.get("api.d.ts") ?? "").matchAll(/^import type \* as (\w+) from "\.\.\/(.+)\.js";$/gm)];
    files.set(
      "api.js",
      `${templates.header("Generated `api` utility.")}
import { anyApi, componentsGeneric } from "convex/server";
${templates.apiComment("api", undefined)}
export const api = anyApi;
export const internal = anyApi;
export const components = componentsGeneric();
`,
    );
    files.set(
      "api.d.ts",
      `${templates.header("Generated `api` utility.")}
${modules.map(([, ident, path]) => `import type * as ${ident} from "../${path}.js";`).join("\n")}

import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";

declare const fullApi: ApiFromModules<{
${modules.map(([, ident, path]) => `  "${path}": typeof ${ident};`).join("\n")}
}>;
${templates.apiComment("api", "public")}
export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
${templates.apiComment("internal", "internal")}
export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;

export declare const components: {
${components
  .map(({ name, specifier }) => `  ${name}: import("${specifier}/_generated/component.js").ComponentApi<"${name}">;`)
  .join("\n")}
};
`,
    );
  }
  rmSync(generatedDir, { recursive: true, force: true });
  mkdirSync(generatedDir, { recursive: true });
  for (const [file, text] of files)
    writeFileSync(join(generatedDir, file), await prettier.format(text, { parser: "typescript" }));
  console.log(
    `Generated ${[...files.keys()].join(", ")} in convex/_generated (components: ${components.map((c) => c.name).join(", ") || "none"}).`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
