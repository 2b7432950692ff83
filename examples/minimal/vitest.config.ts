import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Convex's runtime shape for convex-test.
    environment: "edge-runtime",
    // Vite must transform both: convex-test and the component's `register` find modules with import.meta.glob.
    server: { deps: { inline: ["convex-test", "convex-clerk-sync"] } },
  },
});
