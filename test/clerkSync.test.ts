import { describe, expect, test } from "vitest";
import { ClerkSync } from "convex-clerk-sync";
import { runInComponent } from "convex-clerk-sync/test";
import { components } from "../convex/_generated/api";
import { newBackend } from "./convex";

const handles = { onChange: "function://;clerk:onChange", clerkApi: "function://;clerk:clerkApi" };

describe("Roster's backend mounts the clerkSync component", () => {
  test("its functions run through components.clerkSync, against the component's own tables", async () => {
    const t = newBackend();
    expect(await t.query(components.clerkSync.config.get, {})).toBeNull();
    expect(await t.mutation(components.clerkSync.config.store, { handles })).toBe(true);
    expect(await t.query(components.clerkSync.config.get, {})).toEqual(handles);
    const rows = await runInComponent(t, async (ctx) => await ctx.db.query("config").collect());
    expect(rows.map((row) => row.handles)).toEqual([handles]);
  });

  test("the ClerkSync client stores the handles once and reads them back from an app function", async () => {
    const t = newBackend();
    const clerk = new ClerkSync(components.clerkSync);
    expect(await t.run(async (ctx) => await clerk.storedHandles(ctx))).toBeNull();
    expect(await t.run(async (ctx) => await clerk.storeHandles(ctx, handles))).toBe(true);
    expect(await t.run(async (ctx) => await clerk.storeHandles(ctx, handles))).toBe(false);
    const changed = { ...handles, clerkApi: "function://;clerk:clerkApi2" };
    expect(await t.run(async (ctx) => await clerk.storeHandles(ctx, changed))).toBe(true);
    expect(await t.run(async (ctx) => await clerk.storedHandles(ctx))).toEqual(changed);
  });
});
