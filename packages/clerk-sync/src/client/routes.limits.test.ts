import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { userEvent } from "../../../../test/clerkEvents.js";
import { captureConsole } from "../../../../test/console.js";
import { newBackend, OTHER_SECRET, postEvent, SECRET, svixHeaders } from "../../../../test/component/backend.js";
import { readBodyWithin } from "./routes.js";
import { MAX_BODY_BYTES } from "./verify.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function streamed(chunks: Uint8Array[], headers: Record<string, string> = {}) {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("https://roster.test/clerk-webhook", {
    method: "POST",
    headers,
    body: stream,
    duplex: "half",
  } as RequestInit);
}

describe("readBodyWithin", () => {
  test("a declared length of exactly the limit is read", async () => {
    const request = new Request("https://roster.test/x", {
      method: "POST",
      headers: { "content-length": "5" },
      body: "hello",
    });
    expect(await readBodyWithin(request, 5)).toBe("hello");
  });

  test("a request without a body reads as empty text", async () => {
    expect(await readBodyWithin(new Request("https://roster.test/x", { method: "POST" }), 10)).toBe("");
  });

  test("chunks are joined in order, a character split between two decoded whole", async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë Ünal"}');
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ë"
    const request = streamed([bytes.slice(0, split), bytes.slice(split, split + 3), bytes.slice(split + 3)]);
    expect(await readBodyWithin(request, 100)).toBe('{"name":"Zoë Ünal"}');
  });
});

describe("what the endpoint says", () => {
  test("a body over the limit: 413 naming the limit", async () => {
    const t = await newBackend();
    const body = JSON.stringify(userEvent("user.created"));
    const response = await t.fetch("/clerk-webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...svixHeaders(body),
        "content-length": String(MAX_BODY_BYTES + 1),
      },
      body,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: `Body over ${MAX_BODY_BYTES} bytes.` });
  });

  test("a failed event: 500 saying it is kept for a retry, and a log line naming the message and the error", async () => {
    const t = await newBackend();
    const errors = captureConsole("error");
    vi.spyOn((await import("../component/webhooks/registry.js")).eventHandlers, "user.created").mockRejectedValue(
      new Error("bug here"),
    );
    const response = await postEvent(t, userEvent("user.created"), { svixId: "msg_failing" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      outcome: "failed",
      error: "The event could not be applied. It is kept, and applies when retried.",
    });
    expect(errors()).toContain("Clerk event msg_failing failed to apply and is kept for a retry: bug here");
  });

  test("a wrong signature is answered 401 without a line in the deployment's error log", async () => {
    const t = await newBackend();
    const errors = captureConsole("error");
    const response = await postEvent(t, userEvent("user.created"), { secret: OTHER_SECRET });
    expect(response.status).toBe(401);
    expect(errors()).toEqual([]);
  });
});
