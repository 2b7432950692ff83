/**
 * Instruments a convex-test module map: every registered query and mutation runs with a
 * counting `ctx.db` (see countingDb.ts), and each call is recorded with its function name,
 * documents read and written, time, and — as a cross-check of the wrapper — convex-test's own
 * transaction metrics. No backend code changes: convex-test calls the function's `_handler`,
 * and the copy of each function handed to it has a wrapped one.
 *
 * Calls across a component boundary are recorded too. Each module map is instrumented for one
 * scope — `"app"` for Roster's `convex/`, the component's name (`"clerkSync"`) for the modules
 * given to `register(t, name, modules)` — and every instrumented function (actions and HTTP
 * actions included) gets a `ctx.runQuery` / `ctx.runMutation` / `ctx.runAction` that marks the
 * call it makes. The called function, instrumented too, finds the mark and records who called it:
 * a call whose caller is in another scope is a boundary call (the app calling into the component
 * through `components.clerkSync.*`, or the component calling the app through a function handle).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { countingDb, emptyCounts, type DbCounts } from "./countingDb";

export type ModuleMap = Record<string, () => Promise<unknown>>;

/** The app's own functions (Roster's `convex/`); a component's are recorded under its name. */
export const APP_SCOPE = "app";

export type CallKind = "query" | "mutation" | "action" | "http";
export type RunVia = "runQuery" | "runMutation" | "runAction";

/** One function execution (a webhook's ingest, a scheduled batch, a page of a query, a hook call …). */
export type CallRecord = {
  /** A number unique within the recorder, in the order the calls started. */
  id: number;
  /** `webhooks/ingest:apply`, `cascades:removeChildren` … (`http POST /clerk-webhook` for an HTTP action). */
  fn: string;
  kind: CallKind;
  /** Whose function it is: `"app"` or the component's name. Its `counts` are that scope's tables. */
  scope: string;
  /** The call whose `ctx.run*` made this one, or null (called by the test, or run by the scheduler). */
  parent: number | null;
  via: RunVia | null;
  /** True when the caller is in another scope: a call into a component, or a component's call back into the app. */
  boundary: boolean;
  counts: DbCounts;
  /**
   * Documents convex-test's transaction tracker saw read and written while this call ran, the
   * calls it made in the same transaction included (null when it is unavailable: actions).
   */
  tracked: { documentsRead: number; documentsWritten: number } | null;
  ms: number;
  /** The error message when the function threw (its writes were rolled back). */
  error: string | null;
};

/** Collects the calls made while it is listening. */
export class Recorder {
  calls: CallRecord[] = [];
  nextId = 1;

  /** Runs `work` and returns what it returned and the calls made meanwhile. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; calls: CallRecord[] }> {
    const start = this.calls.length;
    const result = await work();
    return { result, calls: this.calls.slice(start) };
  }
}

/**
 * What is running: a function's own body (`handler`), or a `ctx.run*` it made that has not reached
 * the called function's wrapper yet (`run`). A scheduled function starts from a timer set inside
 * some handler, so it finds a `handler` frame, not a `run` one: it is recorded as top-level.
 */
type Frame = { kind: "handler"; call: CallRecord } | { kind: "run"; caller: CallRecord; via: RunVia };
const current = new AsyncLocalStorage<Frame>();

type Registered = ((...args: unknown[]) => unknown) & {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
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

type RunFn = (reference: unknown, ...rest: unknown[]) => Promise<unknown>;

/** `ctx` with its `run*` methods marking the calls they make as made by `call`. */
function markingRuns(ctx: Record<string, unknown>, call: CallRecord): Record<string, unknown> {
  const marked: Record<string, unknown> = { ...ctx };
  for (const via of ["runQuery", "runMutation", "runAction"] as const) {
    const run = ctx[via];
    if (typeof run !== "function") continue;
    // The arguments and any options (a nested mutation's `transactionLimits`) pass through as given.
    marked[via] = (reference: unknown, ...rest: unknown[]) =>
      current.run({ kind: "run", caller: call, via }, () => (run as RunFn).call(ctx, reference, ...rest));
  }
  return marked;
}

function kindOf(func: Registered): CallKind | null {
  if (func.isQuery === true) return "query";
  if (func.isMutation === true) return "mutation";
  if (func.isAction === true) return "action";
  if (func.isHttp === true) return "http";
  return null;
}

function instrumentFunction(func: Registered, name: string, scope: string, recorder: Recorder): Registered {
  const handler = func._handler;
  const kind = kindOf(func);
  if (handler === undefined || kind === null) return func;
  const wrapped = async (ctx: Record<string, unknown>, args: unknown) => {
    const frame = current.getStore();
    const caller = frame?.kind === "run" ? frame : null;
    const counts = emptyCounts();
    const call: CallRecord = {
      id: recorder.nextId++,
      fn: name,
      kind,
      scope,
      parent: caller?.caller.id ?? null,
      via: caller?.via ?? null,
      boundary: caller !== null && caller.caller.scope !== scope,
      counts,
      tracked: null,
      ms: 0,
      error: null,
    };
    const before = await trackedMetrics(ctx);
    const started = performance.now();
    const instrumentedCtx = markingRuns(ctx.db === undefined ? ctx : { ...ctx, db: countingDb(ctx.db, counts) }, call);
    try {
      return await current.run({ kind: "handler", call }, () => handler(instrumentedCtx, args));
    } catch (thrown) {
      call.error = thrown instanceof Error ? thrown.message : String(thrown);
      throw thrown;
    } finally {
      call.ms = performance.now() - started;
      const after = await trackedMetrics(ctx);
      // A nested call's tracker starts from its caller's usage: keep what this call added.
      call.tracked =
        after === null
          ? null
          : {
              documentsRead: after.documentsRead - (before?.documentsRead ?? 0),
              documentsWritten: after.documentsWritten - (before?.documentsWritten ?? 0),
            };
      recorder.calls.push(call);
    }
  };
  // A copy of the registered function (its flags, validators and invoke methods), with the wrapped handler.
  return Object.assign((...args: unknown[]) => func(...args), func, { _handler: wrapped });
}

/** The module path convex-test resolves (`webhooks/ingest`) for a module map key below `root`. */
function modulePath(key: string, root: string): string {
  return key.slice(root.length).replace(/\.[^.]+$/, "");
}

/** The prefix of every key up to the functions' directory, found as convex-test finds it (from `_generated`). */
function modulesRoot(modules: ModuleMap): string {
  const generated = Object.keys(modules).find((key) => key.includes("_generated"));
  if (generated !== undefined) return generated.split("_generated", 2)[0] as string;
  // Without `_generated`, convex-test refuses the map anyway; fall back to the `convex/` directory.
  return /^.*?convex\//.exec(Object.keys(modules)[0] ?? "")?.[0] ?? "";
}

type Router = { lookup: (path: string, method: string) => readonly [Registered, ...unknown[]] | null };

/** An HTTP router whose routes' actions are instrumented (convex-test's `t.fetch` asks it for the route). */
function instrumentRouter(router: Router, scope: string, recorder: Recorder): Router {
  return new Proxy(router, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== "lookup" || typeof value !== "function") return value;
      return (path: string, method: string) => {
        const found = (value as Router["lookup"]).call(target, path, method);
        if (found === null) return found;
        const [func, ...rest] = found;
        return [instrumentFunction(func, `http ${method} ${path}`, scope, recorder), ...rest];
      };
    },
  });
}

