import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { clerkUser, envelope, userDeleted, userEvent } from "../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { runInComponent } from "convex-clerk-sync/test";
import { api } from "./_generated/api";
import { decodeMetadata } from "./model/access";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ADA = "user_2ada0000000000000000000001";
const T0 = 1_760_000_000_000;

async function usersIn(t: Backend) {
  return await runInComponent(t, async (ctx) => await ctx.db.query("users").collect());
}
/** The Clerk identity of a signed-in user, as Convex derives it from Clerk's "convex" JWT. */
function signedIn(t: Backend, subject = ADA, claims: Record<string, string> = {}) {
  return t.withIdentity({
    subject,
    issuer: "https://example.clerk.accounts.dev",
    name: "Ada Lovelace",
    givenName: "Ada",
    familyName: "Lovelace",
    email: "ada@example.com",
    ...claims,
  });
}

describe("user.created / user.updated", () => {
  test("store Clerk's fields, and private metadata never", async () => {
    const t = newBackend();
    await deliver(
      t,
      userEvent("user.created", {
        username: "ada",
        public_metadata: { plan: "pro" },
        private_metadata: { secretNote: "s3cret" },
      }),
    );
    const [row] = await usersIn(t);
    expect(row).toMatchObject({
      clerkId: ADA,
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      username: "ada",
      imageUrl: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
      clerkVersion: T0,
    });
    expect(decodeMetadata(row?.publicMetadata ?? "")).toEqual({ plan: "pro" });
    expect(JSON.stringify(row)).not.toContain("s3cret");
  });

  test("the primary email is the one named by primary_email_address_id", async () => {
    const t = newBackend();
    const emails = [
      { id: "idn_a", email_address: "old@example.com", object: "email_address" },
      { id: "idn_b", email_address: "main@example.com", object: "email_address" },
    ];
    await deliver(t, userEvent("user.created", { email_addresses: emails, primary_email_address_id: "idn_b" }));
    expect((await usersIn(t))[0]?.email).toBe("main@example.com");
  });

  test("updated before created: the newer snapshot stays and the older is stale", async () => {
    const t = newBackend();
    expect((await deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: T0 + 5 }))).outcome).toBe(
      "applied",
    );
    expect((await deliver(t, userEvent("user.created", { first_name: "Ada", updated_at: T0 }))).outcome).toBe("stale");
    const rows = await usersIn(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ firstName: "Augusta", clerkVersion: T0 + 5 });
  });

  test("an older update after a newer one is stale and changes nothing", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { updated_at: T0 }));
    await deliver(t, userEvent("user.updated", { last_name: "King", updated_at: T0 + 20 }));
    expect((await deliver(t, userEvent("user.updated", { last_name: "Byron", updated_at: T0 + 10 }))).outcome).toBe(
      "stale",
    );
    expect((await usersIn(t))[0]).toMatchObject({ lastName: "King", clerkVersion: T0 + 20 });
  });
});

describe("user.deleted", () => {
  test("removes the row and a late update is stale, even one with a newer envelope timestamp", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { updated_at: T0 }));
    expect((await deliver(t, userDeleted(ADA, T0 + 100))).outcome).toBe("applied");
    expect(await usersIn(t)).toEqual([]);

    expect((await deliver(t, userEvent("user.updated", { updated_at: T0 + 50 }))).outcome).toBe("stale");
    const lateButNewer = envelope("user.updated", clerkUser({ updated_at: T0 + 500 }), T0 + 1_000);
    expect((await deliver(t, lateButNewer)).outcome).toBe("stale");
    expect((await deliver(t, userEvent("user.created", { updated_at: T0 }))).outcome).toBe("stale");
    expect(await usersIn(t)).toEqual([]);
  });

  test("before the user was ever created leaves a tombstone that keeps them out", async () => {
    const t = newBackend();
    expect((await deliver(t, userDeleted(ADA, T0 + 100))).outcome).toBe("applied");
    expect((await deliver(t, userEvent("user.created"))).outcome).toBe("stale");
    expect(await usersIn(t)).toEqual([]);
  });

  test("a second delete of the same user is stale", async () => {
    const t = newBackend();
    await deliver(t, userDeleted(ADA, T0));
    expect((await deliver(t, userDeleted(ADA, T0 + 1))).outcome).toBe("stale");
  });

  test("signs the user out of their own profile", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created"));
    await deliver(t, userDeleted(ADA));
    expect(await signedIn(t).query(api.users.me, {})).toBeNull();
    await expect(signedIn(t).mutation(api.users.updateProfile, { bio: "hi" })).rejects.toThrow(/deleted/);
  });
});

