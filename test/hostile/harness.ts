/**
 * The hostile-input suite's harness: send anything to `POST /clerk-webhook`, take a snapshot of
 * every table, and assert the answers the README documents — refused requests write nothing, and
 * a verified event either applies in full (200) or is kept as a `failed` record with its payload
 * less private metadata (500), never half-written.
 */
import { expect } from "vitest";
import type { Doc } from "../../packages/clerk-sync/src/component/_generated/dataModel";
import { runScheduledToEnd } from "../../scripts/bench/scheduled";
import { countRows, STATE_TABLES, svixHeaders, type Backend } from "../component/backend";

/** Every table of the clerkSync component but its config singleton (set before any request). */
export const ALL_TABLES = STATE_TABLES;
/**
 * Ingestion's own bookkeeping: the event log, the payloads kept for failed and foreign events (and
 * the users they name), the pinned instance and its check.
 */
const BOOKKEEPING: string[] = [
  "webhookEvents",
  "failedPayloads",
  "failedPayloadSubjects",
  "clerkInstance",
  "clerkInstanceChecks",
];
/** Every table but ingestion's bookkeeping: what an event may change. */
export const DATA_TABLES = ALL_TABLES.filter((table) => !BOOKKEEPING.includes(table));

/** Keys never stored, at any depth (the test's own reading of the rule, not the backend's code). */
const PRIVATE_KEYS = ["private_metadata", "unsafe_metadata"];

/** `value` without private and unsafe metadata, at any depth. */
function withoutPrivate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrivate);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !PRIVATE_KEYS.includes(key))
      .map(([key, inner]) => [key, withoutPrivate(inner)]),
  );
}

function hasPrivate(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPrivate);
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([key, inner]) => PRIVATE_KEYS.includes(key) || hasPrivate(inner));
}

/**
 * The payload a failed event keeps: the body itself when it holds no private or unsafe metadata,
 * else the same JSON without them.
 */
export function expectKeptPayload(kept: string | undefined, body: string): void {
  expect(kept).toBeDefined();
  const sent: unknown = JSON.parse(body);
  if (!hasPrivate(sent)) return void expect(kept).toBe(body);
  const stored: unknown = JSON.parse(kept ?? "null");
  expect(hasPrivate(stored)).toBe(false);
  expect(stored).toEqual(withoutPrivate(sent));
}

/**
 * How many cases each property tries (HOSTILE_RUNS, default 20: the suite then takes seconds).
 * Raise it to search harder: `HOSTILE_RUNS=500 npx vitest run packages/clerk-sync/src/component/webhooks/hostile.test.ts`.
 */
export const HOSTILE_RUNS = Math.max(1, Math.floor(Number(process.env.HOSTILE_RUNS ?? "20")) || 20);

/** How many cases each property ran, for the report at the end of the suite. */
export const casesRun = new Map<string, number>();
export function countCase(property: string): void {
  casesRun.set(property, (casesRun.get(property) ?? 0) + 1);
}

export type Answer = { status: number; text: string; json: Record<string, unknown> | null };

