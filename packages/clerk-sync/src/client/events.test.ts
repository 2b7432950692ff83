/// <reference types="vite/client" />
import type { OrganizationMembershipJSON, UserDeletedJSON, UserJSON } from "@clerk/backend";
import { convexTest } from "convex-test";
import { createFunctionHandle, makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import {
  envelope,
  INSTANCE_ID,
  membershipEvent,
  organizationEvent,
  subscriptionItemEvent,
  userEvent,
} from "../../../../test/clerkEvents.js";
import { eventHookSchema, REFUSED } from "../../../../test/clerkEventHooks.js";
import { api } from "../component/_generated/api.js";
import { deliver as deliverEvent, OWN_DELIVERY } from "../component/webhooks/deliver.js";
import { clerkEvents, type ClerkEventOf } from "./events.js";
import { ClerkSync, type ComponentApi } from "./index.js";

const ROOT = "/packages/clerk-sync/src/component/";
const modules: Record<string, () => Promise<unknown>> = {
  ...import.meta.glob([
    "/packages/clerk-sync/src/component/**/*.*s",
    "!/packages/clerk-sync/src/component/**/*.test.*s",
    "!/packages/clerk-sync/src/component/**/*.d.ts",
  ]),
  // The app's hook module, beside the component's in this one test deployment.
  [`${ROOT}testing/events.ts`]: () => import("../../../../test/clerkEventHooks.js"),
};
const ON_EVENT = makeFunctionReference<"mutation">("testing/events:onEvent");

beforeEach(() => {
  vi.stubEnv("CLERK_INSTANCE_ID", INSTANCE_ID);
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A backend whose app named `onEvent` (the test module's clerkEvents mutation) and no change hook. */
async function backend({ withHook = true }: { withHook?: boolean } = {}) {
  const t = convexTest({ schema: eventHookSchema, modules });
  await t.run(async (ctx) => {
    const onEvent = withHook ? await createFunctionHandle(ON_EVENT) : null;
    await ctx.db.insert("config", { handles: { onChange: null, onEvent } });
  });
  return t;
}
type Backend = Awaited<ReturnType<typeof backend>>;

let svix = 0;
/** A verified delivery as the app's route makes it: apply, and on a throw record the failure. */
async function deliver(t: Backend, event: object, { svixId = `msg_events${++svix}`, retry = false } = {}) {
  const mutate = t.mutation as (ref: unknown, args: unknown) => Promise<unknown>;
  const runner = { runMutation: (ref: unknown, args: unknown) => mutate(ref, args) };
  return {
    svixId,
    ...(await deliverEvent(runner as never, OWN_DELIVERY, svixId, JSON.stringify(event), retry ? { retry } : {})),
  };
}

const calls = (t: Backend) =>
  t.run(async (ctx) =>
    (await ctx.db.query("eventCalls").collect()).map(({ type, outcome, source, subject }) => ({
      type,
      outcome,
      source,
      subject,
    })),
  );

describe("per-event-type hooks", () => {
  test("the handler for an event's type runs with Clerk's typed event, in the sync's transaction", async () => {
    const t = await backend();
    expect(await deliver(t, userEvent("user.created"))).toMatchObject({ outcome: "applied" });
    expect(await calls(t)).toEqual([
      { type: "user.created", outcome: "applied", source: "webhook", subject: "Ada <ada@example.com>" },
    ]);
    expect(await t.run(async (ctx) => (await ctx.db.query("users").unique())?.firstName)).toBe("Ada");
  });

  test("types without a handler are passed over; a duplicate delivery calls nothing again", async () => {
    const t = await backend();
    const created = await deliver(t, userEvent("user.created"));
    await deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: Date.now() }));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, envelope("nobody.heardOf", { id: "x_1" }));
    await deliver(t, userEvent("user.created"), { svixId: created.svixId });
    expect((await calls(t)).map((call) => call.type)).toEqual(["user.created"]);
  });

  test("a stale event and a type the component ignores reach their handlers, with that outcome", async () => {
    const t = await backend();
    await deliver(t, userEvent("user.updated", { updated_at: Date.now() + 60_000 }));
    // user.created arrives after a newer user.updated: stale, but its handler still learns of it.
    expect(await deliver(t, userEvent("user.created"))).toMatchObject({ outcome: "stale" });
    expect(await deliver(t, subscriptionItemEvent("subscriptionItem.created"))).toMatchObject({ outcome: "ignored" });
    expect(await calls(t)).toMatchObject([
      { type: "user.created", outcome: "stale", source: "webhook" },
      { type: "subscriptionItem.created", outcome: "ignored", source: "webhook" },
    ]);
  });

  test("a handler that throws rolls the event back and keeps it failed; the retry calls it again", async () => {
    const t = await backend();
    await t.run(async (ctx) => {
      await ctx.db.insert("refusals", { type: "organization.created" });
    });
    const event = organizationEvent("organization.created");
    const failed = await deliver(t, event);
    expect(failed).toMatchObject({ outcome: "failed", error: expect.stringContaining(REFUSED) });
    expect(await t.run(async (ctx) => await ctx.db.query("organizations").collect())).toEqual([]);
    expect(await calls(t)).toEqual([]);
    const logged = await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(logged).toMatchObject([{ svixId: failed.svixId, outcome: "failed", type: "organization.created" }]);
    expect(
      await t.run(async (ctx) => (await ctx.db.query("failedPayloads").collect()).map((kept) => kept.svixId)),
    ).toEqual([failed.svixId]);

    // The app fixes its handler; the component's retry of the kept event applies it, handler and all.
    await t.run(async (ctx) => {
      for (const row of await ctx.db.query("refusals").collect()) await ctx.db.delete(row._id);
    });
    expect(await deliver(t, event, { svixId: failed.svixId, retry: true })).toMatchObject({ outcome: "applied" });
    expect(await calls(t)).toEqual([
      { type: "organization.created", outcome: "applied", source: "retry", subject: "Analytical Engines" },
    ]);
    expect(await t.run(async (ctx) => (await ctx.db.query("organizations").unique())?.name)).toBe("Analytical Engines");
  });

  test("Svix's own redelivery of a failed event calls it as a webhook", async () => {
    const t = await backend();
    await t.run(async (ctx) => {
      await ctx.db.insert("refusals", { type: "organization.created" });
    });
    const event = organizationEvent("organization.created");
    const failed = await deliver(t, event);
    await t.run(async (ctx) => {
      for (const row of await ctx.db.query("refusals").collect()) await ctx.db.delete(row._id);
    });
    expect(await deliver(t, event, { svixId: failed.svixId })).toMatchObject({ outcome: "applied" });
    expect(await calls(t)).toMatchObject([{ type: "organization.created", source: "webhook" }]);
  });

  test("without onEvent, events apply and nothing is called", async () => {
    const t = await backend({ withHook: false });
    expect(await deliver(t, userEvent("user.created"))).toMatchObject({ outcome: "applied" });
    expect(await calls(t)).toEqual([]);
  });

  test("before the app stored its handles, an event is kept failed rather than passing unhooked", async () => {
    const t = convexTest({ schema: eventHookSchema, modules });
    const failed = await deliver(t, subscriptionItemEvent("subscriptionItem.created"));
    expect(failed).toMatchObject({ outcome: "failed", error: expect.stringContaining("CLERK_SYNC_NOT_CONFIGURED") });
  });
});

