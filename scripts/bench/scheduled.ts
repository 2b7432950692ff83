/**
 * Runs a convex-test backend's scheduled functions to the end, with real timers.
 *
 * `finishAllScheduledFunctions` alone is not enough: convex-test pins each transaction's clock at
 * or after the previous commit, so after many fast transactions its clock runs ahead of the wall
 * clock, a `runAfter(0)` is due a few milliseconds "in the future", and after 20 idle turns
 * `finishAllScheduledFunctions` returns with that job still pending. A long cascade (100 batches)
 * then looks unfinished. This waits for the wall clock to reach the next job and goes on.
 */
import type { TestConvex } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";

type Backend = TestConvex<SchemaDefinition<GenericSchema, boolean>>;

/** Runs every scheduled function, and those they schedule, until none is pending or running. */
export async function runScheduledToEnd(t: Backend, { timeoutMs = 600_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.finishAllScheduledFunctions(() => {}, 1_000_000);
    const next = await t.run(async (ctx) => {
      let due: number | null = null;
      for await (const job of ctx.db.system.query("_scheduled_functions")) {
        if (job.state.kind === "pending" || job.state.kind === "inProgress")
          due = Math.min(due ?? Infinity, job.scheduledTime);
      }
      return due;
    });
    if (next === null) return;
    if (Date.now() > deadline) throw new Error(`scheduled functions still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(next - Date.now()) + 1)));
  }
}
