import { ConvexError } from "convex/values";

/**
 * An error as the UI explains it: a short title, a sentence, and the ConvexError code if any.
 * `retryable: false` (an authorization error) means trying again cannot help: offer no "Try again".
 */
export type ErrorInfo = { code: string | null; title: string; message: string; retryable?: boolean };

/** The codes that say who may see what: asking again changes nothing until access changes. */
export const AUTHORIZATION_CODES: ReadonlySet<string> = new Set([
  "NOT_SIGNED_IN",
  "NOT_A_MEMBER",
  "NOT_AN_ADMIN",
  "USER_DELETED",
]);

/** What to say for the codes Roster's functions throw; `serverMessage` prefers the function's own words. */
const KNOWN: Record<string, Omit<ErrorInfo, "code"> & { serverMessage?: boolean }> = {
  NOT_SIGNED_IN: { title: "You are signed out", message: "Sign in again to see this page." },
  NOT_A_MEMBER: {
    title: "Not a member of this team",
    message: "Only members of this team can see it. Pick another one in the switcher, or ask an admin to invite you.",
  },
  NOT_AN_ADMIN: {
    title: "Admins only",
    message: "You need an admin role to see this.",
    // "Only this organization's admins …" or "Only Roster's administrators …": the server knows which.
    serverMessage: true,
  },
  USER_DELETED: { title: "Account deleted", message: "This account has been deleted in Clerk." },
  // Backfill and reconcile (api.clerk.admin.*).
  SYNC_RUNNING: {
    title: "A sync is already running",
    message: "Only one backfill or reconcile runs at a time. Wait for it to finish, or cancel it first.",
  },
  CLERK_SECRET_KEY_MISSING: {
    title: "CLERK_SECRET_KEY is not set",
    message:
      "Roster needs Clerk's secret key to read from Clerk. Copy it from Clerk's dashboard (Configure → API keys) and run `npx convex env set CLERK_SECRET_KEY sk_…`.",
  },
  RETRY_RUNNING: {
    title: "A retry is already going",
    message: "The failed events are being retried. Watch its progress; start another when it has finished.",
  },
  NOT_RETRYABLE: { title: "Nothing to retry", message: "That event cannot be retried now.", serverMessage: true },
  RUN_COMPLETED: {
    title: "That run has already completed",
    message: "A completed run cannot be resumed. Start a new backfill or reconcile instead.",
  },
  NO_SUCH_RUN: { title: "Run not found", message: "That run no longer exists.", serverMessage: true },
};

/** The ConvexError data of `error` as an object, or null for any other error. */
export function convexErrorData(error: unknown): Record<string, unknown> | null {
  if (!(error instanceof ConvexError)) return null;
  const data: unknown = error.data;
  return data !== null && typeof data === "object" ? (data as Record<string, unknown>) : null;
}

/** The ConvexError code of `error`, or null. */
export function errorCode(error: unknown): string | null {
  const code = convexErrorData(error)?.code;
  return typeof code === "string" ? code : null;
}

/** True for an authorization ConvexError (NOT_AN_ADMIN, NOT_A_MEMBER, USER_DELETED, NOT_SIGNED_IN): not retryable. */
export function isAuthorizationError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && AUTHORIZATION_CODES.has(code);
}

/** Whether offering "Try again" for this error makes sense (not for authorization errors). */
export function isRetryable(info: ErrorInfo): boolean {
  return info.retryable ?? !(info.code !== null && AUTHORIZATION_CODES.has(info.code));
}

/** What to tell the user about an error a query or mutation threw. */
export function describeError(error: unknown): ErrorInfo {
  const data = convexErrorData(error);
  const code = typeof data?.code === "string" ? data.code : null;
  const known = code === null ? undefined : KNOWN[code];
  if (code !== null && known) {
    const message = known.serverMessage && typeof data?.message === "string" ? data.message : known.message;
    return AUTHORIZATION_CODES.has(code)
      ? { code, title: known.title, message, retryable: false }
      : { code, title: known.title, message };
  }
  if (typeof data?.message === "string") return { code, title: "That did not work", message: data.message };
  return {
    code,
    title: "Something went wrong",
    message: "Roster could not load this. Try again; if it keeps failing, reload the page.",
  };
}
