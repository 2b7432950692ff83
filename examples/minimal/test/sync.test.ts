/**
 * The app as Clerk and a signed-in browser see it: signed deliveries through the app's own route
 * (`clerk.registerRoutes`), the synced user and membership read back through the app's queries
 * (the client API), the app's change hook run in the same transaction, the operator API behind the
 * app's own check.
 */
import { convexTest } from "convex-test";
import { register } from "convex-clerk-sync/test";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../convex/_generated/api";
import schema from "../convex/schema";
import {
  GRACE,
  ORG,
  SIGNING_SECRET,
  T0,
  membershipCreated,
  organizationCreated,
  signedDelivery,
  userEvent,
} from "./clerk";

const modules = import.meta.glob("../convex/**/*.*s");

function newApp() {
  const t = convexTest(schema, modules);
  register(t);
  return t;
}

type App = ReturnType<typeof newApp>;

/** POSTs a delivery to the app's route; the status and the outcome it answers. */
async function post(t: App, delivery: RequestInit) {
  const response = await t.fetch("/clerk-webhook", delivery);
  return { status: response.status, ...((await response.json()) as { outcome?: string }) };
}

const deliver = (t: App, event: object, secret = SIGNING_SECRET) => post(t, signedDelivery(event, secret));

const accounts = (t: App) => t.run(async (ctx) => await ctx.db.query("accounts").collect());

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SIGNING_SECRET);
  return () => vi.unstubAllEnvs();
});

describe("a bare Convex + Clerk app on the packed convex-clerk-sync", () => {
  test("signed user, organization and membership events sync, and the app reads them through the client", async () => {
    const t = newApp();
    expect(await deliver(t, userEvent("user.created"))).toEqual({ status: 200, outcome: "applied" });
    expect(await deliver(t, organizationCreated())).toEqual({ status: 200, outcome: "applied" });
    expect(await deliver(t, membershipCreated())).toEqual({ status: 200, outcome: "applied" });

    const grace = t.withIdentity({ subject: GRACE });
    expect(await grace.query(api.users.me, {})).toMatchObject({
      clerkId: GRACE,
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@example.com",
    });
    expect(await grace.query(api.users.myOrganizations, {})).toEqual([
      expect.objectContaining({ organizationId: ORG, name: "Navy Computing", role: "org:admin", membersCount: 1 }),
    ]);
    expect(await grace.query(api.users.myAccess, { organizationId: ORG })).toMatchObject({
      membership: { organizationId: ORG, userId: GRACE, role: "org:admin" },
      access: { isAdmin: true, canManageMembers: true },
    });
    // The change hook ran with the webhook's change, and the per-event hook after the membership event.
    expect(await accounts(t)).toEqual([expect.objectContaining({ clerkId: GRACE, createdFrom: "webhook" })]);
    expect(await t.run(async (ctx) => await ctx.db.query("joins").collect())).toEqual([
      expect.objectContaining({ organizationId: ORG, userId: GRACE, role: "org:admin" }),
    ]);
  });

  test("a newer user.updated wins; a redelivery and an older snapshot change nothing", async () => {
    const t = newApp();
    const created = signedDelivery(userEvent("user.created"));
    expect(await post(t, created)).toEqual({ status: 200, outcome: "applied" });
    expect(await post(t, created)).toEqual({ status: 200, outcome: "duplicate" });
    const renamed = userEvent("user.updated", { first_name: "Amazing Grace", updated_at: 1_760_000_060_000 });
    expect(await deliver(t, renamed)).toEqual({ status: 200, outcome: "applied" });
    const older = userEvent("user.updated", { first_name: "Old", updated_at: 1_760_000_030_000 });
    expect(await deliver(t, older)).toEqual({ status: 200, outcome: "stale" });

    expect(await t.withIdentity({ subject: GRACE }).query(api.users.me, {})).toMatchObject({
      firstName: "Amazing Grace",
    });
    expect(await accounts(t)).toHaveLength(1);
  });

  test("a delivery signed with another secret is refused and writes nothing", async () => {
    const t = newApp();
    const forged = await deliver(t, membershipCreated(), `whsec_${btoa("not-the-endpoint-secret!")}`);
    expect(forged.status).toBe(401);
    const grace = t.withIdentity({ subject: GRACE });
    expect(await grace.query(api.users.myOrganizations, {})).toEqual([]);
    await expect(grace.query(api.users.myAccess, { organizationId: ORG })).rejects.toThrow(
      /NOT_A_MEMBER|not a member/i,
    );
    expect(await accounts(t)).toEqual([]);
  });

  test("before user.created lands, the signed-in user comes from the token's claims", async () => {
    const t = newApp();
    const grace = t.withIdentity({
      subject: GRACE,
      givenName: "Grace",
      familyName: "Hopper",
      email: "grace@example.com",
    });
    expect(await grace.query(api.users.me, {})).toMatchObject({
      clerkId: GRACE,
      firstName: "Grace",
      email: "grace@example.com",
      synced: false,
    });
    await deliver(t, userEvent("user.created"));
    expect(await grace.query(api.users.me, {})).toMatchObject({ clerkId: GRACE, synced: true });
  });

  test("signed out: no user, no organizations", async () => {
    const t = newApp();
    await deliver(t, userEvent("user.created"));
    expect(await t.query(api.users.me, {})).toBeNull();
    expect(await t.query(api.users.myOrganizations, {})).toEqual([]);
  });

  test("the operator API answers the app's operators only", async () => {
    const t = newApp();
    await deliver(t, userEvent("user.created"));
    const grace = t.withIdentity({ subject: GRACE });
    await expect(grace.query(api.admin.syncHealth, {})).rejects.toThrow(/NOT_AN_OPERATOR/);

    // Clerk's dashboard: public metadata { "operator": true } on Grace.
    await deliver(t, userEvent("user.updated", { public_metadata: { operator: true }, updated_at: T0 + 60_000 }));
    expect(await grace.query(api.admin.syncHealth, {})).toEqual(expect.any(Object));
    // Without CLERK_SECRET_KEY a backfill cannot ask Clerk: refused, with the code to show.
    await expect(grace.mutation(api.admin.startBackfill, {})).rejects.toThrow(/CLERK_SECRET_KEY/);
  });
});
