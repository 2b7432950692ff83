import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { workspaceSources } from "../../vite.config.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

// The backend project of vitest.config.ts alone, for Stryker (its vitest runner has no --project).
// The benchmark and the deploy check are left out: they time things or bundle the whole backend.
// The property-based hostile-input suite tries 5 cases per property instead of 20: it runs for
// nearly every mutant (it covers all of the webhook path), and 20 made a run take hours here.
// workspaceSources() resolves convex-clerk-sync to the packages/ folder of this config's own copy of
// the project: Stryker's sandbox, whose mutated component files Roster's tests must run.
export default defineConfig({
  root,
  plugins: [workspaceSources()],
  test: {
    name: "backend",
    include: ["convex/**/*.test.ts", "packages/*/src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    // The doctor finds the component through node_modules, which links to the original, not the sandbox.
    exclude: [
      "**/node_modules/**",
      "scripts/bench/**",
      "scripts/deploy/**",
      "scripts/doctor/**",
      "scripts/doctor.test.ts",
    ],
    environment: "edge-runtime",
    env: { HOSTILE_RUNS: "5" },
    // Stryker's own timeout decides when a mutant hangs; the 5 s default fails slow tests on a busy machine.
    testTimeout: 60_000,
    server: { deps: { inline: ["convex-test"] } },
  },
});
