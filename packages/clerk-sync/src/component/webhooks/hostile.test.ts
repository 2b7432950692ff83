/**
 * Hostile input to `POST /clerk-webhook`, property-based: whatever arrives, the answer is the one
 * the README documents, nothing unverified is written, and a verified event either applies whole
 * or is kept as a `failed` record with its payload (less private and unsafe metadata, in a table
 * of its own). HOSTILE_RUNS (default 20) sets how many cases
 * each property tries; the suite prints how many ran.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  CLERK_EVENT_TYPES,
  isClerkEventType,
  sampleEvent,
  userEvent,
  type ClerkEventType,
} from "../../../../../test/clerkEvents.js";
import { FOREIGN_SECRET, newBackend, newSvixId, SECRET, svixHeaders } from "../../../../../test/component/backend.js";
import {
  applyDamage,
  contentType,
  damagesTo,
  foreignSecret,
  headerValue,
  hostileMetadata,
  notJson,
  wrongValue,
} from "../../../../../test/hostile/arbitraries.js";
import {
  casesRun,
  countCase,
  HOSTILE_RUNS,
  expectCoped,
  expectRefused,
  send,
  sendSigned,
  snapshot,
} from "../../../../../test/hostile/harness.js";
import { runScheduledToEnd } from "../../../../../scripts/bench/scheduled.js";
import { eventHandlers } from "./registry.js";
import { MAX_BODY_BYTES } from "../../client/verify.js";

const RUNS = HOSTILE_RUNS;
/** Per event type, where a property runs once for each of Roster's ~40 types. */
const RUNS_PER_TYPE = Math.max(2, Math.ceil(RUNS / 2));
const TIMEOUT_MS = 120_000;
/** Svix's tolerance for the signing time, in seconds. */
const TOLERANCE_S = 5 * 60;

/** Every event type Roster handles: the registry's keys, so the suite grows with the catalog. */
const HANDLED_TYPES = Object.keys(eventHandlers).sort();
/**
 * Types Roster handles that Clerk's catalog lacks, with the catalog type whose payload they carry:
 * `session.updated` is handled in case Clerk sends it (the issue asks for it), as a session snapshot.
 */
const STAND_INS: Readonly<Record<string, ClerkEventType>> = { "session.updated": "session.created" };
/** Those the payload catalog has a sample (or a stand-in) for: all of them, as the first test checks. */
const SAMPLED_TYPES = HANDLED_TYPES.filter((type) => isClerkEventType(type) || type in STAND_INS);
/** Handled types whose sample carries public metadata. */
const METADATA_TYPES_ALL = SAMPLED_TYPES.filter((type) => "public_metadata" in (sampleBody(type).data as object));
/** The catalog's story up to its deletions, in order: a deployment with something in it. */
const WORLD_TYPES = CLERK_EVENT_TYPES.filter((type) => !type.endsWith(".deleted"));

function sampleBody(type: string): Record<string, unknown> {
  const base = isClerkEventType(type) ? type : STAND_INS[type];
  if (base === undefined) throw new Error(`test/clerkEvents.ts has no sample for ${type}`);
  return { ...structuredClone(sampleEvent(base)), type };
}

/** A user.created for a fresh id: a delivery that must apply. */
function freshUserBody(): string {
  return JSON.stringify(userEvent("user.created", { id: `user_hostile${newSvixId().slice(-12)}` }));
}

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  // Failed events are logged by design; keep the output readable.
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(() => {
  const total = [...casesRun].reduce((sum, [property, n]) => (property.startsWith(" ") ? sum : sum + n), 0);
  const lines = [...casesRun].map(([property, n]) => `  ${String(n).padStart(5)}  ${property}`);
  console.info(`Hostile input: ${total} cases (HOSTILE_RUNS=${RUNS})\n${lines.join("\n")}`);
});

test("every event type Roster handles has a sample in the payload catalog", () => {
  expect(HANDLED_TYPES.length).toBeGreaterThan(0);
  expect(HANDLED_TYPES.filter((type) => !isClerkEventType(type) && !(type in STAND_INS))).toEqual([]);
});

