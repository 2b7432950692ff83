import { describe, expect, test } from "vitest";
import { newBackend } from "../../../../../test/component/backend.js";
import { holdsFields, markTombstoneProvisional, sameValue, writeSynced } from "./sync.js";

// "A snapshot that changes nothing writes nothing" rests on this comparison: a wrong "same" loses an
// update, a wrong "different" writes (and re-runs every subscribed query) for nothing.
describe("sameValue", () => {
  test.each([
    ["equal scalars", "a", "a", true],
    ["different strings", "a", "b", false],
    ["null and null", null, null, true],
    ["null and an object", null, {}, false],
    ["an object and null", {}, null, false],
    ["a string and an object", "x", { x: 1 }, false],
    ["an object and a string", { x: 1 }, "x", false],
    // A string's characters read as indexed keys: only the type check tells these apart.
    ["a string and an object holding its characters", "ab", { 0: "a", 1: "b" }, false],
    ["an empty string and an empty object", "", {}, false],
    ["equal arrays", ["a", "b"], ["a", "b"], true],
    ["arrays in another order", ["a", "b"], ["b", "a"], false],
    ["a longer array", ["a"], ["a", "b"], false],
    ["a shorter array", ["a", "b"], ["a"], false],
    ["arrays differing in one of several items", ["a", "b", "c"], ["a", "x", "c"], false],
    ["an array and an object with the same indexes", ["a"], { 0: "a" }, false],
    ["an object and an array with the same indexes", { 0: "a" }, ["a"], false],
    ["an empty array and an empty object", [], {}, false],
    // Same indexes and the same length: only the array check tells these apart.
    ["an array and an object with its items and length", ["a"], { 0: "a", length: 1 }, false],
    ["equal nested objects", { a: { b: [1, { c: null }] } }, { a: { b: [1, { c: null }] } }, true],
    ["nested objects differing deep down", { a: { b: [1, { c: null }] } }, { a: { b: [1, { c: 0 }] } }, false],
    ["an extra key", { a: 1 }, { a: 1, b: 2 }, false],
    ["a missing key", { a: 1, b: 2 }, { a: 1 }, false],
  ])("%s", (_, a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
    expect(sameValue(b, a)).toBe(expected);
  });
});

describe("holdsFields", () => {
  test("true when the row holds every field given, whatever else it holds", () => {
    expect(holdsFields({ a: 1, b: [1], c: "x" }, { a: 1, b: [1] })).toBe(true);
  });
  test("false when one field differs, or is absent from the row", () => {
    expect(holdsFields({ a: 1, b: [1] }, { a: 1, b: [2] })).toBe(false);
    expect(holdsFields({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
});

describe("writeSynced says whether it wrote", () => {
  const fields = { key: "org:admin", name: "Admin", description: null, permissions: ["p"] };

  test("a new row, a newer version and a changed field write; the same snapshot, an older one and a deleted object do not", async () => {
    const t = await newBackend();
    const write = (version: number, changes: Partial<typeof fields> = {}) =>
      t.run(async (ctx) => await writeSynced(ctx, "roles", "role", "role_1", version, { ...fields, ...changes }));
    expect(await write(10)).toEqual({ result: "applied", changed: true });
    expect(await write(10)).toEqual({ result: "applied", changed: false });
    expect(await write(10, { permissions: ["p", "q"] })).toEqual({ result: "applied", changed: true });
    expect(await write(9)).toEqual({ result: "stale", changed: false });
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "role", clerkId: "role_1", deletedAt: 11 });
    });
    expect(await write(12)).toEqual({ result: "stale", changed: false });
  });
});

describe("markTombstoneProvisional", () => {
  test("turns the tombstone a removal just wrote provisional, at the removed row's version", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("tombstones", { kind: "user", clerkId: "user_1", deletedAt: 1_000 });
      await markTombstoneProvisional(ctx, "user", "user_1", 7);
    });
    const tombstones = await t.run(async (ctx) => await ctx.db.query("tombstones").collect());
    expect(
      tombstones.map(({ kind, clerkId, deletedAt, provisional }) => ({ kind, clerkId, deletedAt, provisional })),
    ).toEqual([{ kind: "user", clerkId: "user_1", deletedAt: 7, provisional: true }]);
  });

  test("leaves one for a row removed without a tombstone of its own (a cascade's)", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await markTombstoneProvisional(ctx, "session", "sess_1", 5);
    });
    const tombstones = await t.run(async (ctx) => await ctx.db.query("tombstones").collect());
    expect(
      tombstones.map(({ kind, clerkId, deletedAt, provisional }) => ({ kind, clerkId, deletedAt, provisional })),
    ).toEqual([{ kind: "session", clerkId: "sess_1", deletedAt: 5, provisional: true }]);
  });
});
