import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";
import mutationVitest from "./vitest.config";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));
/** stryker.config.js (plain JavaScript, which the scripts' TypeScript does not type). */
// @ts-expect-error -- stryker.config.js is plain JavaScript, without declarations
const { default: strykerConfig, CORE } = (await import("../../stryker.config.js")) as unknown as {
  default: { mutate: string[] };
  CORE: string[];
};

describe("the mutation run's wiring", () => {
  test("mutates the sync core where it lives now: the clerkSync component's files, each of them existing", () => {
    expect(strykerConfig.mutate).toEqual(CORE);
    for (const file of CORE) expect(existsSync(join(projectDir, file)), file).toBe(true);
    expect(CORE.every((file) => file.startsWith("packages/clerk-sync/src/"))).toBe(true);
    expect(CORE).toEqual(
      expect.arrayContaining([
        "packages/clerk-sync/src/component/model/sync.ts",
        "packages/clerk-sync/src/component/webhooks/ingest.ts",
        "packages/clerk-sync/src/component/lib/hooks.ts",
        "packages/clerk-sync/src/client/verify.ts",
      ]),
    );
  });

  test("runs Roster's tests and the component's, resolving the package to the copy Stryker mutates", () => {
    const { test: options, plugins } = mutationVitest as {
      test: { include: string[] };
      plugins: Array<{ name: string }>;
    };
    expect(options.include).toEqual(
      expect.arrayContaining(["convex/**/*.test.ts", "test/**/*.test.ts", "packages/*/src/**/*.test.ts"]),
    );
    // workspaceSources resolves convex-clerk-sync next to the config file (the sandbox's packages/), not through node_modules.
    expect(plugins.map((plugin) => plugin.name)).toContain("roster-workspace-sources");
  });

  test("a part run mutates the files named, with its own report and incremental file; none named is refused", async () => {
    const load = async () => {
      vi.resetModules();
      // @ts-expect-error -- part.config.js is plain JavaScript, without declarations
      return ((await import("./part.config.js")) as { default: Record<string, unknown> }).default;
    };
    vi.stubEnv("STRYKER_PART", "hooks");
    vi.stubEnv("STRYKER_FILES", `${CORE[0]},${CORE[1]}`);
    try {
      expect(await load()).toMatchObject({
        mutate: [CORE[0], CORE[1]],
        jsonReporter: { fileName: "reports/mutation/hooks.json" },
        incrementalFile: "reports/stryker-incremental-hooks.json",
        vitest: { configFile: "scripts/mutation/vitest.config.ts" },
      });
      vi.stubEnv("STRYKER_FILES", "");
      await expect(load()).rejects.toThrow("Name the files to mutate");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
