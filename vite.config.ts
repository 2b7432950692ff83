import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin, type UserConfig } from "vite";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The export condition under which a component package points at its TypeScript source. */
export const SOURCE_CONDITION = "@convex-dev/component-source";

/**
 * Resolves the workspace's packages (packages/*: `convex-clerk-sync`, `convex-clerk-sync/test`, …)
 * to their source through their exports' `@convex-dev/component-source` condition, in the packages/
 * folder next to THIS config file. Vite's own resolver would follow node_modules/convex-clerk-sync,
 * a symlink npm made to the original packages/clerk-sync: in Stryker's sandbox (a copy of the
 * project whose node_modules links back to the original one) Roster's tests would then run the
 * original component files, never the mutated copies.
 */
export function workspaceSources(): Plugin {
  const packagesDir = at("./packages");
  const packages = new Map<string, { dir: string; exports: Record<string, unknown> }>();
  for (const entry of existsSync(packagesDir) ? readdirSync(packagesDir, { withFileTypes: true }) : []) {
    const manifest = join(packagesDir, entry.name, "package.json");
    if (!entry.isDirectory() || !existsSync(manifest)) continue;
    const { name, exports } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; exports?: unknown };
    if (typeof exports === "object" && exports !== null)
      packages.set(name, { dir: join(packagesDir, entry.name), exports: exports as Record<string, unknown> });
  }
  return {
    name: "roster-workspace-sources",
    enforce: "pre",
    resolveId(source) {
      for (const [name, { dir, exports }] of packages) {
        if (source !== name && !source.startsWith(`${name}/`)) continue;
        const subpath = `.${source.slice(name.length)}`;
        const target = exports[subpath];
        const file =
          typeof target === "string"
            ? target
            : typeof target === "object" && target !== null
              ? (target as Record<string, unknown>)[SOURCE_CONDITION]
              : undefined;
        if (typeof file !== "string")
          throw new Error(`${name} exports no "${subpath}" with the ${SOURCE_CONDITION} condition`);
        return join(dir, file);
      }
      return null;
    },
  };
}

/**
 * The playground's stand-ins, by what the app imports: the simulated Clerk for `@clerk/react`,
 * the hooks over the in-browser deployment for src/lib/convex.ts, and a browser AsyncLocalStorage
 * for convex-test's `node:async_hooks`.
 */
function playgroundStandIns(): Plugin {
  const STAND_INS: Record<string, string> = {
    "@clerk/react": at("./test/react/clerkMock.tsx"),
    "node:async_hooks": at("./playground/backend/asyncLocalStorage.ts"),
  };
  const appConvexHooks = at("./src/lib/convex.ts");
  const testConvexHooks = at("./test/react/convexTestHooks.tsx");
  return {
    name: "roster-playground-stand-ins",
    enforce: "pre",
    async resolveId(source, importer, options) {
      const standIn = STAND_INS[source];
      if (standIn !== undefined) return standIn;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === appConvexHooks ? testConvexHooks : null;
    },
  };
}

/**
 * `vite --mode playground` (what `npm run dev` runs when no Convex deployment is configured):
 * playground/index.html, Roster's real views over its real Convex functions running in a Web
 * Worker, a simulated Clerk. Built only into artifacts/playground (the browser check), never dist/.
 */
const playground: UserConfig = {
  root: at("./playground"),
  publicDir: at("./public"),
  envDir: at("./playground"),
  plugins: [workspaceSources(), playgroundStandIns(), react(), tailwindcss()],
  // Also as an alias: the dependency optimizer of `vite` (dev) bundles convex-test without plugins.
  resolve: { alias: { "node:async_hooks": at("./playground/backend/asyncLocalStorage.ts") } },
  // Vite would bake `process.env` in as `{}`: read the environment workerGlobals.ts sets up instead.
  define: { "process.env": "(globalThis.process?.env ?? {})" },
  worker: { format: "es", plugins: () => [workspaceSources(), playgroundStandIns()] },
  build: { outDir: at("./artifacts/playground"), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: [at("./")] } },
  // Crawl the worker too, so the first `npm run dev` bundles every dependency up front (a late
  // discovery makes Vite re-optimize, and the worker would load stale dependency URLs).
  optimizeDeps: { entries: ["index.html", "backend/worker.ts"] },
};

/** The app's build: index.html → src/main.tsx only; the playground never lands in dist/. */
const app: UserConfig = {
  plugins: [workspaceSources(), react(), tailwindcss()],
  build: {
    // Report sizes so the README's "initial JS (gzip)" can be checked against `vite build`.
    reportCompressedSize: true,
  },
};

export default defineConfig(({ mode }) => (mode === "playground" ? playground : app));
