import { describe, expect, test } from "vitest";
import { ClerkApi, ClerkApiError, ClerkRateLimitError, retryAfterMs } from "./api.js";

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

  const NOT_FOUND = JSON.stringify({ errors: [{ code: "resource_not_found", message: "not found" }] });

  test("404 with Clerk's resource_not_found is no such object", async () => {
    expect(await api(404, NOT_FOUND).getOne("users", "user_x")).toBeNull();
  });

  test.each([
    ["an HTML page", "<html><body>Not Found</body></html>"],
    ["an empty object", "{}"],
    ["another error code", JSON.stringify({ errors: [{ code: "form_param_missing" }] })],
  ])("404 with %s is not Clerk's answer: it stops instead of meaning 'gone'", async (_, body) => {
    const error = await api(404, body)
      .getOne("users", "user_x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClerkApiError);
    expect(error).toMatchObject({ status: 404, transient: false });
    expect((error as Error).message).toContain("CLERK_API_URL");
    const memberships = await api(404, body)
      .existingMemberships("org_x", ["user_x"])
      .catch((e: unknown) => e);
    expect(memberships).toBeInstanceOf(ClerkApiError);
  });

  test("a 200 that is not JSON is not Clerk: the run stops rather than retrying", async () => {
    const error = await api(200, "<html>welcome</html>")
      .get("users")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ transient: false });
  });
});

describe("the instance check answers as Clerk or stops", () => {
  const api = (status: number, body: unknown) =>
    new ClerkApi({
      secretKey: "sk_test_x",
      baseUrl: "https://api.clerk.test",
      fetch: () => Promise.resolve(new Response(typeof body === "string" ? body : JSON.stringify(body), { status })),
    });
  const domain = { object: "domain", id: "dmn_1", frontend_api_url: "https://clerk.example.com" };

  test("a well-formed list of domains gives their Frontend API hosts", async () => {
    expect(await api(200, { data: [domain], total_count: 1 }).frontendApiHosts()).toEqual(
      new Set(["clerk.example.com"]),
    );
  });

  test.each([
    ["a 404 page", 404, "<html>Not Found</html>"],
    ["Clerk's own 404", 404, { errors: [{ code: "resource_not_found" }] }],
    ["an empty list", 200, { data: [], total_count: 0 }],
    ["another shape", 200, { hello: "world" }],
    ["domains without a Frontend API URL", 200, { data: [{ object: "domain", id: "dmn_1" }] }],
  ])("%s is not an answer from a Clerk instance", async (_, status, body) => {
    const error = await api(status, body)
      .frontendApiHosts()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClerkApiError);
    expect(error).toMatchObject({ transient: false });
    expect((error as Error).message).toContain("CLERK_API_URL");
  });
});
