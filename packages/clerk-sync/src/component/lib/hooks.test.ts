/**
 * The hooked db itself (hooks.ts `withHooks`): what each write form tells the hook, and what it
 * costs. `before` comes from a row the transaction already read or wrote, so a write after a read
 * reads nothing more; a write to a table the app does not sync reads nothing and calls no hook.
 * hooks.paths.test.ts covers the paths (webhook, cascade, backfill, …) end to end.
 */
import { describe, expect, test } from "vitest";
import { clearHookCalls, hookCalls, newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { Id } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import schema from "../schema.js";
import { readHandles, storeHandles } from "./handles.js";
import { HOOKED_TABLES, withChangeCause, withHooks, type Change, type SourceOf } from "./hooks.js";

const PERMISSION = {
  clerkId: "perm_1",
  clerkVersion: 1,
  key: "org:posts:read",
  name: "Read posts",
  description: null,
  type: "user",
} as const;

/** `ctx` whose db counts the document reads (`get`) and the queries (`query`) the hooked db makes. */
function counting(ctx: MutationCtx) {
  const counts = { gets: 0, queries: 0 };
  const db = new Proxy(ctx.db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "get")
        return (...args: unknown[]) => {
          counts.gets += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      if (prop === "query")
        return (...args: unknown[]) => {
          counts.queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ctx: { ...ctx, db } as MutationCtx, counts };
}

async function seedPermission(t: Backend, fields: Partial<typeof PERMISSION> = {}): Promise<Id<"permissions">> {
  return await t.run(async (ctx) => await ctx.db.insert("permissions", { ...PERMISSION, ...fields }));
}

/** The recording hook's calls since the last clear, then cleared. */
async function takeCalls(t: Backend): Promise<Change[]> {
  const calls = await hookCalls(t);
  await clearHookCalls(t);
  return calls;
}

/** Each way a read can return a row, each followed by a patch of that row. */
const READS: Array<[string, (db: MutationCtx["db"], id: Id<"permissions">) => Promise<unknown>]> = [
  ["get", async (db, id) => await db.get("permissions", id)],
  // The id-only form the lint rule forbids in engine code: an app's or a helper's code may still use it.
  // eslint-disable-next-line @convex-dev/explicit-table-ids
  ["get by id alone", async (db, id) => await db.get(id)],
  [
    "unique",
    async (db) =>
      await db
        .query("permissions")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "perm_1"))
        .unique(),
  ],
  ["first", async (db) => await db.query("permissions").order("desc").first()],
  ["collect", async (db) => await db.query("permissions").collect()],
  ["take", async (db) => await db.query("permissions").take(5)],
  ["paginate", async (db) => await db.query("permissions").paginate({ numItems: 5, cursor: null })],
  [
    "a query an async helper returned",
    async (db) => {
      // eslint-disable-next-line @typescript-eslint/require-await -- the point: an async helper returning the query itself
      const all = async () => db.query("permissions").withIndex("by_clerkId");
      return await (await all()).collect();
    },
  ],
  [
    "reads that found nothing first",
    async (db, id) => {
      await db
        .query("permissions")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "perm_none"))
        .first();
      await db
        .query("permissions")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "perm_none"))
        .unique();
      await db
        .query("permissions")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", "perm_none"))
        .paginate({ numItems: 1, cursor: null });
      return await db.get("permissions", id);
    },
  ],
  [
    "async iteration",
    async (db) => {
      for await (const row of db.query("permissions")) if (row.clerkId === "perm_1") break;
    },
  ],
];

