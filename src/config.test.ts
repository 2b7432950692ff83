import { describe, expect, test } from "vitest";
import { clerkFrontendApiOf, readConfig } from "./config";

const validKey = `pk_test_${btoa("happy-otter-12.clerk.accounts.dev$")}`;

describe("readConfig", () => {
  test("accepts a Clerk publishable key and a Convex URL", () => {
    expect(
      readConfig({ VITE_CLERK_PUBLISHABLE_KEY: validKey, VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud" }),
    ).toEqual({
      ok: true,
      config: { clerkPublishableKey: validKey, convexUrl: "https://happy-otter-123.convex.cloud" },
    });
  });

  test("names both missing variables and how to set them", () => {
    const result = readConfig({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringContaining("VITE_CLERK_PUBLISHABLE_KEY is not set"),
      expect.stringContaining("npm run setup:convex"),
    ]);
  });

  test.each([
    [
      { VITE_CLERK_PUBLISHABLE_KEY: "sk_test_secret", VITE_CONVEX_URL: "https://a.convex.cloud" },
      /not a Clerk publishable key/,
    ],
    [{ VITE_CLERK_PUBLISHABLE_KEY: validKey, VITE_CONVEX_URL: "https://a.convex.site" }, /not a Convex deployment URL/],
    [{ VITE_CLERK_PUBLISHABLE_KEY: validKey, VITE_CONVEX_URL: "not a url" }, /not a Convex deployment URL/],
  ])("reports a malformed value", (env, message) => {
    const result = readConfig(env);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(message)]);
  });
});

test("clerkFrontendApiOf decodes the instance host from a publishable key", () => {
  expect(clerkFrontendApiOf(validKey)).toBe("happy-otter-12.clerk.accounts.dev");
  expect(clerkFrontendApiOf("pk_test_garbage")).toBeNull();
});
