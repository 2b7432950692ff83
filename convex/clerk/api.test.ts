import { describe, expect, test } from "vitest";
import { ClerkApi, ClerkApiError, ClerkRateLimitError, retryAfterMs } from "./api";

const NOW = Date.parse("2025-10-09T20:53:20Z");

describe("Retry-After", () => {
  test.each([
    ["7", 7_000],
    [" 2 ", 2_000],
    ["0", 1_000],
    ["86400", 600_000],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [null, 10_000],
    ["soon", 10_000],
  ])("%j means waiting %i ms", (header, ms) => {
    expect(retryAfterMs(header, NOW)).toBe(ms);
  });
});

describe("Clerk API errors", () => {
  const api = (status: number, body: string, headers: Record<string, string> = {}) =>
    new ClerkApi({
      secretKey: "sk_test_x",
      baseUrl: "https://api.clerk.test",
      now: () => NOW,
      fetch: () => Promise.resolve(new Response(body, { status, headers })),
    });

  test("429 is a rate limit carrying the wait", async () => {
    const error = await api(429, "{}", { "Retry-After": "3" })
      .get("users")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClerkRateLimitError);
    expect((error as ClerkRateLimitError).retryAfterMs).toBe(3_000);
  });

  test("5xx is transient, 4xx is not, and a refused key says which variable to fix", async () => {
    const server = await api(502, "Bad gateway")
      .get("users")
      .catch((e: unknown) => e);
    expect(server).toMatchObject({ status: 502, transient: true });
    const refused = await api(401, JSON.stringify({ errors: [{ message: "Invalid key." }] }))
      .get("users")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClerkApiError);
    expect(refused).toMatchObject({ status: 401, transient: false });
    expect((refused as Error).message).toBe(
      "Clerk's Backend API answered GET /v1/users with 401: Invalid key. CLERK_SECRET_KEY was refused: copy the secret key of the same Clerk instance (Configure → API keys) and run `npx convex env set CLERK_SECRET_KEY sk_…`.",
    );
  });

  test("404 is no such object", async () => {
    expect(await api(404, "{}").getOne("users", "user_x")).toBeNull();
  });
});
