import { describe, expect, test } from "vitest";
import { countRows, newBackend, seedInBatches } from "./convex";

const role = (i: number) => ({ roleId: `role_${i}`, key: `org:r${i}`, deletedAt: i });

describe("every backend test runs under Convex's per-transaction limits", () => {
  test("by default: a transaction writing more than 16,000 documents fails as Convex fails it", async () => {
    const t = newBackend();
    await expect(
      t.run(async (ctx) => {
        for (let i = 0; i <= 16_000; i += 1) await ctx.db.insert("deletedRoles", role(i));
      }),
    ).rejects.toThrow(/Wrote too many documents in a single function execution \(limit: 16000\)/);
    // It rolled back whole.
    expect(await countRows(t, ["deletedRoles"])).toBe(0);
  });

  test("a test that needs a tighter limit passes it", async () => {
    const t = newBackend({ documentsWritten: 10 });
    await t.run(async (ctx) => {
      for (let i = 0; i < 10; i += 1) await ctx.db.insert("deletedRoles", role(i));
    });
    await expect(
      t.run(async (ctx) => {
        for (let i = 0; i < 11; i += 1) await ctx.db.insert("deletedRoles", role(i));
      }),
    ).rejects.toThrow(/limit: 10\)/);
  });

  test("a fixture larger than one transaction may write is seeded in batches", async () => {
    const t = newBackend({ documentsWritten: 100 });
    await seedInBatches(t, 250, async (ctx, i) => await ctx.db.insert("deletedRoles", role(i)), 100);
    expect(await countRows(t, ["deletedRoles"])).toBe(250);
  });
});
