// Bundles a component's Convex entry points as `convex dev` / `convex deploy` bundle them before a
// push, into a folder shaped like `--debug-bundle-path`'s (fullConfig.json + isolate/<path>.js), so
// load-bundle.js can load them. The CLI bundles components too but writes only the app's modules to
// --debug-bundle-path; this runs the same esbuild (the one the CLI depends on) with the same options
// as the CLI's innerEsbuild (node_modules/convex/dist/esm/bundler/debugBundle.js), called as
// bundleImplementations calls it for a component (platform "browser", source maps, the
// `@convex-dev/component-source` condition of --live-component-sources) and the CLI's own
// server-only and wasm plugins. If the installed CLI's options differ from the ones copied here,
// it stops and says so, rather than checking with other settings than a deploy uses.
// Run by scripts/deploy/check.ts: node bundle-component.js <convex package dir> <component dir> <out dir> <entry>...
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const [convexDir, componentDir, outDir, ...entryPoints] = process.argv.slice(2);
if (!convexDir || !componentDir || !outDir)
  throw new Error("usage: node bundle-component.js <convex package dir> <component dir> <out dir> <entry>...");

/** innerEsbuild's options and async-hooks shim in the CLI this was written against (convex 1.49). */
const CLI_SOURCE_EXPECTED = [
  `const result = await esbuild.build({
    entryPoints,
    bundle: true,
    platform,
    format: "esm",
    target: "esnext",
    jsx: "automatic",
    outdir: "out",
    outbase: dir,
    conditions: ["convex", "module", ...extraConditions],
    plugins: [nodeShimsPlugin, ...plugins],
    write: false,
    sourcemap: generateSourceMaps,
    sourcesContent: includeSourcesContent,
    splitting,
    chunkNames: path.join(chunksFolder, "[hash]"),
    treeShaking: true,
    minifySyntax: true,
    minifyIdentifiers: true,`,
  `minifyWhitespace: false,`,
  `keepNames: true,
    define: {
      "process.env.NODE_ENV": '"production"'
    },
    metafile: true,`,
  `const asyncHooksFilter = /^(node:)?async_hooks$/;`,
  `export const AsyncLocalStorage = globalThis.AsyncLocalStorage;
            export const AsyncResource = globalThis.AsyncResource;
            export default { AsyncLocalStorage, AsyncResource };`,
];
const bundlerDir = join(convexDir, "dist", "esm", "bundler");
const cliSource = readFileSync(join(bundlerDir, "debugBundle.js"), "utf8");
const changed = CLI_SOURCE_EXPECTED.filter((text) => !cliSource.includes(text));
if (changed.length > 0) {
  console.error(
    `The Convex CLI's esbuild settings changed (${join(bundlerDir, "debugBundle.js")}, innerEsbuild): ` +
      `update scripts/deploy/bundle-component.js to match. Not found:\n${changed.join("\n---\n")}`,
  );
  process.exit(2);
}

const esbuild = createRequire(join(convexDir, "package.json"))("esbuild");
const { serverOnlyPlugin } = await import(pathToFileURL(join(bundlerDir, "serverOnly.js")).href);
const { wasmPlugin } = await import(pathToFileURL(join(bundlerDir, "wasm.js")).href);

/** innerEsbuild's nodeShimsPlugin for the browser platform: async_hooks from the runtime's globals. */
const nodeShimsPlugin = {
  name: "convex-async-hooks-shim",
  setup(build) {
    build.onResolve({ filter: /^(node:)?async_hooks$/ }, (args) => ({
      path: args.path,
      namespace: "async-hooks-shim",
    }));
    build.onLoad({ filter: /.*/, namespace: "async-hooks-shim" }, () => ({
      contents: `
            export const AsyncLocalStorage = globalThis.AsyncLocalStorage;
            export const AsyncResource = globalThis.AsyncResource;
            export default { AsyncLocalStorage, AsyncResource };
          `,
      loader: "js",
    }));
  },
};

const dir = resolve(componentDir);
let result;
try {
  result = await esbuild.build({
    entryPoints: entryPoints.map((entry) => resolve(dir, entry)),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "esnext",
    jsx: "automatic",
    outdir: "out",
    outbase: dir,
    conditions: ["convex", "module", "@convex-dev/component-source"],
    plugins: [nodeShimsPlugin, serverOnlyPlugin, wasmPlugin],
    write: false,
    sourcemap: true,
    sourcesContent: false,
    splitting: true,
    chunkNames: join("_deps", "[hash]"),
    treeShaking: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    minifyWhitespace: false,
    keepNames: true,
    define: { "process.env.NODE_ENV": '"production"' },
    metafile: true,
    logLevel: "silent",
  });
} catch (error) {
  // esbuild's own messages name the file, line and what could not be resolved.
  const messages = error.errors ?? [{ text: String(error) }];
  for (const message of messages) {
    const where = message.location ? `${resolve(message.location.file)}:${message.location.line}: ` : "";
    console.error(`${where}${message.text}`);
  }
  process.exit(1);
}

const modules = [];
for (const file of result.outputFiles) {
  const path = relative(resolve("out"), file.path).split(sep).join("/");
  const target = join(outDir, "isolate", path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.contents);
  if (!path.endsWith(".map")) modules.push({ path, environment: "isolate" });
}
writeFileSync(join(outDir, "fullConfig.json"), JSON.stringify({ modules }));
console.log(JSON.stringify({ modules: modules.map((module) => module.path) }));
