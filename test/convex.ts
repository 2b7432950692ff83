/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { register } from "convex-clerk-sync/test";
import type { TableNames } from "../convex/_generated/dataModel";
import schema from "../convex/schema";

/** Every Convex module, for convex-test (Vite 8 drops `!(…)` globs, so the exclusion is a pattern of its own). */
export const modules = import.meta.glob(["../convex/**/*.*s", "!../convex/**/*.test.*s"]);

/**
 * A fresh Convex backend with Roster's schema and functions, and the clerkSync component mounted
 * as convex/convex.config.ts mounts it. With `transactionLimits`, every transaction (mutation,
 * query, scheduled run) that reads or writes more than allowed throws.
 */
export function newBackend(transactionLimits?: { documentsRead?: number; documentsWritten?: number }) {
  const t = transactionLimits ? convexTest({ schema, modules, transactionLimits }) : convexTest(schema, modules);
  register(t);
  return t;
}
export type Backend = ReturnType<typeof newBackend>;

export {
  deliver,
  FOREIGN_SECRET,
  newSvixId,
  OTHER_SECRET,
  postEvent,
  SECRET,
  svixHeaders,
  type SignOptions,
} from "./webhookRequests";

/** How many rows the given tables hold together (all tables when none are named). */
export async function countRows(t: Backend, tables: TableNames[] = Object.keys(schema.tables) as TableNames[]) {
  return await t.run(async (ctx) => {
    let total = 0;
    for (const table of tables) total += (await ctx.db.query(table).collect()).length;
    return total;
  });
}
