import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { describeError, isAuthorizationError, isRetryable } from "./errors";

describe("describeError", () => {
  test("NOT_A_MEMBER gets Roster's explanation of what to do", () => {
    const info = describeError(
      new ConvexError({ code: "NOT_A_MEMBER", message: "You are not a member of this team." }),
    );
    expect(info).toMatchObject({ code: "NOT_A_MEMBER", title: "Not a member of this team" });
    expect(info.message).toContain("switcher");
  });

  test("NOT_AN_ADMIN keeps the server's words, which say whose admins", () => {
    expect(
      describeError(new ConvexError({ code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." })),
    ).toEqual({
      code: "NOT_AN_ADMIN",
      title: "Admins only",
      message: "Only Roster's administrators can see this.",
      retryable: false,
    });
  });

  test.each(["NOT_SIGNED_IN", "NOT_A_MEMBER", "NOT_AN_ADMIN", "USER_DELETED"])(
    "%s is an authorization error: not retryable",
    (code) => {
      const error = new ConvexError({ code, message: "No." });
      expect(isAuthorizationError(error)).toBe(true);
      expect(isRetryable(describeError(error))).toBe(false);
    },
  );

  test("other errors are retryable, and not authorization errors", () => {
    for (const error of [new Error("network"), new ConvexError({ code: "SYNC_RUNNING", message: "busy" })]) {
      expect(isAuthorizationError(error)).toBe(false);
      expect(isRetryable(describeError(error))).toBe(true);
    }
    // An ErrorInfo built by hand with an authorization code is not retryable either.
    expect(isRetryable({ code: "NOT_AN_ADMIN", title: "Admins only", message: "…" })).toBe(false);
  });

  test("an unknown ConvexError with a message shows that message", () => {
    expect(
      describeError(
        new ConvexError({ code: "NOT_FOUND", message: "This organization has not synced from Clerk yet." }),
      ),
    ).toEqual({
      code: "NOT_FOUND",
      title: "That did not work",
      message: "This organization has not synced from Clerk yet.",
    });
  });

  test("any other error is a generic, honest failure", () => {
    const info = describeError(new Error("[CONVEX Q(users:me)] Server Error"));
    expect(info.code).toBeNull();
    expect(info.title).toBe("Something went wrong");
  });

  // What the backfill controls (api.clerk.admin.*) throw; each says what to do next.
  test.each([
    ["SYNC_RUNNING", "A sync is already running", "cancel it first"],
    ["CLERK_SECRET_KEY_MISSING", "CLERK_SECRET_KEY is not set", "npx convex env set CLERK_SECRET_KEY sk_…"],
    ["RUN_COMPLETED", "That run has already completed", "Start a new backfill or reconcile"],
  ])("%s is explained with what to do", (code, title, advice) => {
    const info = describeError(new ConvexError({ code, message: "the server's words" }));
    expect(info).toMatchObject({ code, title });
    expect(info.message).toContain(advice);
  });
});
