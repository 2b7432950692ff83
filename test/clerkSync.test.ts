import { describe, expect, test } from "vitest";
import { runInComponent } from "convex-clerk-sync/test";
import { components } from "../convex/_generated/api";
import { clerk } from "../convex/clerk";
import { newBackend } from "./convex";

const handles = { onChange: "function://;clerk:onChange", onEvent: null };

describe("Roster's backend mounts the clerkSync component", () => {
  test("its functions run through components.clerkSync, against the component's own tables", async () => {
    const t = newBackend();
    expect(await t.query(components.clerkSync.config.get, {})).toBeNull();
    expect(await t.mutation(components.clerkSync.config.store, { handles })).toBe(true);
    expect(await t.query(components.clerkSync.config.get, {})).toEqual(handles);
    const rows = await runInComponent(t, async (ctx) => await ctx.db.query("config").collect());
    expect(rows.map((row) => row.handles)).toEqual([handles]);
  });

  test("Roster's client hands over its change and event hooks once, and reads them back", async () => {
    const t = newBackend();
    expect(await t.run(async (ctx) => await clerk.storedHandles(ctx))).toBeNull();
    expect(await t.run(async (ctx) => await clerk.storeHandles(ctx))).toBe(true);
    expect(await t.run(async (ctx) => await clerk.storeHandles(ctx))).toBe(false);
    const stored = await t.run(async (ctx) => await clerk.storedHandles(ctx));
    // Function handles name Roster's own hook mutations (convex/clerk.ts, convex/clerkEvents.ts).
    expect(stored?.onChange).toMatch(/clerk:onChange/);
    expect(stored?.onEvent).toMatch(/clerkEvents:onEvent/);
  });
});
