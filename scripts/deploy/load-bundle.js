// Loads every Convex-runtime entry point of a `convex dev --debug-bundle-path` folder in a fresh
// V8 context that has the web APIs the Convex runtime provides and none of Node's own globals
// (Buffer, require, __dirname, setImmediate; `process` holds only `env`), as the deployment does
// when it analyses a push. Prints one JSON line per entry point: { path, ok, error?, exports? }.
// Run by scripts/deploy/check.ts as `node --experimental-vm-modules load-bundle.js <bundle dir>`.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import vm from "node:vm";

const WEB_GLOBALS = [
  "AbortController",
  "AbortSignal",
  "Blob",
  "Event",
  "EventTarget",
  "File",
  "FormData",
  "Headers",
  "ReadableStream",
  "Request",
  "Response",
  "TextDecoder",
  "TextEncoder",
  "TransformStream",
  "URL",
  "URLSearchParams",
  "WritableStream",
  "atob",
  "btoa",
  "clearInterval",
  "clearTimeout",
  "console",
  "crypto",
  "fetch",
  "performance",
  "queueMicrotask",
  "setInterval",
  "setTimeout",
  "structuredClone",
];

const bundleDir = process.argv[2];
if (!bundleDir) throw new Error("usage: node --experimental-vm-modules load-bundle.js <bundle dir>");
/** A fresh context and module map per entry point, so each reports its own root cause. */
function newRealm() {
  const sandbox = Object.fromEntries(WEB_GLOBALS.map((name) => [name, globalThis[name]]));
  sandbox.process = { env: {} };
  const context = vm.createContext(sandbox);
  const modules = new Map();
  const load = (file) => {
    let module = modules.get(file);
    if (!module) {
      module = new vm.SourceTextModule(readFileSync(file, "utf8"), { identifier: file, context });
      modules.set(file, module);
    }
    return module;
  };
  const link = (specifier, referencing) => {
    if (!specifier.startsWith(".")) {
      throw new Error(`imports "${specifier}", which is not in the bundle (the Convex runtime resolves nothing else)`);
    }
    return load(resolve(dirname(referencing.identifier), specifier));
  };
  return { load, link };
}

const config = JSON.parse(readFileSync(resolve(bundleDir, "fullConfig.json"), "utf8"));
for (const { path, environment } of config.modules) {
  if (environment !== "isolate" || path.startsWith("_deps/")) continue;
  try {
    const { load, link } = newRealm();
    const module = load(resolve(bundleDir, "isolate", path));
    await module.link(link);
    await module.evaluate();
    const namespace = module.namespace;
    const exports = Object.keys(namespace);
    if (path === "http.js" && namespace.default?.isRouter !== true)
      throw new Error("its default export is not an httpRouter()");
    if (path === "crons.js" && namespace.default?.isCrons !== true)
      throw new Error("its default export is not a cronJobs()");
    console.log(JSON.stringify({ path, ok: true, exports }));
  } catch (error) {
    console.log(JSON.stringify({ path, ok: false, error: String(error) }));
  }
}
