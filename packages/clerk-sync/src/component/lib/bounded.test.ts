import { describe, expect, test } from "vitest";
import { clampCount, removeWithin } from "./bounded.js";

describe("clampCount", () => {
  test.each([
    [undefined, 20],
    [5, 5],
    [5.9, 5],
    [0, 1],
    [-3, 1],
    [1_000, 100],
    [Number.NaN, 20],
    [Number.POSITIVE_INFINITY, 20],
    [Number.NEGATIVE_INFINITY, 20],
  ])("clampCount(%s, 20, 100) = %s", (value, expected) => {
    expect(clampCount(value, 20, 100)).toBe(expected);
  });
});

describe("removeWithin", () => {
  test("stops once the budget is spent and says more may be due", async () => {
    const calls: number[] = [];
    const step = (available: number) => (limit: number) => {
      calls.push(limit);
      return Promise.resolve(Math.min(limit, available));
    };
    expect(await removeWithin(10, [step(4), step(50), step(50)])).toEqual({ removed: 10, more: true });
    expect(calls).toEqual([10, 6]);
  });

  test("runs every step when the budget is not reached", async () => {
    expect(await removeWithin(10, [() => Promise.resolve(2), () => Promise.resolve(3)])).toEqual({
      removed: 5,
      more: false,
    });
  });
});
