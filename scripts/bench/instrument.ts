/**
 * Instruments a convex-test module map: every registered query and mutation runs with a
 * counting `ctx.db` (see countingDb.ts), and each call is recorded with its function name,
 * documents read and written, time, and — as a cross-check of the wrapper — convex-test's own
 * transaction metrics. No backend code changes: convex-test calls the function's `_handler`,
 * and the copy of each function handed to it has a wrapped one.
 */
import { countingDb, emptyCounts, type DbCounts } from "./countingDb";

export type ModuleMap = Record<string, () => Promise<unknown>>;

/** One query or mutation that ran (a webhook's ingest, a scheduled batch, a page of a query). */
export type CallRecord = {
  /** `webhooks/ingest:apply`, `cascades:removeChildren` … */
  fn: string;
  kind: "query" | "mutation";
  counts: DbCounts;
  /** Documents convex-test's transaction tracker saw read and written (null when it is unavailable). */
  tracked: { documentsRead: number; documentsWritten: number } | null;
  ms: number;
  /** The error message when the function threw (its writes were rolled back). */
  error: string | null;
};

/** Collects the calls made while it is listening. */
export class Recorder {
  calls: CallRecord[] = [];

  /** Runs `work` and returns what it returned and the calls made meanwhile. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; calls: CallRecord[] }> {
    const start = this.calls.length;
    const result = await work();
    return { result, calls: this.calls.slice(start) };
  }
}

type Registered = ((...args: unknown[]) => unknown) & {
  isQuery?: boolean;
  isMutation?: boolean;
  _handler?: (ctx: Record<string, unknown>, args: unknown) => Promise<unknown>;
};

type TransactionMetrics = Record<"documentsRead" | "documentsWritten", { used: number }>;

async function trackedMetrics(ctx: Record<string, unknown>): Promise<CallRecord["tracked"]> {
  const meta = ctx.meta as { getTransactionMetrics?: () => Promise<TransactionMetrics> } | undefined;
  if (typeof meta?.getTransactionMetrics !== "function") return null;
  try {
    const metrics = await meta.getTransactionMetrics();
    return { documentsRead: metrics.documentsRead.used, documentsWritten: metrics.documentsWritten.used };
  } catch {
    return null;
  }
}

function instrumentFunction(func: Registered, name: string, recorder: Recorder): Registered {
  const handler = func._handler;
  if (handler === undefined || !(func.isQuery === true || func.isMutation === true)) return func;
  const kind = func.isMutation === true ? "mutation" : "query";
  const wrapped = async (ctx: Record<string, unknown>, args: unknown) => {
    const counts = emptyCounts();
    const started = performance.now();
    let error: string | null = null;
    try {
      return await handler({ ...ctx, db: countingDb(ctx.db, counts) }, args);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      throw thrown;
    } finally {
      const ms = performance.now() - started;
      recorder.calls.push({ fn: name, kind, counts, tracked: await trackedMetrics(ctx), ms, error });
    }
  };
  // A copy of the registered function (its flags, validators and invoke methods), with the wrapped handler.
  return Object.assign((...args: unknown[]) => func(...args), func, { _handler: wrapped });
}

/** The module path convex-test resolves (`webhooks/ingest`) for a module map key (`../convex/webhooks/ingest.ts`). */
function modulePath(key: string): string {
  return key.replace(/^.*?convex\//, "").replace(/\.[^.]+$/, "");
}

/** The same module map, with every query and mutation recording its calls into `recorder`. */
export function instrumentModules(modules: ModuleMap, recorder: Recorder): ModuleMap {
  return Object.fromEntries(
    Object.entries(modules).map(([key, load]) => [
      key,
      async () => {
        const module = (await load()) as Record<string, unknown>;
        if (key.includes("_generated")) return module;
        const copy: Record<string, unknown> = { ...module };
        for (const [exportName, value] of Object.entries(module)) {
          if (typeof value === "function" && "_handler" in value) {
            copy[exportName] = instrumentFunction(value as Registered, `${modulePath(key)}:${exportName}`, recorder);
          }
        }
        return copy;
      },
    ]),
  );
}
