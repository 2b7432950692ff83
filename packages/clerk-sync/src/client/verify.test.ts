import { afterEach, describe, expect, test, vi } from "vitest";
import { captureConsole } from "../../../../test/console.js";
import { OTHER_SECRET, SECRET, svixHeaders } from "../../../../test/webhookRequests.js";
import { readSvixHeaders, verifySignature } from "./verify.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const BODY = '{"type":"user.created","data":{"id":"user_1"}}';

describe("readSvixHeaders", () => {
  test("returns the three headers as sent", () => {
    const read = readSvixHeaders(
      new Headers({ "svix-id": "msg_1", "svix-timestamp": "1700000000", "svix-signature": "v1,abc" }),
    );
    expect(read).toEqual({
      ok: true,
      headers: { "svix-id": "msg_1", "svix-timestamp": "1700000000", "svix-signature": "v1,abc" },
    });
  });

  test.each([
    ["svix-id", { "svix-timestamp": "1700000000", "svix-signature": "v1,abc" }],
    ["svix-timestamp", { "svix-id": "msg_1", "svix-signature": "v1,abc" }],
    ["svix-signature", { "svix-id": "msg_1", "svix-timestamp": "1700000000" }],
  ])("names the headers when %s is missing", (_missing, headers) => {
    expect(readSvixHeaders(new Headers(headers))).toEqual({
      ok: false,
      error: "Missing svix-id, svix-timestamp or svix-signature header.",
    });
  });

  test.each(["17e8", "-1", "1700000000.5", "1234567890123456"])(
    "refuses the timestamp %j as not whole seconds",
    (timestamp) => {
      const read = readSvixHeaders(
        new Headers({ "svix-id": "msg_1", "svix-timestamp": timestamp, "svix-signature": "v1,a" }),
      );
      expect(read).toEqual({ ok: false, error: "The svix-timestamp header is not a time in whole seconds." });
    },
  );

  test("accepts a timestamp of 15 digits", () => {
    const read = readSvixHeaders(
      new Headers({ "svix-id": "m", "svix-timestamp": "123456789012345", "svix-signature": "s" }),
    );
    expect(read.ok).toBe(true);
  });
});

describe("verifySignature", () => {
  test("accepts a body signed with the only secret", () => {
    expect(verifySignature(BODY, svixHeaders(BODY), [SECRET])).toEqual({ ok: true });
  });

  test("during a rotation, a body signed with the second secret is accepted", () => {
    expect(verifySignature(BODY, svixHeaders(BODY, { secret: OTHER_SECRET }), [SECRET, OTHER_SECRET])).toEqual({
      ok: true,
    });
  });

  test("a body signed with another secret is 401 with svix's reason", () => {
    const result = verifySignature(BODY, svixHeaders(BODY, { secret: OTHER_SECRET }), [SECRET]);
    expect(result).toEqual({ ok: false, status: 401, error: "No matching signature found" });
  });

  test("a timestamp outside the tolerance is 400 and says so", () => {
    const signedAt = new Date(Date.now() - 10 * 60 * 1000);
    const result = verifySignature(BODY, svixHeaders(BODY, { signedAt }), [SECRET]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.error).toMatch(/timestamp/i);
  });

  test("an invalid secret is skipped with a log line; a valid one next to it still verifies", () => {
    const errors = captureConsole("error");
    expect(verifySignature(BODY, svixHeaders(BODY), ["not a secret", SECRET])).toEqual({ ok: true });
    expect(errors()).toEqual([
      "One of the CLERK_WEBHOOK_SIGNING_SECRET values is not a valid whsec_… secret; it is skipped.",
    ]);
  });

  test("one valid secret that does not match, next to an invalid one, is 401, not the 500 of no secret", () => {
    captureConsole("error");
    const result = verifySignature(BODY, svixHeaders(BODY, { secret: OTHER_SECRET }), ["not a secret", SECRET]);
    expect(result).toEqual({ ok: false, status: 401, error: "No matching signature found" });
  });

  test("no valid secret at all is 500 telling the operator which command sets one", () => {
    const errors = captureConsole("error");
    const result = verifySignature(BODY, svixHeaders(BODY), ["not a secret", "whsec_***"]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(500);
    expect(result.error).toContain("CLERK_WEBHOOK_SIGNING_SECRET holds no valid secret.");
    expect(result.error).toContain("`npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…`");
    expect(errors()).toHaveLength(2);
  });

  test("an empty list of secrets is 500 as well", () => {
    const result = verifySignature(BODY, svixHeaders(BODY), []);
    expect(result).toMatchObject({ ok: false, status: 500 });
  });
});
