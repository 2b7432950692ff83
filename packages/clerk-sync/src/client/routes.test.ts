import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { userEvent } from "../../../../test/clerkEvents.js";
import {
  countRows,
  deliver,
  FOREIGN_SECRET,
  newBackend,
  OTHER_SECRET,
  postEvent,
  SECRET,
  svixHeaders,
  type Backend,
} from "../../../../test/component/backend.js";
import { httpRouter } from "convex/server";
import { api } from "../component/_generated/api.js";
import { ClerkSync, type ComponentApi } from "./index.js";
import { MissingSecretError, registerWebhookRoute, signingSecrets } from "./routes.js";
import { MAX_BODY_BYTES } from "./verify.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const body = JSON.stringify(userEvent("user.created"));

async function post(t: Backend, headers: Record<string, string>, text = body) {
  return await t.fetch("/clerk-webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: text,
  });
}

describe("POST /clerk-webhook answers", () => {
  test("a verified event with 200 and its outcome, and applies it", async () => {
    const t = await newBackend();
    const response = await postEvent(t, body);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ outcome: "applied" });
    expect(await countRows(t, ["users"])).toBe(1);
  });

  describe.each(["svix-id", "svix-timestamp", "svix-signature"])("a request without %s", (header) => {
    test("with 400 and writes nothing", async () => {
      const t = await newBackend();
      const headers: Record<string, string> = svixHeaders(body);
      delete headers[header];
      const response = await post(t, headers);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.stringContaining(header) });
      expect(await countRows(t)).toBe(0);
    });
  });

  test.each(["soon", "1.5e9", "", "-1"])(
    "a svix-timestamp that is not whole seconds (%j) with 400 and writes nothing",
    async (value) => {
      const t = await newBackend();
      const response = await post(t, { ...svixHeaders(body), "svix-timestamp": value });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/svix-timestamp/) });
      expect(await countRows(t)).toBe(0);
    },
  );

  test("a signature from another secret with 401 and writes nothing", async () => {
    const t = await newBackend();
    const response = await postEvent(t, body, { secret: FOREIGN_SECRET });
    expect(response.status).toBe(401);
    expect(await countRows(t)).toBe(0);
  });

  test("a body changed after signing with 401 and writes nothing", async () => {
    const t = await newBackend();
    const headers = svixHeaders(body);
    const response = await post(t, headers, body.replace('"Ada"', '"Eve"'));
    expect(response.status).toBe(401);
    expect(await countRows(t)).toBe(0);
  });

  test("a garbled signature header with 401 and writes nothing", async () => {
    const t = await newBackend();
    const response = await post(t, { ...svixHeaders(body), "svix-signature": "v1,not-base64!!" });
    expect(response.status).toBe(401);
    expect(await countRows(t)).toBe(0);
  });

  test.each([
    ["too old", -10 * 60 * 1000],
    ["too new", +10 * 60 * 1000],
  ])("a timestamp %s for Svix's tolerance with 400 and writes nothing", async (_label, offset) => {
    const t = await newBackend();
    const response = await postEvent(t, body, { signedAt: new Date(Date.now() + offset) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/timestamp/i) });
    expect(await countRows(t)).toBe(0);
  });

  test("a verified event's body is parsed once, by the mutation that applies it", async () => {
    const t = await newBackend();
    const parse = vi.spyOn(JSON, "parse");
    expect((await postEvent(t, body)).status).toBe(200);
    expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
  });

  test("a signed body that is not JSON with 400 and writes nothing", async () => {
    const t = await newBackend();
    const response = await postEvent(t, "user.created but not json {");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Body is not JSON." });
    expect(await countRows(t)).toBe(0);
  });

  test("a body over the limit with 413, by its declared length or its real one", async () => {
    const t = await newBackend();
    const huge = JSON.stringify(userEvent("user.created", { public_metadata: { blob: "x".repeat(MAX_BODY_BYTES) } }));
    expect((await postEvent(t, huge)).status).toBe(413);
    const response = await post(t, { ...svixHeaders(body), "content-length": String(MAX_BODY_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(await countRows(t)).toBe(0);
  });

  test("a body of exactly the limit is read and applied", async () => {
    const t = await newBackend();
    const shell = JSON.stringify(userEvent("user.created", { public_metadata: { blob: "" } }));
    const exact = shell.replace(
      '"blob":""',
      `"blob":"${"x".repeat(MAX_BODY_BYTES - new TextEncoder().encode(shell).length)}"`,
    );
    expect(new TextEncoder().encode(exact).length).toBe(MAX_BODY_BYTES);
    const response = await postEvent(t, exact);
    expect(response.status).toBe(200);
    expect(await countRows(t, ["users"])).toBe(1);
  });

  test("a streamed body without Content-Length one byte over the limit with 413", async () => {
    const t = await newBackend();
    const shell = JSON.stringify(userEvent("user.created", { public_metadata: { blob: "" } }));
    const over = shell.replace('"blob":""', `"blob":"${"x".repeat(MAX_BODY_BYTES + 1 - shell.length)}"`);
    const bytes = new TextEncoder().encode(over);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 10_000) controller.enqueue(bytes.slice(at, at + 10_000));
        controller.close();
      },
    });
    const response = await t.fetch("/clerk-webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...svixHeaders(over) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await countRows(t)).toBe(0);
  });

  test("an endless body without Content-Length with 413, having read little past the limit", async () => {
    const t = await newBackend();
    let pulled = 0;
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await t.fetch("/clerk-webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...svixHeaders(body) },
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled * chunk.length).toBeLessThan(MAX_BODY_BYTES + 4 * chunk.length);
    expect(await countRows(t)).toBe(0);
  });

  test("a failed event with 500 whose body names no internal error text", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn((await import("../component/webhooks/registry.js")).eventHandlers, "user.created").mockRejectedValue(
      new Error("CLERK_SECRET_KEY is not set; internal detail at convex/model/users.ts:42"),
    );
    const t = await newBackend();
    const response = await postEvent(t, body);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ outcome: "failed", error: expect.any(String) });
    expect(text).not.toMatch(/CLERK_SECRET_KEY|users\.ts|internal detail/);
  });

  test("with 500 and a log line saying what to set when no secret is configured", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", "");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    const response = await postEvent(t, body);
    expect(response.status).toBe(500);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("npx convex env set CLERK_WEBHOOK_SIGNING_SECRET"));
    expect(await response.json()).toEqual({ error: "The webhook endpoint is not available." });
    expect(await countRows(t)).toBe(0);
  });

  test("with no secret configured, with 500 to any request, signed or not (Svix keeps it for later)", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", "");
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    const response = await post(t, {});
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "The webhook endpoint is not available." });
  });

  test("with 500 when the configured secret is not a whsec_ secret", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", "whsec_%%%not-base64%%%");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await newBackend();
    const response = await postEvent(t, body);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "The webhook endpoint is not available." });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("npx convex env set CLERK_WEBHOOK_SIGNING_SECRET"));
    expect(await countRows(t)).toBe(0);
  });
});

