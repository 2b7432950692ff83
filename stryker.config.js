// Mutation testing of the sync core (StrykerJS, vitest runner): `npm run test:mutation` (not part of `npm test`).
// Scores per file: `npm run test:mutation:report` after a run; the README keeps the last table.

/** The sync core this project pins at ≥ 95 % (issue 9 part 7). */
const core = ["convex/model/sync.ts", "convex/model/access.ts", "convex/model/memberships.ts", "convex/webhooks/*.ts"];

/** Files added to the core later (the helpers the permissions, 500-body and size-limit work adds, and the last-admin rule). */
const extra = [
  "convex/model/memberCount.ts",
  "convex/model/roles.ts",
  "convex/clerk/failures.ts",
  "convex/lib/bounded.ts",
  "convex/model/keepers.ts",
];

/**
 * The clerkSync component's modules (packages/clerk-sync): Stryker mutates its sandbox copy, and
 * Roster's tests see the mutants because scripts/mutation/vitest.config.ts resolves
 * convex-clerk-sync to the sandbox's packages/ (vite.config.ts `workspaceSources`), not to the
 * original that node_modules/convex-clerk-sync links to. Generated code, the schema and the
 * definition are left out, as convex/'s are.
 */
const component = [
  "packages/clerk-sync/src/component/**/*.ts",
  "!packages/clerk-sync/src/component/_generated/**",
  "!packages/clerk-sync/src/component/schema.ts",
  "!packages/clerk-sync/src/component/convex.config.ts",
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "scripts/mutation/vitest.config.ts" },
  mutate: [...core, ...extra, ...component, "!**/*.test.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // Reruns only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignorePatterns: ["dist", "reports", "artifacts", "bench/results.json", ".cache"],
};