/** POSTs raw bytes or text with exactly the headers given (no signing). Never throws on an answer. */
export async function send(t: Backend, body: string | Uint8Array<ArrayBuffer>, headers: HeadersInit): Promise<Answer> {
  const response = await t.fetch("/clerk-webhook", { method: "POST", headers, body });
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

/** POSTs `body` signed as Svix signs it, with `Content-Type: application/json`. */
export async function sendSigned(
  t: Backend,
  body: string,
  options: Parameters<typeof svixHeaders>[1] & { svixId: string },
): Promise<Answer> {
  return await send(t, body, { "Content-Type": "application/json", ...svixHeaders(body, options) });
}

export type State = {
  data: Record<string, unknown[]>;
  log: Array<Doc<"webhookEvents">>;
  payloads: Array<Doc<"failedPayloads">>;
  pin: Array<Doc<"clerkInstance">>;
  scheduled: number;
};

/** Every row of every table, and how many functions are scheduled. */
export async function snapshot(t: Backend): Promise<State> {
  return await t.run(async (ctx) => {
    const data: Record<string, unknown[]> = {};
    for (const table of DATA_TABLES) data[table] = await ctx.db.query(table).collect();
    const log = await ctx.db.query("webhookEvents").collect();
    const payloads = await ctx.db.query("failedPayloads").collect();
    const pin = await ctx.db.query("clerkInstance").collect();
    const scheduled = (await ctx.db.system.query("_scheduled_functions").collect()).length;
    return { data, log, payloads, pin, scheduled };
  });
}

/** A JSON answer `{ error: "…" }` and nothing else. */
function expectError(answer: Answer): void {
  expect(Object.keys(answer.json ?? {}), answer.text).toEqual(["error"]);
  expect(typeof answer.json?.error).toBe("string");
}

/** A refused request: the documented status, a JSON error, and nothing written or scheduled. */
export async function expectRefused(t: Backend, answer: Answer, status: number | number[]): Promise<void> {
  expect(Array.isArray(status) ? status : [status]).toContain(answer.status);
  expectError(answer);
  expect(await countRows(t)).toBe(0);
  expect((await snapshot(t)).scheduled).toBe(0);
}

const COPED = ["applied", "stale", "ignored", "foreign"];

type Row = Record<string, unknown>;

/**
 * Deletes are final, whatever arrived: no live row for a deleted Clerk object, and once the
 * cascades have run, no membership or session of a deleted user or organization.
 */
export function expectDeletesFinal(state: State): void {
  const deleted = new Set((state.data.tombstones as Row[]).map((row) => String(row.clerkId)));
  for (const [table, rows] of Object.entries(state.data)) {
    if (table === "tombstones") continue;
    const fields = ["clerkId", ...(PARENT_FIELDS[table] ?? [])];
    for (const row of rows as Row[]) {
      for (const field of fields) {
        const id = row[field];
        if (typeof id === "string" && deleted.has(id)) {
          expect.fail(`a ${table} row (${String(row.clerkId)}) outlived the deletion of its ${field} ${id}`);
        }
      }
    }
  }
}

/** The parents whose deletion removes a row (by the cascades), per table. */
const PARENT_FIELDS: Record<string, string[]> = {
  memberships: ["organizationId", "userId"],
  sessions: ["userId"],
  organizationInvitations: ["organizationId"],
  organizationDomains: ["organizationId"],
};

/**
 * A verified event, delivered on top of `before`: either 200 with applied / stale / ignored and
 * its log row (nothing but the log row written unless applied), or 500 `failed` with a log row
 * and a kept payload (the exact body less private and unsafe metadata) and nothing else written
 * or scheduled. A second delivery of the same
 * message is then a duplicate (after a 200) or fails the same way, still keeping the payload.
 * Returns the outcome.
 */
export async function expectCoped(
  t: Backend,
  before: State,
  body: string,
  svixId: string,
  answer: Answer,
): Promise<string> {
  expect([200, 500], answer.text).toContain(answer.status);
  const outcome = answer.json?.outcome;
  const after = await snapshot(t);
  const logged = after.log.filter((row) => row.svixId === svixId);
  expect(logged).toHaveLength(1);
  const [row] = logged;
  expect(after.log).toHaveLength(before.log.length + 1);
  if (answer.status === 200) {
    expect(COPED).toContain(outcome);
    expect(row).toMatchObject({ outcome, attempts: 1 });
    expect(row?.payload).toBeUndefined();
    // A foreign event's payload is kept as a failed one's (to apply once the pin is corrected).
    if (outcome === "foreign") expectKeptPayload(after.payloads.find((kept) => kept.svixId === svixId)?.payload, body);
    else expect(after.payloads.filter((kept) => kept.svixId === svixId)).toEqual([]);
    if (outcome !== "applied") {
      expect(after.data).toEqual(before.data);
      expect(after.scheduled).toBe(before.scheduled);
    }
  } else {
    expect(Object.keys(answer.json ?? {}).sort(), answer.text).toEqual(["error", "outcome"]);
    expect(answer.json).toMatchObject({ outcome: "failed" });
    expect(typeof answer.json?.error).toBe("string");
    expect(row).toMatchObject({ outcome: "failed", attempts: 1 });
    // The log row never holds the payload; its own table keeps it, less private metadata.
    expect(row?.payload).toBeUndefined();
    expectKeptPayload(after.payloads.find((kept) => kept.svixId === svixId)?.payload, body);
    expect(after.pin).toEqual(before.pin);
    expect(after.data).toEqual(before.data);
    expect(after.scheduled).toBe(before.scheduled);
  }
  await runScheduledToEnd(t);
  const settled = await snapshot(t);
  expectDeletesFinal(settled);

  // Svix delivers the same message again.
  const again = await sendSigned(t, body, { svixId });
  const final = await snapshot(t);
  expect(final.data).toEqual(settled.data);
  if (answer.status === 200) {
    // A foreign event has not taken effect: delivered again, it is checked again (still foreign).
    expect(again).toMatchObject({ status: 200, json: { outcome: outcome === "foreign" ? "foreign" : "duplicate" } });
  } else {
    expect(again).toMatchObject({ status: 500, json: { outcome: "failed" } });
    const rows = final.log.filter((r) => r.svixId === svixId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "failed", attempts: 2 });
    const kept = final.payloads.filter((k) => k.svixId === svixId);
    expect(kept).toHaveLength(1);
    expectKeptPayload(kept[0]?.payload, body);
  }
  return String(outcome);
}
