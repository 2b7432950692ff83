/**
 * `npm run codegen`, offline: the `_generated/` files of Roster's `convex/` and of every component
 * it mounts, with nothing but the project's own Convex CLI (`convex codegen --system-udfs`, which
 * needs no deployment) and TypeScript types.
 *
 * - Roster's `convex/_generated`: the CLI's files, with `api.{js,d.ts}` written as `convex dev`
 *   writes them for an app with components (`components = componentsGeneric()`, typed
 *   `components.clerkSync: import("convex-clerk-sync/_generated/component.js").ComponentApi<"clerkSync">`).
 *   `--system-udfs` alone writes the app's API without `components`: a silent drop.
 * - Each component's `_generated/`: `api.ts`, `dataModel.ts`, `server.ts` from the same CLI command
 *   run on a copy of the component's folder (a temporary convex.json points at it), and
 *   `component.ts`, whose `ComponentApi` the CLI only writes from a deployment's analysis: here it
 *   is derived from the component's modules by a type (src/componentApi.ts of the package).
 *
 * Every CLI run happens in a temporary folder, so nothing in the project but the `_generated/`
 * folders is written, and `generate` alone (what the test calls) writes nothing at all.
 */
import { spawnSync } from "node:child_process";
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
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import prettier from "prettier";
import { mountedComponents, type MountedComponent } from "./components";

/** Generated files by path relative to the project (posix separators), with their text. */
export type GeneratedFiles = Map<string, string>;

/** The CLI's own helpers for the text of generated files (codegen_templates/common.js: no imports). */
type CliTemplates = {
  header: (description: string) => string;
  apiComment: (apiName: string, type: string | undefined) => string;
};

const posix = (path: string) => path.split(sep).join("/");

async function cliTemplates(projectDir: string): Promise<CliTemplates> {
  const file = join(projectDir, "node_modules", "convex", "dist", "esm", "cli", "codegen_templates", "common.js");
  if (!existsSync(file))
    throw new Error(`${file} is missing: the Convex CLI moved its codegen templates; update scripts/codegen/`);
  return (await import(pathToFileURL(file).href)) as CliTemplates;
}

/** Roster's api.js as `convex dev` writes it for an app (the CLI's componentApiJs). */
function appApiJs(cli: CliTemplates): string {
  return [
    cli.header("Generated `api` utility."),
    `
    import { anyApi, componentsGeneric } from "convex/server";

    ${cli.apiComment("api", undefined)}
    export const api = anyApi;
    export const internal = anyApi;
    export const components = componentsGeneric();
  `,
  ].join("\n");
}

/** The environment for the CLI: no deployment chosen, HOME in the temporary folder. */
function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("CONVEX_") && !key.startsWith("VITE_CONVEX_")) env[key] = value;
  return { ...env, HOME: home, USERPROFILE: home, CI: "1", NO_COLOR: "1" };
}

/**
 * Runs `convex codegen --system-udfs --typecheck disable` on a copy of `functionsDir` in `work`
 * (with `convexJson` as the project's convex.json) and returns the files it wrote to `_generated/`.
 */
