import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { CLERK_EVENT_TYPES, sampleEvent, type ClerkEventType } from "../../../../../test/clerkEvents.js";
import { deliver, newBackend, SECRET, type Backend } from "../../../../../test/component/backend.js";
import type { TableNames } from "../_generated/dataModel.js";
import { eventHandlers } from "./registry.js";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Where each event family lands. */
const TABLE_OF: Record<string, TableNames> = {
  user: "users",
  organization: "organizations",
  organizationMembership: "memberships",
  organizationDomain: "organizationDomains",
  organizationInvitation: "organizationInvitations",
  role: "roles",
  permission: "permissions",
  session: "sessions",
  email: "communications",
  sms: "communications",
  invitation: "appInvitations",
  waitlistEntry: "waitlistEntries",
  subscription: "subscriptions",
};

const handled = CLERK_EVENT_TYPES.filter((type) => type in eventHandlers);
const logged = CLERK_EVENT_TYPES.filter((type) => !(type in eventHandlers));

async function clerkIdsIn(t: Backend, table: TableNames) {
  return await t.run(async (ctx) =>
    (await ctx.db.query(table).collect()).map((row) => ("clerkId" in row ? row.clerkId : null)),
  );
}
async function tombstoned(t: Backend, clerkId: string) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("tombstones").collect()).some((row) => row.clerkId === clerkId),
  );
}

test("Roster handles every family of Clerk's catalog but billing's items and payment attempts", () => {
  expect(logged).toEqual([
    "paymentAttempt.created",
    "paymentAttempt.updated",
    ...CLERK_EVENT_TYPES.filter((type) => type.startsWith("subscriptionItem.")),
  ]);
  const unknownToClerk = Object.keys(eventHandlers).filter(
    (type) => !(CLERK_EVENT_TYPES as readonly string[]).includes(type),
  );
  // Clerk's spec has no session.updated; it is handled in case Clerk sends it, as the issue allows.
  expect(unknownToClerk).toEqual(["session.updated"]);
});

describe.each(handled)("%s", (type: ClerkEventType) => {
  const family = type.slice(0, type.indexOf("."));
  const table = TABLE_OF[family];

  test("through the signed route: applied, and the row (or tombstone) is there", async () => {
    if (table === undefined) throw new Error(`no table for ${family}`);
    const t = await newBackend();
    const event = sampleEvent(type);
    const id = String(event.data.id);
    expect(await deliver(t, event)).toEqual({ status: 200, outcome: "applied" });
    if (type.endsWith(".deleted")) {
      expect(await tombstoned(t, id)).toBe(true);
      expect(await clerkIdsIn(t, table)).not.toContain(id);
    } else {
      expect(await clerkIdsIn(t, table)).toContain(id);
    }
    const log = await t.run(async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(log).toEqual([
      expect.objectContaining({ type, outcome: "applied", clerkIds: expect.arrayContaining([id]) }),
    ]);
  });

  if (!type.endsWith(".deleted")) {
    test("with every optional field null: still applied", async () => {
      const t = await newBackend();
      const event = sampleEvent(type);
      // What an object of this type cannot exist without: its id, its parent, its key.
      const keep = new Set([
        "id",
        "object",
        "organization_id",
        "user_id",
        "key",
        "organization",
        "public_user_data",
        "payer",
      ]);
      const data = Object.fromEntries(
        Object.entries(event.data).map(([key, value]) => [key, keep.has(key) ? value : null]),
      );
      expect(await deliver(t, { ...event, data })).toEqual({ status: 200, outcome: "applied" });
      expect(await clerkIdsIn(t, table ?? "users")).toContain(String(event.data.id));
    });
  }
});

describe.each(logged)("%s", (type) => {
  test("is logged as ignored and answered 200", async () => {
    const t = await newBackend();
    expect(await deliver(t, sampleEvent(type))).toEqual({ status: 200, outcome: "ignored" });
  });
});

describe("email.created and sms.created", () => {
  test.each(["email.created", "sms.created"] as const)(
    "%s keeps who, template and status, never the one-time code",
    async (type) => {
      const t = await newBackend();
      const event = sampleEvent(type);
      const code = (event.data.data as { otp_code: string }).otp_code;
      expect(code).toMatch(/^\d{6}$/);
      await deliver(t, event);
      const rows = await t.run(async (ctx) => await ctx.db.query("communications").collect());
      expect(rows).toHaveLength(1);
      expect(rows[0]?.recipient).toBeTruthy();
      expect(rows[0]?.template).toBeTruthy();
      expect(JSON.stringify(rows)).not.toContain(code);
      if (type === "email.created") expect(rows[0]?.subject).toBe("•••••• is your verification code");
    },
  );
});

describe("billing", () => {
  test("keeps the current subscription status and plans per payer; newer wins", async () => {
    const t = await newBackend();
    const created = sampleEvent("subscription.created");
    await deliver(t, created);
    const pastDue = sampleEvent("subscription.pastDue");
    await deliver(t, pastDue);
    expect((await deliver(t, created)).outcome).toBe("stale");
    const rows = await t.run(async (ctx) => await ctx.db.query("subscriptions").collect());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "past_due" });
    expect(rows[0]?.payerId).toMatch(/^(user|org)_/);
    expect(rows[0]?.plans.length).toBeGreaterThan(0);
  });
});
