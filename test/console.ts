import { vi } from "vitest";

/**
 * Silences `console[method]` for the rest of the test and returns what was printed there, one
 * string per call (an Error as its message), so a test asserts on the output it expects instead of
 * printing it. Restore with `vi.restoreAllMocks()` in an `afterEach`.
 */
export function captureConsole(method: "error" | "warn" | "log"): () => string[] {
  const spy = vi.spyOn(console, method).mockImplementation(() => {});
  return () =>
    spy.mock.calls.map((args: unknown[]) =>
      args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" "),
    );
}
