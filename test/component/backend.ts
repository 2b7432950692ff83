/// <reference types="vite/client" />
/**
 * The component-root test backend: the clerkSync component's schema and modules run as a
 * convex-test deployment of their own, so the engine's tests call `internal.*` / `api.*` from the
 * component's `_generated/api` and read its tables with `t.run(ctx => ctx.db…)` as they did when
 * the engine lived in Roster's `convex/`. Two test-only modules join the component's (never
 * packaged: they live here): `http` mounts the client library's real webhook route on
 * /clerk-webhook, and `testing/hooks` holds an app's stand-in change hooks.
 *
 * The config singleton is stored before the backend is handed out: `onChange: null` (no hooks) by
 * default, or `hook: "record"` (every change written to `hookCalls`, read with `hookCalls(t)`) or
 * `hook: "reject"` (every change refused) or `hook: "refuseMarked"` (the changes of rows whose Clerk id
 * is marked refused). `setHook` switches later.
 */
import { convexTest } from "convex-test";
import { createFunctionHandle, defineSchema, defineTable, makeFunctionReference } from "convex/server";
import { v } from "convex/values";
import { vi } from "vitest";
import type { Change } from "../../packages/clerk-sync/src/component/lib/hooks";
import type { MutationCtx } from "../../packages/clerk-sync/src/component/_generated/server";
import componentSchema from "../../packages/clerk-sync/src/component/schema";

const ROOT = "../../packages/clerk-sync/src/component/";

/** The component's modules as convex-test wants them (tests left out; Vite 8 drops `!(…)` globs, so each exclusion is a pattern of its own). */
export const componentModules = import.meta.glob([
  "../../packages/clerk-sync/src/component/**/*.*s",
  "!../../packages/clerk-sync/src/component/**/*.test.*s",
  "!../../packages/clerk-sync/src/component/**/*.d.ts",
]);

/** The component's modules and the two test-only ones, under the component's root. */
export const modules: Record<string, () => Promise<unknown>> = {
  ...componentModules,
  [`${ROOT}http.ts`]: () => import("./http"),
  [`${ROOT}testing/hooks.ts`]: () => import("./hooks"),
};

/** The component's tables, and `hookCalls` where the recording hook writes (test-only). */
export const testSchema = defineSchema({
  ...componentSchema.tables,
  hookCalls: defineTable({ change: v.any() }),
});

/** Every table of the component (not the test's `hookCalls`). */
export const COMPONENT_TABLES = Object.keys(componentSchema.tables) as Array<keyof typeof componentSchema.tables>;

/** Convex's per-transaction limits, as convex-test names them (documents and bytes read and written, …). */
export type TransactionLimits = Exclude<Parameters<typeof convexTest>[0]["transactionLimits"], boolean | undefined>;

/** Which app hook the backend's config names: none (`onChange: null`), one that records, one that throws, one that throws on marked rows (test/component/hooks.ts). */
export type HookMode = "none" | "record" | "reject" | "refuseMarked";

function newTestConvex(limits: TransactionLimits) {
  return convexTest({ schema: testSchema, modules, transactionLimits: limits });
}
export type Backend = ReturnType<typeof newTestConvex>;

/**
 * A fresh backend with the component's schema and functions under Convex's per-transaction limits
 * (`{}`: every default limit; a key given replaces that one), its config stored with `hook`.
 */
export async function newBackend(
  limits: TransactionLimits = {},
  { hook = "none" }: { hook?: HookMode } = {},
): Promise<Backend> {
  const t = newTestConvex(limits);
  // convex-test dates a transaction no earlier than the last commit, and a second commit in the
  // same millisecond pushes the next transaction a millisecond on. Under fake timers the setup's
  // commit is dated a millisecond early, so the test's own transactions run at the time it set.
  if (vi.isFakeTimers()) {
    const now = Date.now();
    vi.setSystemTime(now - 1);
    try {
      await setHook(t, hook);
    } finally {
      vi.setSystemTime(now);
    }
  } else {
    await setHook(t, hook);
  }
  return t;
}

/** Stores the config naming `hook` as the app's onChange (as the client's `storeHandles` does). */
export async function setHook(t: Backend, hook: HookMode): Promise<void> {
  await t.run(async (ctx) => {
    const onChange =
      hook === "none" ? null : await createFunctionHandle(makeFunctionReference<"mutation">(`testing/hooks:${hook}`));
    const row = await ctx.db.query("config").first();
    if (row === null) await ctx.db.insert("config", { handles: { onChange } });
    else await ctx.db.patch("config", row._id, { handles: { onChange } });
  });
}

/** Every change the recording hook received, in order. */
export async function hookCalls(t: Backend): Promise<Change[]> {
  return await t.run(async (ctx) => (await ctx.db.query("hookCalls").collect()).map((row) => row.change as Change));
}

/** Forgets the recorded changes (to assert on what one step does). */
export async function clearHookCalls(t: Backend): Promise<void> {
  await t.run(async (ctx) => {
    for (const row of await ctx.db.query("hookCalls").collect()) await ctx.db.delete("hookCalls", row._id);
  });
}

export {
  deliver,
  FOREIGN_SECRET,
  newSvixId,
  OTHER_SECRET,
  postEvent,
  SECRET,
  svixHeaders,
  type SignOptions,
} from "../webhookRequests";

/** Rows one seeding transaction writes at most: well under the 16,000 documents a transaction may write. */
export const SEED_BATCH = 1_000;

/**
 * Seeds a large fixture: `insert(ctx, i)` for i = 0 … count - 1, `batch` per transaction (`t.run`
 * is a transaction under the same limits as any function). The one way the engine's tests seed in bulk.
 */
export async function seedInBatches(
  t: Backend,
  count: number,
  insert: (ctx: MutationCtx, i: number) => Promise<unknown>,
  batch = SEED_BATCH,
): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    await t.run(async (ctx) => {
      for (let i = start; i < Math.min(start + batch, count); i += 1) await insert(ctx, i);
    });
  }
}

/** The component's tables but its config singleton (which every backend holds from the start). */
export const STATE_TABLES = COMPONENT_TABLES.filter((table) => table !== "config");

/** How many rows the given tables hold together (every table but the config singleton when none are named). */
export async function countRows(t: Backend, tables: readonly string[] = STATE_TABLES): Promise<number> {
  return await t.run(async (ctx) => {
    let total = 0;
    for (const table of tables)
      total += (await ctx.db.query(table as keyof typeof componentSchema.tables).collect()).length;
    return total;
  });
}
