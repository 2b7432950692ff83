import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin, type UserConfig } from "vite";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
  plugins: [playgroundStandIns(), react(), tailwindcss()],
  // Also as an alias: the dependency optimizer of `vite` (dev) bundles convex-test without plugins.
  resolve: { alias: { "node:async_hooks": at("./playground/backend/asyncLocalStorage.ts") } },
  // Vite would bake `process.env` in as `{}`: read the environment workerGlobals.ts sets up instead.
  define: { "process.env": "(globalThis.process?.env ?? {})" },
  worker: { format: "es", plugins: () => [playgroundStandIns()] },
  build: { outDir: at("./artifacts/playground"), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: [at("./")] } },
  // Crawl the worker too, so the first `npm run dev` bundles every dependency up front (a late
  // discovery makes Vite re-optimize, and the worker would load stale dependency URLs).
  optimizeDeps: { entries: ["index.html", "backend/worker.ts"] },
};

/** The app's build: index.html → src/main.tsx only; the playground never lands in dist/. */
const app: UserConfig = {
  plugins: [react(), tailwindcss()],
  build: {
    // Report sizes so the README's "initial JS (gzip)" can be checked against `vite build`.
    reportCompressedSize: true,
  },
};

export default defineConfig(({ mode }) => (mode === "playground" ? playground : app));