function runCliCodegen(
  projectDir: string,
  work: string,
  functionsDir: string,
  convexJson: object | null,
): Map<string, string> {
  const project = join(work, "project");
  const copy = join(project, "functions");
  mkdirSync(project, { recursive: true });
  cpSync(functionsDir, copy, {
    recursive: true,
    filter: (path) => !posix(relative(functionsDir, path)).startsWith("_generated"),
  });
  writeFileSync(join(project, "package.json"), JSON.stringify({ private: true, dependencies: { convex: "*" } }));
  writeFileSync(join(project, "convex.json"), JSON.stringify({ ...convexJson, functions: "functions" }));
  symlinkSync(join(projectDir, "node_modules"), join(project, "node_modules"), "dir");
  const home = join(work, "home");
  mkdirSync(home, { recursive: true });
  const cli = join(projectDir, "node_modules", "convex", "bin", "main.js");
  const run = spawnSync(process.execPath, [cli, "codegen", "--system-udfs", "--typecheck", "disable"], {
    cwd: project,
    env: cliEnv(home),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0)
    throw new Error(`convex codegen failed for ${functionsDir} (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const generated = join(copy, "_generated");
  return new Map(readdirSync(generated).map((file) => [file, readFileSync(join(generated, file), "utf8")]));
}

/** `import type * as <ident> from "../<path>.js";` lines of a CLI-written api file, in its order. */
function modulesOf(apiFile: string): { ident: string; path: string }[] {
  return [...apiFile.matchAll(/^import type \* as (\w+) from "\.\.\/(.+)\.js";$/gm)].map((match) => ({
    ident: match[1]!,
    path: match[2]!,
  }));
}

const format = (text: string) => prettier.format(text, { parser: "typescript" });

/** Roster's api.d.ts as `convex dev` writes it for an app (the CLI's componentApiDTS, dynamic API). */
function appApiDts(cli: CliTemplates, modules: { ident: string; path: string }[], components: MountedComponent[]) {
  return [
    cli.header("Generated `api` utility."),
    ...modules.map(({ ident, path }) => `import type * as ${ident} from "../${path}.js";`),
    `
    import type {
      ApiFromModules,
      FilterApi,
      FunctionReference,
    } from "convex/server";

    declare const fullApi: ApiFromModules<{
  `,
    ...modules.map(({ ident, path }) => `  "${path}": typeof ${ident},`),
    `}>;`,
    `
    ${cli.apiComment("api", "public")}
    export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
    ${cli.apiComment("internal", "internal")}
    export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;
  `,
    `
  export declare const components: {`,
    ...components.map(
      ({ name, importSpecifier }) =>
        `  "${name}": import("${importSpecifier}/_generated/component.js").ComponentApi<"${name}">,`,
    ),
    "};",
  ].join("\n");
}

/** The component's `_generated/component.ts`: `ComponentApi<Name>` derived from its modules' types. */
function componentTs(component: MountedComponent, modules: { ident: string; path: string }[]) {
  const helper = join(component.dir, "..", "componentApi.ts");
  if (!existsSync(helper))
    throw new Error(`${helper} is missing: component.ts derives ComponentApi with the type it exports`);
  const helperImport = posix(relative(join(component.dir, "_generated"), helper)).replace(/\.ts$/, ".js");
  return [
    `/* eslint-disable */
    /**
     * Generated \`ComponentApi\` utility.
     *
     * THIS CODE IS AUTOMATICALLY GENERATED, offline, by \`npm run codegen\` (scripts/codegen/generate.ts):
     * the type is derived from the component's modules. \`npx convex dev\` rewrites this file from the
     * deployment's analysis; run \`npm run codegen\` again before committing.
     * @module
     */
    `,
    `import type { ComponentApiFromModules } from "${helperImport}";`,
    ...modules.map(({ ident, path }) => `import type * as ${ident} from "../${path}.js";`),
    `
    /**
    * A utility for referencing a Convex component's exposed API.
    *
    * Useful when expecting a parameter like \`components.myComponent\`.
    * Usage:
    * \`\`\`ts
    * async function myFunction(ctx: QueryCtx, component: ComponentApi) {
    *   return ctx.runQuery(component.someFile.someQuery, { ...args });
    * }
    * \`\`\`
    */
    export type ComponentApi<Name extends string | undefined = string | undefined> = ComponentApiFromModules<{`,
    ...modules.map(({ ident, path }) => `  "${path}": typeof ${ident},`),
    `}, Name>;`,
  ].join("\n");
}

/** Every generated file of the project at `projectDir`, computed in a temporary folder. */
export async function generate(projectDir: string): Promise<GeneratedFiles> {
  const cli = await cliTemplates(projectDir);
  const convexDir = join(projectDir, "convex");
  const components = mountedComponents(convexDir);
  const files: GeneratedFiles = new Map();
  const work = mkdtempSync(join(tmpdir(), "roster-codegen-"));
  try {
    const app = runCliCodegen(projectDir, join(work, "app"), convexDir, null);
    if (existsSync(join(convexDir, "convex.config.ts"))) {
      // An app with a convex.config.ts is a component tree: `convex dev` writes its API with `components`.
      app.set("api.js", appApiJs(cli));
      app.set("api.d.ts", appApiDts(cli, modulesOf(app.get("api.d.ts") ?? ""), components));
    }
    for (const [file, text] of app) files.set(`convex/_generated/${file}`, await format(text));

    for (const [index, component] of components.entries()) {
      const generated = runCliCodegen(projectDir, join(work, `component-${index}`), component.dir, {
        codegen: { fileType: "ts" },
      });
      generated.set("component.ts", componentTs(component, modulesOf(generated.get("api.ts") ?? "")));
      const dir = posix(relative(projectDir, join(component.dir, "_generated")));
      for (const [file, text] of generated) files.set(`${dir}/${file}`, await format(text));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return files;
}

/** The `_generated/` folders `files` belong to, relative to the project. */
export function generatedDirs(files: GeneratedFiles): string[] {
  return [...new Set([...files.keys()].map((file) => posix(dirname(file))))].sort();
}

/** Writes `files` under `projectDir` and removes any other file from their `_generated/` folders. */
export function writeGenerated(projectDir: string, files: GeneratedFiles): void {
  for (const dir of generatedDirs(files)) {
    const absolute = join(projectDir, dir);
    mkdirSync(absolute, { recursive: true });
    for (const file of readdirSync(absolute))
      if (!files.has(`${dir}/${file}`)) rmSync(join(absolute, file), { recursive: true, force: true });
  }
  for (const [file, text] of files) writeFileSync(join(projectDir, file), text);
}
