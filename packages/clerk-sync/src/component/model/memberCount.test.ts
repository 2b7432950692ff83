import { describe, expect, test } from "vitest";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { MutationCtx } from "../_generated/server.js";
import {
  addToShard,
  countMembers,
  countMembership,
  countUncounted,
  MEMBER_COUNT_SHARDS,
  shardOf,
} from "./memberCount.js";

const ORG = "org_count";

async function shards(t: Backend, organizationId = ORG) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("memberCountShards").collect())
      .filter((row) => row.organizationId === organizationId)
      .map(({ shard, count }) => ({ shard, count }))
      .sort((a, b) => a.shard - b.shard),
  );
}

async function insertMembership(ctx: MutationCtx, clerkId: string, organizationId: string, counted?: boolean) {
  return await ctx.db.insert("memberships", {
    clerkId,
    clerkVersion: 1,
    organizationId,
    userId: `user_${clerkId}`,
    role: "org:member",
    roleName: null,
    permissions: [],
    publicUserData: { firstName: null, lastName: null, imageUrl: null, identifier: null },
    searchText: "",
    ...(counted === undefined ? {} : { counted }),
  });
}

describe("shardOf", () => {
  test("is FNV-1a (32 bit) of the id, modulo the shard count", () => {
    // Reference FNV-1a values: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(shardOf("")).toBe(0x811c9dc5 % MEMBER_COUNT_SHARDS);
    expect(shardOf("a")).toBe(0xe40c292c % MEMBER_COUNT_SHARDS);
    expect(shardOf("foobar")).toBe(0xbf9cf968 % MEMBER_COUNT_SHARDS);
    expect([shardOf(""), shardOf("a"), shardOf("foobar")]).toEqual([5, 12, 8]);
  });

  test("spreads membership ids over all 16 shards, each within 0…15", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const shard = shardOf(`orgmem_${i}`);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(MEMBER_COUNT_SHARDS);
      seen.add(shard);
    }
    expect(seen.size).toBe(16);
  });
});

describe("addToShard", () => {
  test("creates the shard on first use, then adds to the same row", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await addToShard(ctx, ORG, 3, 1);
      await addToShard(ctx, ORG, 3, 2);
      await addToShard(ctx, ORG, 3, -1);
    });
    expect(await shards(t)).toEqual([{ shard: 3, count: 2 }]);
  });

  test("a delta of 0 writes nothing (no row, so no write conflict either)", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await addToShard(ctx, ORG, 7, 0);
    });
    expect(await shards(t)).toEqual([]);
  });
});

describe("countMembership", () => {
  test("+1 counts in the shard the membership's id picks; -1 of a counted row takes it back", async () => {
    const t = await newBackend();
    const membership = { organizationId: ORG, clerkId: "orgmem_1", counted: true };
    await t.run(async (ctx) => {
      await countMembership(ctx, membership, 1);
      await countMembership(ctx, { ...membership, clerkId: "orgmem_2" }, 1);
    });
    expect(await shards(t)).toEqual([
      { shard: shardOf("orgmem_1"), count: 1 },
      { shard: shardOf("orgmem_2"), count: 1 },
    ]);
    await t.run(async (ctx) => {
      await countMembership(ctx, membership, -1);
    });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(1);
  });

  test("-1 of a row never counted (from before the count) takes nothing", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await countMembership(ctx, { organizationId: ORG, clerkId: "orgmem_1", counted: true }, 1);
      await countMembership(ctx, { organizationId: ORG, clerkId: "orgmem_1", counted: undefined }, -1);
      await countMembership(ctx, { organizationId: ORG, clerkId: "orgmem_1", counted: false }, -1);
    });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(1);
  });
  test("+1 counts a row whatever its mark says (only taking away looks at the mark)", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await countMembership(ctx, { organizationId: ORG, clerkId: "orgmem_1", counted: undefined }, 1);
      await countMembership(ctx, { organizationId: ORG, clerkId: "orgmem_2", counted: false }, 1);
    });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(2);
  });
});

describe("countMembers", () => {
  test("sums this organization's shards only; 0 when it has none", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await addToShard(ctx, ORG, 0, 5);
      await addToShard(ctx, ORG, 15, 7);
      await addToShard(ctx, "org_other", 0, 100);
    });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(12);
    expect(await t.run(async (ctx) => await countMembers(ctx, "org_none"))).toBe(0);
  });
});

describe("countUncounted", () => {
  test("counts and marks the rows without a mark, skips counted ones, one shard write per shard", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await insertMembership(ctx, "orgmem_a1", ORG);
      await insertMembership(ctx, "orgmem_a2", ORG, false);
      await insertMembership(ctx, "orgmem_a3", ORG, true);
      // Two rows of one organization that hash to the same shard add up in one write.
      await insertMembership(ctx, "orgmem_1", "org_b");
      await insertMembership(ctx, "orgmem_1x", "org_b");
    });
    const sameShard = shardOf("orgmem_1") === shardOf("orgmem_1x");
    const result = await t.run(async (ctx) => await countUncounted(ctx, null, 10));
    expect(result).toMatchObject({ counted: 4, isDone: true });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(2);
    expect(await t.run(async (ctx) => await countMembers(ctx, "org_b"))).toBe(2);
    expect((await shards(t, "org_b")).length).toBe(sameShard ? 1 : 2);
    const marks = await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).map((row) => row.counted));
    expect(marks).toEqual([true, true, true, true, true]);

    // Run again: nothing left to count, the total does not move.
    expect(await t.run(async (ctx) => await countUncounted(ctx, null, 10))).toMatchObject({ counted: 0, isDone: true });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(2);
  });

  test("two rows in one shard make one shard row holding 2", async () => {
    const t = await newBackend();
    const ids: string[] = [];
    for (let i = 0; ids.length < 2; i++) if (shardOf(`orgmem_${i}`) === 4) ids.push(`orgmem_${i}`);
    await t.run(async (ctx) => {
      for (const id of ids) await insertMembership(ctx, id, ORG);
    });
    await t.run(async (ctx) => await countUncounted(ctx, null, 10));
    expect(await shards(t)).toEqual([{ shard: 4, count: 2 }]);
  });

  test("pages: counts at most `limit` rows and says where to go on", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (let i = 0; i < 3; i++) await insertMembership(ctx, `orgmem_p${i}`, ORG);
    });
    const first = await t.run(async (ctx) => await countUncounted(ctx, null, 2));
    expect(first).toMatchObject({ counted: 2, isDone: false });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(2);
    const second = await t.run(async (ctx) => await countUncounted(ctx, first.continueCursor, 2));
    expect(second).toMatchObject({ counted: 1, isDone: true });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(3);
  });
});
