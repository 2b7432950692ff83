import { describe, expect, test } from "vitest";
import { ClerkApiError, ClerkRateLimitError } from "./api.js";
import { classifyFailure, isWriteConflict } from "./failures.js";

// What Convex throws from ctx.runMutation when the mutation kept conflicting (OCC) after its own retries.
const CONFLICTS = [
  'Uncaught Error: [Request ID: 1a2b] Server Error\nOptimisticConcurrencyControlFailure: Documents read from or written to the "users" table changed while this mutation was being run and on every subsequent retry. Another call to this mutation changed the document with ID "jd7…".',
  "Data read or written in this mutation changed while it was being run. Consider reducing the amount of data read by using indexed queries with selective index range expressions (https://docs.convex.dev/database/indexes/).",
  JSON.stringify({ code: "OptimisticConcurrencyControlFailure", message: "conflict" }),
];

describe("write conflicts inside a step", () => {
  test.each(CONFLICTS)("%s is a write conflict, retried", (message) => {
    expect(isWriteConflict(new Error(message))).toBe(true);
    expect(classifyFailure(new Error(message))).toMatchObject({ failure: "conflict" });
  });

  test.each([
    "Value is too large",
    "ArgumentValidationError: Object is missing the required field `runId`",
    "Too many documents read in a single function execution",
  ])("%s is not a conflict and stays fatal", (message) => {
    expect(isWriteConflict(new Error(message))).toBe(false);
    expect(classifyFailure(new Error(message))).toMatchObject({ failure: "fatal" });
  });

  test("Clerk failures keep their own classes", () => {
    expect(classifyFailure(new ClerkRateLimitError(3_000))).toMatchObject({
      failure: "rateLimited",
      retryAfterMs: 3_000,
    });
    expect(classifyFailure(new ClerkApiError("503", 503, true))).toMatchObject({ failure: "transient" });
    expect(classifyFailure(new ClerkApiError("401", 401, false))).toMatchObject({ failure: "fatal" });
  });
});
