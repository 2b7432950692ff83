/**
 * What the backend worker sets up before convex-test and Roster's functions load (imported first):
 * Node's `global`, the environment variables the functions read (`env` from convex/_generated/server is
 * `process.env`), and timers that start only when no other backend flow is running (see
 * asyncLocalStorage.ts), so scheduled functions (cascades) run for real but one at a time.
 */
import { whenIdle } from "./asyncLocalStorage";
import { PLAYGROUND_ENV } from "../config";

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