describe("before, from what the transaction already read", () => {
  test.each(READS)("a row read by %s is patched with no second read", async (_name, read) => {
    const t = await newBackend({}, { hook: "record" });
    const id = await seedPermission(t);
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const db = withHooks(ctx, "webhook", {}).db;
      await read(db, id);
      const gets = counts.gets;
      await db.patch("permissions", id, { name: "Read all posts" });
      expect(counts.gets).toBe(gets);
    });
    const [call] = await takeCalls(t);
    expect(call).toMatchObject({
      table: "permissions",
      op: "update",
      before: { _id: id, name: "Read posts" },
      after: { _id: id, name: "Read all posts" },
      source: "webhook",
    });
    expect(call!.before).not.toHaveProperty("_creationTime");
    expect(call!.after).not.toHaveProperty("_creationTime");
  });

  test("a row not read yet is read once for before, and not again for the next write", async () => {
    const t = await newBackend({}, { hook: "record" });
    const id = await seedPermission(t);
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const db = withHooks(ctx, "webhook", {}).db;
      await db.patch("permissions", id, { name: "One" });
      expect(counts.gets).toBe(1);
      await db.replace("permissions", id, { ...PERMISSION, name: "Two" });
      await db.delete("permissions", id);
      expect(counts.gets).toBe(1);
    });
    const calls = await takeCalls(t);
    expect(calls.map((call) => [call.op, call.before?.name ?? null, call.after?.name ?? null])).toEqual([
      ["update", "Read posts", "One"],
      ["update", "One", "Two"],
      ["delete", "Two", null],
    ]);
  });

  test("a row inserted in the transaction is its own before: no read", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const db = withHooks(ctx, "webhook", {}).db;
      const id = await db.insert("permissions", PERMISSION);
      await db.patch("permissions", id, { description: "All of them" });
      expect(counts.gets).toBe(0);
    });
    const calls = await takeCalls(t);
    expect(calls.map((call) => call.op)).toEqual(["create", "update"]);
    expect(calls[0]!.before).toBeNull();
    expect(calls[0]!.after).toMatchObject({ ...PERMISSION, _id: calls[1]!.before!._id });
    expect(calls[1]!.before).toMatchObject({ description: null });
    expect(calls[1]!.after).toMatchObject({ description: "All of them" });
  });

  test("a field patched to undefined is gone from after", async () => {
    const t = await newBackend({}, { hook: "record" });
    const id = await t.run(async (ctx) => await ctx.db.insert("users", userRow()));
    await t.run(async (raw) => {
      const db = withHooks(raw, "webhook", {}).db;
      await db.patch("users", id, { verifiedEmails: undefined });
    });
    const [call] = await takeCalls(t);
    expect(call!.before).toHaveProperty("verifiedEmails", ["ada@example.com"]);
    expect(call!.after).not.toHaveProperty("verifiedEmails");
    expect(call!.after).toHaveProperty("clerkId", "user_1");
  });

  test("replace: after is the new value with the id, nothing of the old row kept", async () => {
    const t = await newBackend({}, { hook: "record" });
    const id = await t.run(async (ctx) => await ctx.db.insert("users", userRow()));
    await t.run(async (raw) => {
      const db = withHooks(raw, "webhook", {}).db;
      const { verifiedEmails: _dropped, ...rest } = userRow();
      await db.replace("users", id, { ...rest, firstName: "Augusta" });
    });
    const [call] = await takeCalls(t);
    expect(call!.after).toMatchObject({ _id: id, firstName: "Augusta" });
    expect(call!.after).not.toHaveProperty("verifiedEmails");
    expect(call!.before).toMatchObject({ _id: id, firstName: "Ada", verifiedEmails: ["ada@example.com"] });
  });
});

describe("the id-only write forms", () => {
  test("patch, replace and delete by id alone name the row's table", async () => {
    const t = await newBackend({}, { hook: "record" });
    const id = await seedPermission(t);
    await t.run(async (raw) => {
      const db = withHooks(raw, "webhook", {}).db;
      await (db.patch as unknown as (id: string, value: object) => Promise<void>)(id, { name: "One" });
      await (db.replace as unknown as (id: string, value: object) => Promise<void>)(id, { ...PERMISSION, name: "Two" });
      await (db.delete as unknown as (id: string) => Promise<void>)(id);
    });
    const calls = await takeCalls(t);
    expect(calls.map((call) => [call.table, call.op, call.before?._id, call.after?.name ?? null])).toEqual([
      ["permissions", "update", id, "One"],
      ["permissions", "update", id, "Two"],
      ["permissions", "delete", id, null],
    ]);
    expect(await t.run(async (ctx) => await ctx.db.get("permissions", id))).toBeNull();
  });

  test("a string that is no id of the component's tables is refused, naming it", async () => {
    const t = await newBackend({}, { hook: "record" });
    await expect(
      t.run(async (raw) => {
        const db = withHooks(raw, "webhook", {}).db;
        await (db.delete as unknown as (id: string) => Promise<void>)("not-an-id");
      }),
    ).rejects.toThrow("clerkSync: not-an-id is not an id of any of the component's tables.");
  });

  test("a table name as the first of two strings is the table, not an id", async () => {
    const t = await newBackend({}, { hook: "record" });
    const id = await seedPermission(t);
    await t.run(async (raw) => {
      const db = withHooks(raw, "webhook", {}).db;
      await db.delete("permissions", id);
    });
    expect((await takeCalls(t)).map((call) => [call.table, call.op])).toEqual([["permissions", "delete"]]);
  });
});

