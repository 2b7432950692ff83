/**
 * The playground's stand-in for `node:async_hooks` (aliased in vite.config.ts): browsers have no
 * AsyncLocalStorage, and convex-test keeps each function's context (auth, transaction, component)
 * in one. This stand-in keeps one stack per storage and is exact when one backend flow runs at a
 * time, which is what the worker guarantees: every entry into the backend (a message from the page,
 * a scheduled function's timer) waits in `whenIdle` until the running flow has settled.
 */

type Entry<T> = { store: T | undefined };

/** How many contexts are open across every storage, plus flows the worker holds open. */
let depth = 0;
const waiting: Array<() => void> = [];

function drain(): void {
  while (depth === 0 && waiting.length > 0) waiting.shift()!();
}

/** Marks a backend flow as running (nothing else starts until the matching `leave`). */
export function enter(): void {
  depth += 1;
}

/** Ends what `enter` began; the next waiting flow starts once nothing is running. */
export function leave(): void {
  depth -= 1;
  if (depth === 0) drain();
}

/** Runs `start` now when the backend is idle, else once every running flow has settled (in order). */
export function whenIdle(start: () => void): void {
  if (depth === 0 && waiting.length === 0) start();
  else waiting.push(start);
}

/** Whether a backend flow is running (for tests). */
export function isBusy(): boolean {
  return depth > 0;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

export class AsyncLocalStorage<T> {
  private readonly stack: Array<Entry<T>> = [];

  getStore(): T | undefined {
    return this.stack[this.stack.length - 1]?.store;
  }

  run<R, A extends unknown[]>(store: T | undefined, callback: (...args: A) => R, ...args: A): R {
    const entry: Entry<T> = { store };
    this.stack.push(entry);
    enter();
    const close = () => {
      const at = this.stack.lastIndexOf(entry);
      if (at !== -1) this.stack.splice(at, 1);
      leave();
    };
    let result: R;
    try {
      result = callback(...args);
    } catch (error) {
      close();
      throw error;
    }
    if (!isThenable(result)) {
      close();
      return result;
    }
    // An async callback keeps its context until it settles: code after its awaits still sees it.
    return result.then(
      (value) => {
        close();
        return value;
      },
      (error: unknown) => {
        close();
        throw error;
      },
    ) as R;
  }

  exit<R, A extends unknown[]>(callback: (...args: A) => R, ...args: A): R {
    return this.run(undefined, callback, ...args);
  }

  enterWith(store: T): void {
    this.stack.push({ store });
  }

  disable(): void {
    this.stack.length = 0;
  }
}