describe("null-heavy users", () => {
  const cases: Array<[string, Record<string, unknown>, Partial<Record<string, string | null>>, string]> = [
    [
      "email-only, no names",
      { first_name: null, last_name: null, username: null },
      { email: "ada@example.com", phone: null, firstName: null, lastName: null },
      "ada@example.com",
    ],
    [
      "phone-only",
      {
        first_name: null,
        last_name: null,
        email_addresses: [],
        primary_email_address_id: null,
        phone_numbers: [{ id: "idn_phone", object: "phone_number", phone_number: "+15555550100" }],
        primary_phone_number_id: "idn_phone",
      },
      { email: null, phone: "+15555550100" },
      "+15555550100",
    ],
    [
      "username-only",
      { first_name: null, last_name: null, username: "ada_l", email_addresses: [], primary_email_address_id: null },
      { email: null, username: "ada_l" },
      "ada_l",
    ],
    [
      "empty email list with a dangling primary id",
      { email_addresses: [], primary_email_address_id: "idn_gone" },
      { email: null, firstName: "Ada" },
      "Ada Lovelace",
    ],
    ["first name only", { last_name: null }, { firstName: "Ada", lastName: null }, "Ada"],
    [
      "fields of the wrong type or missing",
      {
        first_name: 42,
        last_name: { x: 1 },
        email_addresses: "nope",
        image_url: null,
        profile_image_url: undefined,
        public_metadata: null,
      },
      { firstName: null, lastName: null, email: null, imageUrl: null, publicMetadata: "{}" },
      "Unnamed user",
    ],
  ];

  test.each(cases)("%s", async (_label, overrides, expected, name) => {
    const t = newBackend();
    expect((await deliver(t, userEvent("user.created", overrides))).status).toBe(200);
    expect((await usersIn(t))[0]).toMatchObject(expected);
    const me = await t.withIdentity({ subject: ADA }).query(api.users.me, {});
    expect(me?.name).toBe(name);
    expect(me?.name).not.toMatch(/null|undefined/);
  });

  test("a user without an id fails, keeping the payload, and writes no user", async () => {
    const t = newBackend();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await deliver(t, userEvent("user.created", { id: null }));
    expect(result).toMatchObject({ status: 500, outcome: "failed" });
    // The cause is in the event log, not in the answer.
    const [row] = await runInComponent(t, async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(row?.error).toContain('"id"');
    expect(await usersIn(t)).toEqual([]);
    vi.restoreAllMocks();
  });
});

describe("public metadata Convex could not store as fields", () => {
  test("keys starting with $ or _, non-ASCII keys and deep nesting come back unchanged", async () => {
    const t = newBackend();
    let deep: Record<string, unknown> = { bottom: true };
    for (let i = 0; i < 40; i += 1) deep = { [`level${i}`]: deep };
    const metadata = {
      $set: 1,
      _id: "not-an-id",
      "naïve clé": "ünïcödé",
      日本: ["東京", null, { $in: [1, 2] }],
      deep,
      "": "empty key",
    };
    expect((await deliver(t, userEvent("user.created", { public_metadata: metadata }))).outcome).toBe("applied");
    const me = await signedIn(t).query(api.users.me, {});
    expect(decodeMetadata(me?.publicMetadata ?? "")).toEqual(metadata);
  });
});

describe("api.users.me", () => {
  test("is null when signed out", async () => {
    const t = newBackend();
    expect(await t.query(api.users.me, {})).toBeNull();
  });

  test("shows the sign-in token's name before user.created, then the synced row: one row, never two", async () => {
    const t = newBackend();
    const before = await signedIn(t, ADA, { pictureUrl: "https://img.clerk.com/from-token" }).query(api.users.me, {});
    expect(before).toMatchObject({
      clerkId: ADA,
      name: "Ada Lovelace",
      email: "ada@example.com",
      imageUrl: "https://img.clerk.com/from-token",
      syncedFromClerk: false,
    });

    await signedIn(t).mutation(api.users.updateProfile, { bio: "Analyst", country: "gb" });
    await deliver(t, userEvent("user.created", { first_name: "Augusta Ada", last_name: "King" }));

    const after = await signedIn(t).query(api.users.me, {});
    expect(after).toMatchObject({ name: "Augusta Ada King", bio: "Analyst", country: "GB", syncedFromClerk: true });
    expect(await usersIn(t)).toHaveLength(1);
  });

  test("shows the token's name claim before user.created when it has no given or family name, not the email", async () => {
    const t = newBackend();
    const claims = { name: "Ada King", givenName: "", familyName: "" };
    expect(await signedIn(t, ADA, claims).query(api.users.me, {})).toMatchObject({
      name: "Ada King",
      email: "ada@example.com",
      syncedFromClerk: false,
    });
    // Still so once the user has saved a profile field (the row made from the token, version 0).
    await signedIn(t, ADA, claims).mutation(api.users.updateProfile, { bio: "Analyst" });
    expect(await signedIn(t, ADA, claims).query(api.users.me, {})).toMatchObject({ name: "Ada King", bio: "Analyst" });
    // Once Clerk's user arrives, Clerk's names decide.
    await deliver(t, userEvent("user.created", { first_name: "Augusta Ada", last_name: "King" }));
    expect(await signedIn(t, ADA, claims).query(api.users.me, {})).toMatchObject({ name: "Augusta Ada King" });
  });

  test("never shows another user's row", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created"));
    const other = await t.withIdentity({ subject: "user_other", name: "Grace Hopper" }).query(api.users.me, {});
    expect(other).toMatchObject({ clerkId: "user_other", name: "Grace Hopper", email: null, syncedFromClerk: false });
  });
});

