// Mutation testing of the sync core (StrykerJS, vitest runner): `npm run test:mutation` (not part of `npm test`).
// Scores per file: `npm run test:mutation:report` after a run; the README keeps the last table.

/**
 * The sync core, pinned at ≥ 95 % per file: the engine's modules as they moved into the clerkSync
 * component (packages/clerk-sync), with the client's webhook verification. Stryker mutates its
 * sandbox copy, and Roster's tests see the mutants because scripts/mutation/vitest.config.ts
 * resolves convex-clerk-sync to the sandbox's packages/ (vite.config.ts `workspaceSources`), not to
 * the original that node_modules/convex-clerk-sync links to.
 */
/** @type {string[]} */
export const CORE = [
  "component/model/sync.ts",
  "component/model/memberships.ts",
  "component/model/access.ts",
  "component/model/memberCount.ts",
  "component/model/keepers.ts",
  "component/model/roles.ts",
  "component/webhooks/ingest.ts",
  "component/webhooks/instance.ts",
  "component/webhooks/kept.ts",
  "component/webhooks/log.ts",
  "component/lib/bounded.ts",
  "component/lib/hooks.ts",
  // The app's handles: config.ts only declares config:get and config:store; the logic is here.
  "component/lib/handles.ts",
  "client/verify.ts",
  // The webhook route, explicit-cursor lists, per-event hooks and the drift watch (issues 16 and 17).
  "client/routes.ts",
  "client/events.ts",
  "component/lib/cursor.ts",
  "component/webhooks/eventHook.ts",
  "component/clerk/drift.ts",
  // The durable queue of scheduled work that calls the hooks (cascades, renames, fetches).
  "component/lib/queue.ts",
  "component/work.ts",
].map((path) => `packages/clerk-sync/src/${path}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "scripts/mutation/vitest.config.ts" },
  mutate: CORE,
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
