/**
 * `register(t)`: mounts the component on a convex-test instance, as `app.use(clerkSync)` mounts it
 * on a deployment. For Vitest (Vite transforms `import.meta.glob`); under plain Node pass `modules`.
 */
import type { TestConvex } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import type { MutationCtx } from "./component/_generated/server.js";
import schema from "./component/schema.js";

/** What a convex-test instance needs to be for `register` and `runInComponent`. */
export type TestConvexInstance = TestConvex<SchemaDefinition<GenericSchema, boolean>>;

/** The component's modules as convex-test wants them (tests left out). */
export type ComponentModules = Record<string, () => Promise<unknown>>;

/** Every module of src/component (Vite 8 drops `!(…)` globs: the exclusion is a pattern of its own). */
function componentModules(): ComponentModules {
  return import.meta.glob(["./component/**/*.*s", "!./component/**/*.test.*s", "!./component/**/*.d.ts"]);
}

/**
 * Registers the component on `t` under `name` (the name the app's `app.use` gives it; "clerkSync"
 * by default). `modules` replaces the component's own, e.g. instrumented ones for the bench.
 */
export function register(
  t: TestConvexInstance,
  name = "clerkSync",
  modules: ComponentModules = componentModules(),
): void {
  t.registerComponent(name, schema, modules);
}

/**
 * Runs `work` in one transaction inside the mounted component, with its tables (`ctx.db`), as
 * convex-test's `t.runInComponent` does (which convex-test 0.0.70 does not type).
 */
export async function runInComponent<Output>(
  t: TestConvexInstance,
  work: (ctx: MutationCtx) => Promise<Output>,
  name = "clerkSync",
): Promise<Output> {
  const untyped = t as unknown as {
    runInComponent: (name: string, work: (ctx: MutationCtx) => Promise<Output>) => Promise<Output>;
  };
  return await untyped.runInComponent(name, work);
}

export { schema };
export default { register, runInComponent, schema };