describe("secret rotation", () => {
  test("accepts events signed with either of two configured secrets, and no third", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", `${SECRET}  ${OTHER_SECRET}`);
    const t = await newBackend();
    expect((await deliver(t, userEvent("user.created"), { secret: SECRET })).status).toBe(200);
    expect(
      (await deliver(t, userEvent("user.updated", { updated_at: 1_760_000_000_001 }), { secret: OTHER_SECRET })).status,
    ).toBe(200);
    expect(
      (await postEvent(t, userEvent("user.updated", { updated_at: 1_760_000_000_002 }), { secret: FOREIGN_SECRET }))
        .status,
    ).toBe(401);
    const row = await t.run(async (ctx) => await ctx.db.query("users").unique());
    expect(row?.clerkVersion).toBe(1_760_000_000_001);
  });
});

describe("the route's options", () => {
  test("`path` mounts it elsewhere, and `signingSecret` verifies with the app's own secret instead of the variable", async () => {
    const t = await newBackend();
    const signed = (secret: string) => ({ ...svixHeaders(body, { secret }), "Content-Type": "application/json" });
    // Signed with the variable's secret: refused at /hooks/clerk, which verifies with OTHER_SECRET.
    expect((await t.fetch("/hooks/clerk", { method: "POST", headers: signed(SECRET), body })).status).toBe(401);
    const response = await t.fetch("/hooks/clerk", { method: "POST", headers: signed(OTHER_SECRET), body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "applied" });
  });

  test("without `path` it answers POST /clerk-webhook", () => {
    const http = httpRouter();
    registerWebhookRoute(http, api as unknown as ComponentApi);
    expect(http.lookup("/clerk-webhook", "POST")).not.toBeNull();
    expect(http.getRoutes().map(([path, method]) => [path, method])).toEqual([["/clerk-webhook", "POST"]]);
  });

  test("a path that does not start with / is refused when the route is mounted, with what was given", () => {
    expect(() => registerWebhookRoute(httpRouter(), api as unknown as ComponentApi, { path: "clerk-webhook" })).toThrow(
      'The webhook path must start with "/": got "clerk-webhook".',
    );
  });

  test("ClerkSync says how to pass no hooks when the options forget onChange", () => {
    expect(() => new ClerkSync(api as unknown as ComponentApi, {} as never)).toThrow(/onChange: null for none/);
  });
});

describe("signingSecrets", () => {
  test("takes every secret between any whitespace, the ends included", () => {
    expect(signingSecrets(` ${SECRET}\t ${OTHER_SECRET}\n`)).toEqual([SECRET, OTHER_SECRET]);
    expect(signingSecrets(SECRET)).toEqual([SECRET]);
  });

  test.each([undefined, "", "  \n "])("none (%j) is a MissingSecretError saying what to run", (raw) => {
    expect(() => signingSecrets(raw, "MY_SECRET")).toThrow(MissingSecretError);
    expect(() => signingSecrets(raw, "MY_SECRET")).toThrow(
      "MY_SECRET is not set. Copy the endpoint's signing secret from Clerk's dashboard (Webhooks → your endpoint → Signing Secret) and run `npx convex env set MY_SECRET whsec_…`.",
    );
  });
});
