/**
 * What a failed backfill/reconcile step means for its run: wait out a rate limit, back off from a
 * transient failure, or stop until someone fixes the cause.
 */
import { ClerkApiError, ClerkRateLimitError } from "./api.js";

export type StepFailure = {
  /**
   * rateLimited: wait as Clerk asks. transient: back off and retry, a bounded number of times.
   * conflict: a Convex write conflict; back off and retry, never failing the run. fatal: stop.
   */
  failure: "rateLimited" | "transient" | "conflict" | "fatal";
  message: string;
  retryAfterMs: number;
};

/**
 * True for Convex's write conflict (OCC): the step's mutation kept conflicting with another
 * writer (a webhook on the same row) after Convex's own retries. Convex reports it only in the
 * message (`OptimisticConcurrencyControlFailure`, "… changed while this mutation was being run").
 */
export function isWriteConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message.includes("OptimisticConcurrencyControlFailure") ||
    /changed while (this mutation|it) was being run/i.test(message)
  );
}

/** Classifies what a step threw. A write conflict is retried with backoff and never fails the run. */
export function classifyFailure(error: unknown): StepFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ClerkRateLimitError)
    return { failure: "rateLimited", message, retryAfterMs: error.retryAfterMs };
  if (error instanceof ClerkApiError && error.transient) return { failure: "transient", message, retryAfterMs: 0 };
  if (isWriteConflict(error)) return { failure: "conflict", message, retryAfterMs: 0 };
  return { failure: "fatal", message, retryAfterMs: 0 };
}