describe("ClerkSync's onEvent option", () => {
  const component = api as unknown as ComponentApi;

  test("becomes the onEvent handle; unset or null, none", async () => {
    const t = await backend({ withHook: false });
    await t.run(async () => {
      const withHook = await new ClerkSync(component, { onChange: null, onEvent: ON_EVENT as never }).handles();
      expect(withHook).toEqual({ onChange: null, onEvent: await createFunctionHandle(ON_EVENT) });
      expect(await new ClerkSync(component, { onChange: null }).handles()).toEqual({ onChange: null, onEvent: null });
      expect(await new ClerkSync(component, { onChange: null, onEvent: null }).handles()).toEqual({
        onChange: null,
        onEvent: null,
      });
    });
  });

  test("refuses what is not a function reference", () => {
    expect(() => new ClerkSync(component, { onChange: null, onEvent: "testing/events:onEvent" as never })).toThrow(
      /clerkEvents built/,
    );
  });
});

describe("clerkEvents", () => {
  test("refuses a handler that is not a function", () => {
    expect(() => clerkEvents({ "user.created": "welcome" as never })).toThrow(/"user.created" is not a function/);
  });

  test("types each handler's event from @clerk/backend's WebhookEvent", () => {
    expectTypeOf<ClerkEventOf<"user.created">["data"]>().toEqualTypeOf<UserJSON>();
    expectTypeOf<ClerkEventOf<"user.updated">["type"]>().toEqualTypeOf<"user.updated">();
    expectTypeOf<ClerkEventOf<"user.deleted">["data"]>().toEqualTypeOf<UserDeletedJSON>();
    expectTypeOf<ClerkEventOf<"organizationMembership.deleted">["data"]>().toEqualTypeOf<OrganizationMembershipJSON>();
    expectTypeOf<ClerkEventOf<"user.created">["instance_id"]>().toEqualTypeOf<string>();
    // @ts-expect-error: not a Clerk event type
    clerkEvents({ "user.exploded": () => {} });
  });
});
