/**
 * The plain upsert app's module map for convex-test. It has no generated code of its own (its
 * functions are named by `makeFunctionReference`), but convex-test finds a module map's root
 * from its `_generated` entry: an empty one marks it.
 */
import type { ModuleMap } from "../instrument";

export const plainModules: ModuleMap = {
  "./plain/_generated/server.ts": () => Promise.resolve({}),
  "./plain/http.ts": () => import("./http"),
  "./plain/users.ts": () => import("./users"),
};
