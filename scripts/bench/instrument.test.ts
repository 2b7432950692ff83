import { convexTest } from "convex-test";
import {
  componentsGeneric,
  createFunctionHandle,
  defineSchema,
  defineTable,
  makeFunctionReference,
  type FunctionReference,
  mutationGeneric,
  queryGeneric,
} from "convex/server";
import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import { crossCheckCalls, instrumentModules, Recorder, type CallRecord } from "./instrument";
import { figuresOf } from "./run";

// A two-scope deployment as small as can be: an app whose mutation calls a component's mutation,
// which calls back into the app through a function handle (as clerkSync calls Roster's change
// hook), and an app query reading through the component.
type AnyMutation = FunctionReference<"mutation", "internal">;
type AnyQuery = FunctionReference<"query", "internal">;
const components = componentsGeneric() as unknown as { lib: { items: Record<string, unknown> } };
const appSchema = defineSchema({ notes: defineTable({ text: v.string() }) });
const componentSchema = defineSchema({ items: defineTable({ text: v.string() }) });

const appModules = {
  "./app/_generated/server.ts": () => Promise.resolve({}),
  "./app/notes.ts": () =>
    Promise.resolve({
      hook: mutationGeneric({
        args: { text: v.string() },
        handler: async (ctx, { text }) => {
          await ctx.db.insert("notes", { text });
        },
      }),
      viaComponent: mutationGeneric({
        args: {},
        handler: async (ctx) => {
          const handle = await createFunctionHandle(makeFunctionReference<"mutation">("notes:hook"));
          await ctx.runMutation(components.lib.items.add as AnyMutation, { text: "a", handle });
          await ctx.scheduler.runAfter(0, makeFunctionReference<"mutation">("notes:hook"), { text: "later" });
        },
      }),
      count: queryGeneric({
        args: {},
        handler: async (ctx) => {
          const own = await ctx.db.query("notes").collect();
          const theirs = (await ctx.runQuery(components.lib.items.list as AnyQuery, {})) as unknown[];
          return own.length + theirs.length;
        },
      }),
    }),
};

const componentModules = {
  "./lib/_generated/server.ts": () => Promise.resolve({}),
  "./lib/items.ts": () =>
    Promise.resolve({
      add: mutationGeneric({
        args: { text: v.string(), handle: v.string() },
        handler: async (ctx, { text, handle }) => {
          await ctx.db.insert("items", { text });
          await ctx.runMutation(handle as unknown as AnyMutation, { text });
        },
      }),
      list: queryGeneric({
        args: {},
        handler: async (ctx) => {
          const items: unknown[] = await ctx.db.query("items").collect();
          return items;
        },
      }),
    }),
};

function backend(recorder: Recorder) {
  const t = convexTest({ schema: appSchema, modules: instrumentModules(appModules, recorder) });
  t.registerComponent("lib", componentSchema, instrumentModules(componentModules, recorder, "lib"));
  return t;
}

const byName = (calls: CallRecord[], fn: string) => calls.filter((c) => c.fn === fn);

describe("counting across a component boundary", () => {
  test("records who called whom, in which scope, and which calls cross the boundary", async () => {
    const recorder = new Recorder();
    const t = backend(recorder);
    const { calls } = await recorder.during(() =>
      t.mutation(makeFunctionReference<"mutation">("notes:viaComponent"), {}),
    );
    const [outer] = byName(calls, "notes:viaComponent");
    const [add] = byName(calls, "items:add");
    const [hook] = byName(calls, "notes:hook");
    expect(outer).toMatchObject({ scope: "app", kind: "mutation", parent: null, boundary: false });
    expect(add).toMatchObject({ scope: "lib", parent: outer?.id, via: "runMutation", boundary: true });
    expect(hook).toMatchObject({ scope: "app", parent: add?.id, via: "runMutation", boundary: true });
    // Each side's writes are its own: the component's item, the app's note written by the hook.
    expect(add?.counts.byTable).toEqual({ items: { reads: 0, writes: 1 } });
    expect(hook?.counts.byTable).toEqual({ notes: { reads: 0, writes: 1 } });
    expect(figuresOf(calls)).toMatchObject({
      writes: 2,
      app: { reads: 0, writes: 1 },
      component: { reads: 0, writes: 1 },
      byTable: { notes: { reads: 0, writes: 1 }, "lib:items": { reads: 0, writes: 1 } },
      boundary: { toComponent: 1, toComponentMutations: 1, toApp: 1 },
      transactions: 1,
    });
    // convex-test's metrics for the outer call include its nested calls: the wrapper's agree, summed.
    expect(crossCheckCalls(calls)).toEqual([]);
  });

  test("a scheduled function is a transaction of its own, called by no one", async () => {
    const recorder = new Recorder();
    const t = backend(recorder);
    await t.mutation(makeFunctionReference<"mutation">("notes:viaComponent"), {});
    const { calls } = await recorder.during(() => t.finishAllScheduledFunctions(() => {}));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ fn: "notes:hook", parent: null, via: null, boundary: false });
    expect(figuresOf(calls)).toMatchObject({ transactions: 1, boundary: { toComponent: 0, toApp: 0 } });
  });

  test("a query's calls into the component are counted, with the component's reads apart", async () => {
    const recorder = new Recorder();
    const t = backend(recorder);
    await t.mutation(makeFunctionReference<"mutation">("notes:viaComponent"), {});
    const { result, calls } = await recorder.during(() => t.query(makeFunctionReference<"query">("notes:count"), {}));
    expect(result).toBe(2);
    expect(figuresOf(calls)).toMatchObject({
      reads: 2,
      app: { reads: 1, writes: 0 },
      component: { reads: 1, writes: 0 },
      boundary: { toComponent: 1, toComponentMutations: 0, toApp: 0 },
      transactions: 0,
    });
    expect(crossCheckCalls(calls)).toEqual([]);
  });
});