/**
 * The same module map, with every query, mutation, action and HTTP route recording its calls into
 * `recorder` under `scope` (`"app"`, or the component's name for a component's modules).
 */
export function instrumentModules(modules: ModuleMap, recorder: Recorder, scope: string = APP_SCOPE): ModuleMap {
  const root = modulesRoot(modules);
  return Object.fromEntries(
    Object.entries(modules).map(([key, load]) => [
      key,
      async () => {
        const module = (await load()) as Record<string, unknown>;
        if (key.includes("_generated")) return module;
        const path = modulePath(key, root);
        const copy: Record<string, unknown> = { ...module };
        for (const [exportName, value] of Object.entries(module)) {
          if (typeof value === "function" && "_handler" in value) {
            copy[exportName] = instrumentFunction(value as Registered, `${path}:${exportName}`, scope, recorder);
          } else if (path === "http" && exportName === "default" && typeof (value as Router)?.lookup === "function") {
            copy[exportName] = instrumentRouter(value as Router, scope, recorder);
          }
        }
        return copy;
      },
    ]),
  );
}

/**
 * Wrapper counts against convex-test's own metrics. A call's tracked figures include the calls it
 * made in its transaction (a component's mutation, the app's hook inside it), so each is compared
 * with the wrapper's counts over the call and every call nested in it.
 */
export function crossCheckCalls(calls: CallRecord[]): string[] {
  const children = new Map<number, CallRecord[]>();
  for (const call of calls) {
    if (call.parent === null) continue;
    const siblings = children.get(call.parent);
    if (siblings === undefined) children.set(call.parent, [call]);
    else siblings.push(call);
  }
  const totals = (call: CallRecord): { reads: number; writes: number } => {
    let reads = call.counts.reads;
    let writes = call.counts.writes;
    for (const child of children.get(call.id) ?? []) {
      if (child.kind !== "query" && child.kind !== "mutation") continue;
      const sub = totals(child);
      reads += sub.reads;
      writes += sub.writes;
    }
    return { reads, writes };
  };
  const problems: string[] = [];
  for (const call of calls) {
    if (call.tracked === null || call.error !== null) continue;
    const { reads, writes } = totals(call);
    // convex-test also counts the document a patch, replace or delete reads; the wrapper does not.
    if (call.tracked.documentsWritten !== writes) {
      problems.push(`${call.fn}: wrapper counted ${writes} writes, convex-test ${call.tracked.documentsWritten}`);
    }
    if (call.tracked.documentsRead < reads || call.tracked.documentsRead > reads + writes) {
      problems.push(
        `${call.fn}: wrapper counted ${reads} reads (+ ≤${writes} for writes), convex-test ${call.tracked.documentsRead}`,
      );
    }
  }
  return [...new Set(problems)];
}
