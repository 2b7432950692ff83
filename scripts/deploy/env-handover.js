// Evaluates the app's convex/convex.config.ts as a push evaluates it, and prints what Convex's own
// serialization makes of it: the app definition's `export()` (each mounted component with the env it
// hands over: `{ type: "envVar", name }` for `app.env.X`, `{ type: "value" }` for a literal) and each
// mounted component definition's `export()` (the env it declares). A deployment resolves a
// component's env only from what the app hands over, and convex-test has no component env at all,
// so this is where a variable the app forgot to pass shows. Bundled with the CLI's esbuild and the
// `@convex-dev/component-source` condition (as --live-component-sources does); each component
// definition the app imports gets the `componentDefinitionPath` and `defaultName` a push gives it.
// Run by scripts/deploy/check.ts: node env-handover.js <convex package dir> <project dir> <out dir>
// Prints one JSON line: { app, components: [{ name, path, definition }] } or { error }.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const [convexDir, projectDir, outDir] = process.argv.slice(2).map((arg) => resolve(arg));
if (!convexDir || !projectDir || !outDir)
  throw new Error("usage: node env-handover.js <convex package dir> <project dir> <out dir>");

const esbuild = createRequire(join(convexDir, "package.json"))("esbuild");
const appConfig = resolve(projectDir, "convex", "convex.config.ts");
const DEFINITION = "component-definition";

/** The app's imports of component definitions, each wrapped to carry its componentDefinitionPath. */
const componentDefinitions = {
  name: "component-definitions",
  setup(build) {
    build.onResolve({ filter: /convex\.config/ }, async (args) => {
      if (args.importer !== appConfig) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: DEFINITION };
    });
    build.onLoad({ filter: /.*/, namespace: DEFINITION }, (args) => {
      const definitionPath = relative(projectDir, dirname(args.path)).split(sep).join("/");
      return {
        contents: [
          `import definition from ${JSON.stringify(args.path)};`,
          `definition.componentDefinitionPath = ${JSON.stringify(definitionPath)};`,
          // As the deployment names a component mounted without a name: by its defineComponent name.
          "definition.defaultName = definition.export().name;",
          "export default definition;",
        ].join("\n"),
        resolveDir: dirname(args.path),
        loader: "js",
      };
    });
  },
};

const entry = `
import app from ${JSON.stringify(appConfig)};
const children = Array.isArray(app._childComponents) ? app._childComponents : null;
if (children === null) throw new Error("convex/server's app definition no longer keeps _childComponents: update scripts/deploy/env-handover.js");
console.log(JSON.stringify({
  app: app.export(),
  components: children.map(([name, definition]) => ({
    name,
    path: definition.componentDefinitionPath,
    definition: definition.export(),
  })),
}));
`;

try {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: projectDir, sourcefile: "env-handover-entry.js", loader: "js" },
    bundle: true,
    platform: "neutral",
    mainFields: ["module", "main"],
    format: "esm",
    target: "esnext",
    conditions: ["convex", "module", "@convex-dev/component-source"],
    plugins: [componentDefinitions],
    write: false,
    logLevel: "silent",
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "env-handover.mjs");
  writeFileSync(file, result.outputFiles[0].contents);
  await import(pathToFileURL(file).href);
} catch (error) {
  const messages = error.errors?.map((message) => {
    const where = message.location ? `${message.location.file}:${message.location.line}: ` : "";
    return `${where}${message.text}`;
  });
  console.log(JSON.stringify({ error: messages?.join("\n") ?? String(error instanceof Error ? error.message : error) }));
  process.exitCode = 1;
}
