import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, userDeleted, userEvent } from "../../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../../test/convex";
import { APP_ADMIN_METADATA_KEY, isAppAdmin, requireAppAdmin, requireAuthUser, requireIdentity } from "./access";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const USER = "user_access";

function as(t: Backend, subject: string) {
  return t.withIdentity({ subject, issuer: "https://example.clerk.accounts.dev" });
}

/** The ConvexError data a call threw (or null when it did not throw). */
async function refusal(promise: Promise<unknown>) {
  return await promise.then(
    () => null,
    (error: { data?: unknown }) => error.data ?? error,
  );
}

describe("who is signed in", () => {
  test("signed out: NOT_SIGNED_IN, asking to sign in", async () => {
    const t = newBackend();
    const expected = { code: "NOT_SIGNED_IN", message: "Sign in first." };
    expect(await refusal(t.run(async (ctx) => await requireIdentity(ctx)))).toEqual(expected);
    expect(await refusal(t.run(async (ctx) => await requireAuthUser(ctx)))).toEqual(expected);
  });

  test("a deleted account: USER_DELETED, saying so; a live one passes, synced or not", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { id: USER }));
    expect((await as(t, USER).run(async (ctx) => await requireAuthUser(ctx))).clerkId).toBe(USER);
    expect((await as(t, "user_unsynced").run(async (ctx) => await requireAuthUser(ctx))).synced).toBe(false);
    expect((await deliver(t, userDeleted(USER))).outcome).toBe("applied");
    expect(await refusal(as(t, USER).run(async (ctx) => await requireAuthUser(ctx)))).toEqual({
      code: "USER_DELETED",
      message: "This account has been deleted.",
    });
  });
});

describe("app admins", () => {
  test('are the users whose public metadata holds "rosterAdmin": true, while not deleted', () => {
    expect(APP_ADMIN_METADATA_KEY).toBe("rosterAdmin");
    const user = (publicMetadata: string, deleted = false) => ({ publicMetadata, deleted });
    expect(isAppAdmin(user('{"rosterAdmin":true}'))).toBe(true);
    expect(isAppAdmin(user('{"rosterAdmin":true}', true))).toBe(false);
    expect(isAppAdmin(user('{"rosterAdmin":"true"}'))).toBe(false);
    expect(isAppAdmin(user('{"admin":true}'))).toBe(false);
    expect(isAppAdmin(user("{}"))).toBe(false);
    expect(isAppAdmin(null)).toBe(false);
  });

  test("requireAppAdmin lets an admin through and refuses anyone else with NOT_AN_ADMIN (signed out: NOT_SIGNED_IN)", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    await deliver(t, userEvent("user.created", { id: USER, public_metadata: {} }));
    expect((await as(t, ADA).run(async (ctx) => await requireAppAdmin(ctx))).clerkId).toBe(ADA);
    const expected = { code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." };
    expect(await refusal(as(t, USER).run(async (ctx) => await requireAppAdmin(ctx)))).toEqual(expected);
    // Before Clerk's user.created lands, the token's claims hold no metadata: not an admin yet.
    expect(await refusal(as(t, "user_unknown").run(async (ctx) => await requireAppAdmin(ctx)))).toEqual(expected);
    expect(await refusal(t.run(async (ctx) => await requireAppAdmin(ctx)))).toEqual({
      code: "NOT_SIGNED_IN",
      message: "Sign in first.",
    });
  });

  test("an admin whose account was deleted is no longer one", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { public_metadata: { rosterAdmin: true } }));
    expect((await deliver(t, userDeleted(ADA))).outcome).toBe("applied");
    expect(await refusal(as(t, ADA).run(async (ctx) => await requireAppAdmin(ctx)))).toMatchObject({
      code: "NOT_AN_ADMIN",
    });
  });
});