describe("api.users.updateProfile", () => {
  test("saves bio, country and birthday, and user.updated never clobbers them", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", { updated_at: T0 }));
    await signedIn(t).mutation(api.users.updateProfile, {
      bio: "  Poet of science  ",
      country: "gb",
      birthday: "1815-12-10".replace("1815", "1915"),
    });
    await deliver(t, userEvent("user.updated", { first_name: "Augusta", updated_at: T0 + 1 }));
    const me = await signedIn(t).query(api.users.me, {});
    expect(me).toMatchObject({ firstName: "Augusta", bio: "Poet of science", country: "GB", birthday: "1915-12-10" });
  });

  test("leaves absent fields alone and clears a field given as an empty string", async () => {
    const t = newBackend();
    await signedIn(t).mutation(api.users.updateProfile, { bio: "one", country: "FR" });
    await signedIn(t).mutation(api.users.updateProfile, { bio: "" });
    expect(await signedIn(t).query(api.users.me, {})).toMatchObject({ bio: null, country: "FR" });
  });

  test.each([
    ["bio", { bio: "x".repeat(501) }, /500 characters/],
    ["country", { country: "XX" }, /country code/],
    ["country", { country: "Germany" }, /country code/],
    ["birthday", { birthday: "2001-02-30" }, /not a date/],
    ["birthday", { birthday: "10/12/1990" }, /not a date/],
    ["birthday", { birthday: "1899-12-31" }, /not a date/],
    ["birthday", { birthday: "2999-01-01" }, /not a date/],
  ])("rejects a bad %s with a ConvexError naming the field, and saves nothing", async (field, input, message) => {
    const t = newBackend();
    await signedIn(t).mutation(api.users.updateProfile, { bio: "kept" });
    const error = await signedIn(t)
      .mutation(api.users.updateProfile, input)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: "INVALID_PROFILE", field, message: expect.stringMatching(message) } });
    expect(await signedIn(t).query(api.users.me, {})).toMatchObject({ bio: "kept", country: null, birthday: null });
  });

  test("refuses a signed-out caller", async () => {
    const t = newBackend();
    const error = await t.mutation(api.users.updateProfile, { bio: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
    expect(await usersIn(t)).toEqual([]);
  });
});