describe("tables the app does not sync", () => {
  test("the hooked tables are exactly those whose rows come from Clerk (a clerkVersion field)", () => {
    const fromClerk = Object.entries(schema.tables)
      .filter(([, table]) => "clerkVersion" in (table.validator as unknown as { fields: object }).fields)
      .map(([name]) => name);
    expect([...HOOKED_TABLES].sort()).toEqual(fromClerk.sort());
  });

  test("writes read nothing and call no hook", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const db = withHooks(ctx, "webhook", {}).db;
      const id = await db.insert("tombstones", { kind: "user", clerkId: "user_1", deletedAt: 1 });
      await db.patch("tombstones", id, { deletedAt: 2 });
      await db.replace("tombstones", id, { kind: "user", clerkId: "user_1", deletedAt: 3 });
      await (db.patch as unknown as (id: string, value: object) => Promise<void>)(id, { deletedAt: 4 });
      await db.delete("tombstones", id);
      expect(counts).toEqual({ gets: 0, queries: 0 });
    });
    expect(await takeCalls(t)).toEqual([]);
  });
});

describe("the app's handles and the source", () => {
  test("the config is read once for all of a transaction's changes, and not at all without one", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const db = withHooks(ctx, "webhook", {}).db;
      await db.query("tombstones").collect();
      const readsBefore = counts.queries;
      await db.insert("tombstones", { kind: "user", clerkId: "user_1", deletedAt: 1 });
      expect(counts.queries).toBe(readsBefore);
      const first = await db.insert("permissions", PERMISSION);
      const afterFirst = counts.queries + counts.gets;
      await db.insert("permissions", { ...PERMISSION, clerkId: "perm_2" });
      await db.patch("permissions", first, { name: "Renamed" });
      expect(counts.queries + counts.gets).toBe(afterFirst);
    });
    expect(await takeCalls(t)).toHaveLength(3);
  });

  test("handles read through the hooked db are the ones its hook calls use: still one read", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const hooked = withHooks(ctx, "webhook", {});
      expect((await readHandles(hooked))?.onChange).toEqual(expect.any(String));
      const read = counts.queries + counts.gets;
      await hooked.db.insert("permissions", PERMISSION);
      expect(counts.queries + counts.gets).toBe(read);
    });
    expect(await takeCalls(t)).toHaveLength(1);
  });

  test("a mutation declared to change no synced row (source null) fails when it changes one, hook or none", async () => {
    for (const hook of ["record", "none"] as const) {
      const t = await newBackend({}, { hook });
      await expect(
        t.run(async (raw) => {
          const db = withHooks(raw, null, {}).db;
          await db.insert("tombstones", { kind: "user", clerkId: "user_1", deletedAt: 1 });
          await db.insert("permissions", PERMISSION);
        }),
      ).rejects.toThrow(
        "clerkSync: a mutation declared to change no synced row (source: null) changed one of permissions.",
      );
      expect(await t.run(async (ctx) => await ctx.db.query("tombstones").collect())).toEqual([]);
    }
  });

  test("handles a delivery stores are the ones its hooks use: the config row is not read again", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const { ctx, counts } = counting(raw);
      const hooked = withHooks(ctx, "webhook", {});
      const handles = await readHandles(raw);
      expect(await storeHandles(hooked, handles!)).toBe(false);
      const read = counts.queries + counts.gets;
      await hooked.db.insert("permissions", PERMISSION);
      expect(counts.queries + counts.gets).toBe(read);
    });
    expect(await takeCalls(t)).toHaveLength(1);
  });

  test("onChange null: changes are made and no hook is called", async () => {
    const t = await newBackend({}, { hook: "none" });
    const id = await t.run(async (raw) => await withHooks(raw, "webhook", {}).db.insert("permissions", PERMISSION));
    expect(await t.run(async (ctx) => (await ctx.db.get("permissions", id))?.key)).toBe(PERMISSION.key);
    expect(await hookCalls(t)).toEqual([]);
  });

  test("a source from the arguments is asked once, at the first change, with the mutation's arguments", async () => {
    const t = await newBackend({}, { hook: "record" });
    const asked: unknown[] = [];
    const source: SourceOf<{ why: string }> = (_ctx, args) => {
      asked.push(args);
      return { source: "cascade", cause: { kind: "user", clerkId: args.why } };
    };
    await t.run(async (raw) => {
      const db = withHooks(raw, source, { why: "user_9" }).db;
      await db.insert("tombstones", { kind: "user", clerkId: "user_9", deletedAt: 1 });
      expect(asked).toEqual([]);
      const id = await db.insert("permissions", PERMISSION);
      await db.delete("permissions", id);
    });
    expect(asked).toEqual([{ why: "user_9" }]);
    const calls = await takeCalls(t);
    expect(calls.map((call) => [call.op, call.source, call.cause])).toEqual([
      ["create", "cascade", { kind: "user", clerkId: "user_9" }],
      ["delete", "cascade", { kind: "user", clerkId: "user_9" }],
    ]);
  });

  test("a plain source from the arguments sets no cause", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      await withHooks(raw, () => Promise.resolve("backfill" as const), {}).db.insert("permissions", PERMISSION);
    });
    const [call] = await takeCalls(t);
    expect(call!.source).toBe("backfill");
    expect(call).not.toHaveProperty("cause");
  });
});

