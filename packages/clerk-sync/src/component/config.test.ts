import { convexTest } from "convex-test";
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import type { MutationCtx } from "./_generated/server.js";
import { NOT_CONFIGURED, requireHandles, sameHandles, storeHandles } from "./config.js";
import schema from "./schema.js";

const modules = import.meta.glob(["./**/*.*s", "!./**/*.test.*s"]);
const handles = { onChange: "function://;app:onChange" };

describe("the config singleton", () => {
  test("is written when the handles change, and only then", async () => {
    const t = convexTest(schema, modules);
    expect(await t.query(api.config.get, {})).toBeNull();
    expect(await t.mutation(api.config.store, { handles })).toBe(true);
    expect(await t.mutation(api.config.store, { handles })).toBe(false);
    const moved = { ...handles, onChange: "function://;app:onChange2" };
    expect(await t.mutation(api.config.store, { handles: moved })).toBe(true);
    expect(await t.query(api.config.get, {})).toEqual(moved);
    const rows = await t.run(async (ctx) => await ctx.db.query("config").collect());
    expect(rows.map((row) => row.handles)).toEqual([moved]);
    // Unchanged handles write nothing (every webhook passes them: a write would make the row hot).
    const written = await t.run(async (ctx) => {
      const refuse = () => {
        throw new Error("storeHandles wrote unchanged handles");
      };
      const db = { query: ctx.db.query.bind(ctx.db), insert: refuse, patch: refuse, replace: refuse, delete: refuse };
      return await storeHandles({ ...ctx, db } as unknown as MutationCtx, moved);
    });
    expect(written).toBe(false);
  });

  test("requireHandles fails loudly before the app stored any, then returns them", async () => {
    const t = convexTest(schema, modules);
    const error = await t.run(async (ctx) => await requireHandles(ctx)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConvexError);
    // The code is part of the contract (an app or a run step may match on it): pinned as written.
    expect(NOT_CONFIGURED).toBe("CLERK_SYNC_NOT_CONFIGURED");
    expect((error as ConvexError<{ code: string; message: string }>).data).toEqual({
      code: "CLERK_SYNC_NOT_CONFIGURED",
      message: expect.stringContaining("has not passed its handles"),
    });
    await t.mutation(api.config.store, { handles });
    expect(await t.run(async (ctx) => await requireHandles(ctx))).toEqual(handles);
  });

  test.each([
    ["the same handles", handles, true],
    ["another dispatcher", { ...handles, onChange: "function://;app:other" }, false],
    ["no hooks (onChange: null)", { ...handles, onChange: null }, false],
    ["a handle the stored row lacks", { ...handles, events: "function://;app:events" }, false],
  ])("sameHandles: %s → %s", (_, other, same) => {
    expect(sameHandles(handles, other)).toBe(same);
    expect(sameHandles(other, handles)).toBe(same);
  });
});
