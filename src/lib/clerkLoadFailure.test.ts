import { expect, test } from "vitest";
import { ignoreClerkLoadFailureRejections, isClerkLoadFailure } from "./clerkLoadFailure";

test("recognises Clerk's script-load failure and nothing else", () => {
  const clerkError = Object.assign(new Error("Clerk: Failed to load Clerk JS"), { code: "failed_to_load_clerk_js" });
  expect(isClerkLoadFailure(clerkError)).toBe(true);
  expect(isClerkLoadFailure(new Error('Clerk: Failed to load Clerk JS (code="failed_to_load_clerk_js")'))).toBe(true);
  expect(isClerkLoadFailure(new Error("Something else broke"))).toBe(false);
  expect(isClerkLoadFailure("failed_to_load_clerk_js")).toBe(false);
  expect(isClerkLoadFailure(null)).toBe(false);
});

test("only Clerk's load failure is marked handled", () => {
  const target = new EventTarget();
  ignoreClerkLoadFailureRejections(target);
  const rejection = (reason: unknown) => {
    const event = new Event("unhandledrejection", { cancelable: true });
    Object.defineProperty(event, "reason", { value: reason });
    target.dispatchEvent(event);
    return event.defaultPrevented;
  };
  expect(rejection({ code: "failed_to_load_clerk_js" })).toBe(true);
  expect(rejection(new Error("a real bug"))).toBe(false);
});