describe("withChangeCause", () => {
  test("names the cause on the changes made inside it, over the source's, then the source's again", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const ctx = withHooks(raw, { source: "cascade", cause: { kind: "user", clerkId: "user_1" } } as never, {});
      await withChangeCause(ctx, { kind: "organization", clerkId: "org_1" }, async () => {
        await ctx.db.insert("permissions", { ...PERMISSION, clerkId: "perm_a" });
        await withChangeCause(ctx, { kind: "membership", clerkId: "orgmem_1" }, async () => {
          await ctx.db.insert("permissions", { ...PERMISSION, clerkId: "perm_b" });
        });
        await ctx.db.insert("permissions", { ...PERMISSION, clerkId: "perm_c" });
      });
      await ctx.db.insert("permissions", { ...PERMISSION, clerkId: "perm_d" });
    });
    const calls = await takeCalls(t);
    expect(calls.map((call) => [call.after?.clerkId, call.cause?.kind ?? null])).toEqual([
      ["perm_a", "organization"],
      ["perm_b", "membership"],
      ["perm_c", "organization"],
      ["perm_d", "user"],
    ]);
  });

  test("a change after a throwing block has no cause", async () => {
    const t = await newBackend({}, { hook: "record" });
    await t.run(async (raw) => {
      const ctx = withHooks(raw, "webhook", {});
      await expect(
        withChangeCause(ctx, { kind: "membership", clerkId: "orgmem_1" }, () => Promise.reject(new Error("stop"))),
      ).rejects.toThrow("stop");
      await ctx.db.insert("permissions", PERMISSION);
    });
    const [call] = await takeCalls(t);
    expect(call).not.toHaveProperty("cause");
  });
});

function userRow() {
  return {
    clerkId: "user_1",
    clerkVersion: 1,
    email: "ada@example.com",
    phone: null,
    username: "ada",
    firstName: "Ada",
    lastName: "Lovelace",
    imageUrl: null,
    publicMetadata: "{}",
    verifiedEmails: ["ada@example.com"],
  };
}