describe("unverifiable requests are refused and write nothing", () => {
  test(
    "random bytes, unsigned or signed for another body: 401",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
          countCase("random bytes, signature for another body");
          const t = await newBackend();
          const answer = await send(t, bytes, { "Content-Type": "application/json", ...svixHeaders(freshUserBody()) });
          await expectRefused(t, answer, 401);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "random bytes signed as their text: 400 when not JSON, else handled as a verified event",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
          countCase("random bytes, signed");
          const t = await newBackend();
          const text = new TextDecoder().decode(bytes);
          const svixId = newSvixId();
          const before = await snapshot(t);
          const answer = await send(t, bytes, { "Content-Type": "application/json", ...svixHeaders(text, { svixId }) });
          if (isJson(text)) await expectCoped(t, before, text, svixId, answer);
          else await expectRefused(t, answer, 400);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a truncated body: 401 under the full body's signature, 400 under its own",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SAMPLED_TYPES),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.boolean(),
          async (type, cut, signCut) => {
            countCase("truncated body");
            const t = await newBackend();
            const body = JSON.stringify(sampleBody(type));
            const truncated = body.slice(0, Math.min(body.length - 1, Math.floor(cut * body.length)));
            const headers = svixHeaders(signCut ? truncated : body);
            const answer = await send(t, truncated, { "Content-Type": "application/json", ...headers });
            await expectRefused(t, answer, signCut ? 400 : 401);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a body over 256 KiB, signed, by its bytes or its declared length: 413",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 64 * 1024 }),
          fc.constantFrom("x", "é", "€", "😀"),
          fc.boolean(),
          async (extra, char, declaredOnly) => {
            countCase("huge body");
            const t = await newBackend();
            const padding = char.repeat(Math.ceil((MAX_BODY_BYTES + extra) / new TextEncoder().encode(char).length));
            const big = JSON.stringify(userEvent("user.created", { public_metadata: { padding } }));
            const body = declaredOnly ? freshUserBody() : big;
            const headers = { "Content-Type": "application/json", ...svixHeaders(body) };
            const answer = await send(
              t,
              body,
              declaredOnly ? { ...headers, "content-length": String(MAX_BODY_BYTES + extra) } : headers,
            );
            await expectRefused(t, answer, 413);
          },
        ),
        { numRuns: Math.max(3, Math.ceil(RUNS / 4)) },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a missing or empty svix-id, svix-timestamp or svix-signature: 400",
    async () => {
      const names = ["svix-id", "svix-timestamp", "svix-signature"] as const;
      await fc.assert(
        fc.asyncProperty(fc.subarray([...names], { minLength: 1 }), fc.boolean(), async (dropped, emptyInstead) => {
          countCase("missing header");
          const t = await newBackend();
          const body = freshUserBody();
          const headers: Record<string, string> = { "Content-Type": "application/json", ...svixHeaders(body) };
          for (const name of dropped) {
            if (emptyInstead) headers[name] = "  ";
            else delete headers[name];
          }
          await expectRefused(t, await send(t, body, headers), 400);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a garbled svix-id or svix-signature: 401; a garbled svix-timestamp: 400 when not whole seconds or outside the tolerance, else 401",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("svix-id", "svix-timestamp", "svix-signature"),
          headerValue,
          async (name, value) => {
            const t = await newBackend();
            const body = freshUserBody();
            const headers: Record<string, string> = { "Content-Type": "application/json", ...svixHeaders(body) };
            fc.pre(value.trim() !== headers[name]);
            countCase("garbled header");
            headers[name] = value;
            const answer = await send(t, body, headers);
            if (name !== "svix-timestamp") return await expectRefused(t, answer, 401);
            // A timestamp that is not whole seconds is malformed (400); a number outside the tolerance is
            // 400; inside it, the signature (made for another time) does not match (401).
            // (Headers trim surrounding white space, as HTTP does.)
            const sent = value.trim();
            if (!/^\d{1,15}$/.test(sent)) return await expectRefused(t, answer, 400);
            const outside = Math.abs(Number(sent) - Date.now() / 1000) > TOLERANCE_S;
            await expectRefused(t, answer, outside ? 400 : 401);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a duplicated svix-id: 401",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.option(headerValue, { nil: undefined }), async (second) => {
          countCase("duplicated svix-id");
          const t = await newBackend();
          const body = freshUserBody();
          const signed = svixHeaders(body);
          const headers = new Headers({ "Content-Type": "application/json", ...signed });
          // Two values are read as one, "a, b": a message id Svix never signed.
          headers.append("svix-id", second ?? signed["svix-id"]);
          await expectRefused(t, await send(t, body, headers), 401);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "signatures from other secrets, however many: 401",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(foreignSecret, fc.constant(FOREIGN_SECRET)), { minLength: 1, maxLength: 4 }),
          async (secrets) => {
            countCase("signature from another secret");
            const t = await newBackend();
            const body = freshUserBody();
            const svixId = newSvixId();
            const signedAt = new Date();
            const signatures = secrets.map(
              (secret) => svixHeaders(body, { svixId, secret, signedAt })["svix-signature"],
            );
            const headers = {
              ...svixHeaders(body, { svixId, signedAt }),
              "Content-Type": "application/json",
              "svix-signature": signatures.join(" "),
            };
            await expectRefused(t, await send(t, body, headers), 401);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a signature made more than five minutes ago or ahead: 400",
    async () => {
      const beyond = fc.integer({ min: TOLERANCE_S + 5, max: 10 * 365 * 24 * 3600 });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            beyond,
            beyond.map((s) => -s),
          ),
          async (offsetSeconds) => {
            countCase("stale or future timestamp");
            const t = await newBackend();
            const body = freshUserBody();
            const answer = await sendSigned(t, body, {
              svixId: newSvixId(),
              signedAt: new Date(Date.now() + offsetSeconds * 1000),
            });
            await expectRefused(t, answer, 400);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a validly signed body that is not JSON: 400",
    async () => {
      await fc.assert(
        fc.asyncProperty(notJson, async (body) => {
          countCase("signed, not JSON");
          const t = await newBackend();
          await expectRefused(t, await sendSigned(t, body, { svixId: newSvixId() }), 400);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});

describe("verified requests: the answer depends on the signature, not on the wrapping", () => {
  test(
    "any content type, a second copy of a valid signature, a signing time within five minutes: applied once (a second svix-timestamp: 400)",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          contentType,
          fc.integer({ min: -(TOLERANCE_S - 5), max: TOLERANCE_S - 5 }),
          fc.constantFrom("none", "signature", "timestamp"),
          fc.array(fc.oneof(foreignSecret, headerValue), { maxLength: 2 }),
          async (type, offsetSeconds, duplicated, extraSignatures) => {
            countCase("verified with odd wrapping");
            const t = await newBackend();
            const body = freshUserBody();
            const svixId = newSvixId();
            const signed = svixHeaders(body, { svixId, signedAt: new Date(Date.now() + offsetSeconds * 1000) });
            const headers = new Headers(signed);
            if (type !== undefined) headers.set("Content-Type", type);
            // Svix sends several space-separated signatures (one per secret); any one that matches counts.
            const foreign = extraSignatures.map((s) =>
              s.startsWith("whsec_")
                ? svixHeaders(body, { svixId, secret: s })["svix-signature"]
                : s.replace(/\s/g, ""),
            );
            headers.set("svix-signature", [...foreign, signed["svix-signature"]].join(" "));
            // A header sent twice is read as "a, b": the timestamp's number and a signature still match.
            if (duplicated === "signature") headers.append("svix-signature", signed["svix-signature"]);
            if (duplicated === "timestamp") headers.append("svix-timestamp", signed["svix-timestamp"]);
            const before = await snapshot(t);
            const answer = await send(t, body, headers);
            // Two timestamps read as "a, b", which is no time at all: malformed, refused, nothing written.
            if (duplicated === "timestamp") return await expectRefused(t, answer, 400);
            expect(answer).toMatchObject({ status: 200, json: { outcome: "applied" } });
            expect(await expectCoped(t, before, body, svixId, answer)).toBe("applied");
            expect((await snapshot(t)).data.users).toHaveLength(1);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});

describe("verified but unusable events: 200 if the handler copes, else 500 with a failed record that keeps the payload less private metadata", () => {
  test(
    "JSON of the wrong shape",
    async () => {
      const knownType = fc.constantFrom(...SAMPLED_TYPES);
      const shapes = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.record({ type: fc.jsonValue({ maxDepth: 2 }), data: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
        fc.record({
          type: knownType,
          data: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string(), wrongValue, { maxKeys: 6 })),
        }),
        fc.record({ type: knownType, data: fc.constantFrom(null, [], {}, "", 0) }),
      );
      await fc.assert(
        fc.asyncProperty(shapes, async (shape) => {
          countCase("signed JSON of the wrong shape");
          const t = await newBackend();
          const body = JSON.stringify(shape);
          const svixId = newSvixId();
          const before = await snapshot(t);
          const answer = await sendSigned(t, body, { svixId });
          const outcome = await expectCoped(t, before, body, svixId, answer);
          // Without a string type and an object data there is no event to apply: kept as failed.
          if (!isEnvelope(shape)) expect(outcome).toBe("failed");
        }),
        { numRuns: RUNS * 2 },
      );
    },
    TIMEOUT_MS,
  );

  test.each(SAMPLED_TYPES)(
    "%s with fields removed, set to null or of the wrong type",
    async (type) => {
      const sample = sampleBody(type);
      await fc.assert(
        fc.asyncProperty(
          damagesTo(sample),
          fc.constantFrom("nothing", "the intact event", "the sample world"),
          async (damages, onTopOf) => {
            countCase("damaged event of every handled type");
            const t = await newBackend();
            // Fresh; after the same event as Clerk sent it (so the damaged one meets its row); or in
            // the catalog's whole story (users, organization, members, sessions …), so deletes cascade.
            const prior = onTopOf === "nothing" ? [] : onTopOf === "the intact event" ? [type] : WORLD_TYPES;
            for (const priorType of prior) {
              const intact = await sendSigned(t, JSON.stringify(sampleBody(priorType)), { svixId: newSvixId() });
              expect(intact.status, `${priorType}: ${intact.text}`).toBe(200);
            }
            await runScheduledToEnd(t);
            const damaged = sampleBody(type);
            for (const damage of damages) applyDamage(damaged, damage);
            const body = JSON.stringify(damaged);
            const svixId = newSvixId();
            const before = await snapshot(t);
            const outcome = await expectCoped(t, before, body, svixId, await sendSigned(t, body, { svixId }));
            countCase(`  … of which ${outcome}`);
          },
        ),
        { numRuns: RUNS_PER_TYPE },
      );
    },
    TIMEOUT_MS,
  );

  const METADATA_TYPES = SAMPLED_TYPES.filter((type) => "public_metadata" in (sampleBody(type).data as object));

  test.each(METADATA_TYPES)(
    "%s with hostile metadata keys and depth: applied, public metadata kept as sent, private never stored",
    async (type) => {
      await fc.assert(
        fc.asyncProperty(hostileMetadata, hostileMetadata, async (publicMetadata, privateMetadata) => {
          countCase("hostile metadata");
          const t = await newBackend();
          const marker = `private-${newSvixId()}`;
          const event = sampleBody(type);
          const data = event.data as Record<string, unknown>;
          data.public_metadata = publicMetadata;
          data.private_metadata = { ...privateMetadata, marker };
          if ("unsafe_metadata" in data) data.unsafe_metadata = privateMetadata;
          const nested = data.organization;
          if (typeof nested === "object" && nested !== null)
            Object.assign(nested, { public_metadata: publicMetadata, private_metadata: { marker } });
          const body = JSON.stringify(event);
          const svixId = newSvixId();
          const before = await snapshot(t);
          const answer = await sendSigned(t, body, { svixId });
          expect(answer.status, answer.text).toBe(200);
          await expectCoped(t, before, body, svixId, answer);

          const after = await snapshot(t);
          const everything = JSON.stringify([after.data, after.log, after.payloads, after.pin]);
          expect(everything.includes(marker)).toBe(false);
          // Wherever this object's row keeps public metadata, it is exactly what was sent.
          const sent = JSON.stringify(
            (JSON.parse(body) as { data: { public_metadata: unknown } }).data.public_metadata,
          );
          for (const rows of Object.values(after.data)) {
            for (const row of rows as Array<Record<string, unknown>>) {
              if (row.clerkId === data.id && "publicMetadata" in row) expect(row.publicMetadata).toBe(sent);
            }
          }
        }),
        { numRuns: RUNS_PER_TYPE },
      );
    },
    TIMEOUT_MS,
  );
});

describe("a failed event keeps what a retry needs and nothing more", () => {
  test.each(METADATA_TYPES_ALL)(
    "%s failing with hostile private and unsafe metadata, at any depth: kept without them",
    async (type) => {
      await fc.assert(
        fc.asyncProperty(hostileMetadata, hostileMetadata, async (publicMetadata, privateMetadata) => {
          countCase("failed with private metadata");
          const t = await newBackend();
          const broken = vi.spyOn(eventHandlers, type).mockRejectedValue(new Error("bug"));
          const marker = `private-${newSvixId()}`;
          const event = sampleBody(type);
          const data = event.data as Record<string, unknown>;
          data.public_metadata = publicMetadata;
          data.private_metadata = { ...privateMetadata, marker };
          data.unsafe_metadata = { marker };
          const nested = data.organization;
          if (typeof nested === "object" && nested !== null) Object.assign(nested, { private_metadata: { marker } });
          const body = JSON.stringify(event);
          const svixId = newSvixId();
          const before = await snapshot(t);
          const answer = await sendSigned(t, body, { svixId });
          expect(answer.status, answer.text).toBe(500);
          await expectCoped(t, before, body, svixId, answer);
          const after = await snapshot(t);
          expect(JSON.stringify([after.data, after.log, after.payloads, after.pin]).includes(marker)).toBe(false);
          broken.mockRestore();
        }),
        { numRuns: RUNS_PER_TYPE },
      );
    },
    TIMEOUT_MS,
  );
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isEnvelope(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { type, data } = value as Record<string, unknown>;
  return typeof type === "string" && type !== "" && typeof data === "object" && data !== null && !Array.isArray(data);
}
