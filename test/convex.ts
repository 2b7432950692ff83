/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { Webhook } from "svix";
import type { TableNames } from "../convex/_generated/dataModel";
import schema from "../convex/schema";

/** Every Convex module, for convex-test (Vite 8 drops `!(…)` globs, so the exclusion is a pattern of its own). */
export const modules = import.meta.glob(["../convex/**/*.*s", "!../convex/**/*.test.*s"]);

/**
 * A fresh Convex backend with Roster's schema and functions. With `transactionLimits`, every
 * transaction (mutation, query, scheduled run) that reads or writes more than allowed throws.
 */
export function newBackend(transactionLimits?: { documentsRead?: number; documentsWritten?: number }) {
  return transactionLimits ? convexTest({ schema, modules, transactionLimits }) : convexTest(schema, modules);
}
export type Backend = ReturnType<typeof newBackend>;

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
export async function postEvent(t: Backend, event: object | string, options: SignOptions = {}): Promise<Response> {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  return await t.fetch("/clerk-webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...svixHeaders(body, options) },
    body,
  });
}

/** POSTs a signed event and returns the status and outcome from the JSON answer. */
export async function deliver(t: Backend, event: object | string, options: SignOptions = {}) {
  const response = await postEvent(t, event, options);
  const json = (await response.json()) as { outcome?: string; error?: string };
  return { status: response.status, ...json };
}

/** How many rows the given tables hold together (all tables when none are named). */
export async function countRows(t: Backend, tables: TableNames[] = Object.keys(schema.tables) as TableNames[]) {
  return await t.run(async (ctx) => {
    let total = 0;
    for (const table of tables) total += (await ctx.db.query(table).collect()).length;
    return total;
  });
}
