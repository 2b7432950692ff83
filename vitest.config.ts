import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { workspaceSources } from "./vite.config.ts";

export default defineConfig({
  test: {
    // What a passing test logs (a deployment's one-line notices, such as the pinned Clerk instance)
    // is not shown; a failing test shows everything it logged. Expected errors are asserted on.
    silent: "passed-only",
    projects: [
      {
        // The Convex functions (Roster's and the component's), run for real by convex-test in Convex's runtime shape.
        plugins: [workspaceSources()],
        test: {
          name: "backend",
          include: [
            "convex/**/*.test.ts",
            "packages/*/src/**/*.test.ts",
            "test/**/*.test.ts",
            "scripts/**/*.test.ts",
            "playground/**/*.test.ts",
          ],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        // The React client, in a DOM.
        plugins: [workspaceSources(), react()],
        test: {
          name: "client",
          include: ["src/**/*.test.tsx", "src/**/*.test.ts", "test/react/**/*.test.tsx"],
          environment: "jsdom",
          setupFiles: ["test/react/setup.ts"],
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        // The built app and its preview entry in headless Chromium (scripts/browser-check.ts).
        plugins: [workspaceSources()],
        test: {
          name: "browser",
          include: ["scripts/browser-check.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 240_000,
          server: { deps: { inline: ["convex-test"] } },
        },
      },
    ],
  },
});
