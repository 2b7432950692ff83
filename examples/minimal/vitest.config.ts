import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // What a passing test logs (the component's one-line notices, such as the pinned Clerk instance) is not shown.
    silent: "passed-only",
    // Convex's runtime shape for convex-test.
    environment: "edge-runtime",
    // Vite must transform both: convex-test and the component's `register` find modules with import.meta.glob.
    server: { deps: { inline: ["convex-test", "convex-clerk-sync"] } },
  },
});
