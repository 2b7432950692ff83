/**
 * Signed Clerk webhook requests, as Svix sends them, for anything with convex-test's `fetch`
 * shape: the tests' backend, the component tests' client and the playground's worker. Free of
 * convex-test itself, so the playground page can use it.
 */
import { Webhook } from "svix";

/** Signing secrets in Svix's `whsec_` form (base64 of 24 bytes). */
export const SECRET = `whsec_${btoa("roster-test-secret-one!!!")}`;
export const OTHER_SECRET = `whsec_${btoa("roster-test-secret-two!!!")}`;
export const FOREIGN_SECRET = `whsec_${btoa("someone-elses-secret!!!!")}`;

let messageCounter = 0;
/** A fresh Svix message id. */
export function newSvixId(): string {
  messageCounter += 1;
  return `msg_test${String(messageCounter).padStart(20, "0")}`;
}

export type SignOptions = { svixId?: string; secret?: string; signedAt?: Date };

/** What can receive an HTTP request the way convex-test's `t.fetch` does. */
export type HttpTarget = { fetch: (path: string, init?: RequestInit) => Promise<Response> };

/** The Svix headers for `body`, signed as Svix signs: `v1,` HMAC-SHA256 of `id.timestamp.body`. */
export function svixHeaders(
  body: string,
  { svixId = newSvixId(), secret = SECRET, signedAt = new Date() }: SignOptions = {},
) {
  return {
    "svix-id": svixId,
    "svix-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
    "svix-signature": new Webhook(secret).sign(svixId, signedAt, body),
  };
}

/** POSTs a Clerk event (object or raw text) to /clerk-webhook, signed. */
export async function postEvent(t: HttpTarget, event: object | string, options: SignOptions = {}): Promise<Response> {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  return await t.fetch("/clerk-webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...svixHeaders(body, options) },
    body,
  });
}

/** POSTs a signed event and returns the status and outcome from the JSON answer. */
export async function deliver(t: HttpTarget, event: object | string, options: SignOptions = {}) {
  const response = await postEvent(t, event, options);
  const json = (await response.json()) as { outcome?: string; error?: string };
  return { status: response.status, ...json };
}
