/**
 * What the backend worker sets up before convex-test and Roster's functions load (imported first):
 * Node's `global`, the simulated Clerk Backend API (clerkInstance.ts), the environment variables the functions read (`env` from convex/_generated/server is
 * `process.env`), and timers that start only when no other backend flow is running (see
 * asyncLocalStorage.ts), so scheduled functions (cascades) run for real but one at a time.
 */
import { PLAYGROUND_ENV } from "../config";
import { whenIdle } from "./asyncLocalStorage";
import { answerClerkApi, sampleClerkData } from "./clerkInstance";

/** The simulated Clerk instance's data (backfill and reconcile read it; the worker keeps it in step). */
export const clerkData = sampleClerkData(Date.now());

// Requests to the simulated Clerk's Backend API are answered here; anything else goes nowhere useful.
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const answer = answerClerkApi(
    clerkData,
    url,
    init ?? (input instanceof Request ? { headers: input.headers } : undefined),
  );
  return answer === null ? realFetch(input, init) : Promise.resolve(answer);
};

const scope = globalThis as unknown as { process?: { env: Record<string, string | undefined> }; global?: unknown };
scope.process = { env: { ...PLAYGROUND_ENV } };
// convex-test installs the Convex runtime's syscalls on Node's `global`.
scope.global = globalThis;

type TimerCallback = (...args: unknown[]) => void;
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
let onTimerRan: () => void = () => {};

/** Called after every timer callback that ran (the worker tells the page data may have changed). */
export function afterEachTimer(callback: () => void): void {
  onTimerRan = callback;
}

globalThis.setTimeout = ((callback: TimerCallback | string, ms?: number, ...args: unknown[]) =>
  realSetTimeout(() => {
    whenIdle(() => {
      if (typeof callback === "function") callback(...args);
      onTimerRan();
    });
  }, ms)) as typeof globalThis.setTimeout;
