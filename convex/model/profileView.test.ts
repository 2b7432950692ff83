import type { UserIdentity } from "convex/server";
import { describe, expect, test } from "vitest";
import { newBackend, type Backend } from "../../test/convex";
import { getProfile, profileOf, updateOwnProfile, type ProfileUser } from "./profileView";

const ADA = "user_2ada0000000000000000000001";

function identity(claims: Partial<UserIdentity> = {}): UserIdentity {
  return {
    tokenIdentifier: `https://example.clerk.accounts.dev|${ADA}`,
    subject: ADA,
    issuer: "https://example.clerk.accounts.dev",
    name: "Ada Lovelace",
    givenName: "Ada",
    familyName: "Lovelace",
    email: "ada@example.com",
    ...claims,
  };
}

/** The user as `clerk.getAuthUser` answers: the token's fields before Clerk's user arrives. */
function fromToken(overrides: Partial<ProfileUser> = {}): ProfileUser {
  return {
    clerkId: ADA,
    email: "ada@example.com",
    phone: null,
    username: null,
    firstName: "Ada",
    lastName: "Lovelace",
    imageUrl: null,
    publicMetadata: "{}",
    synced: false,
    ...overrides,
  };
}

const synced = (overrides: Partial<ProfileUser> = {}) => fromToken({ synced: true, ...overrides });

async function saved(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("profiles").collect());
}

describe("profileOf", () => {
  test("before user.created: the token's fields, not synced; Roster's fields empty", () => {
    expect(profileOf(fromToken(), null, identity(), false)).toEqual({
      clerkId: ADA,
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: null,
      username: null,
      firstName: "Ada",
      lastName: "Lovelace",
      imageUrl: null,
      publicMetadata: "{}",
      bio: null,
      country: null,
      birthday: null,
      syncedFromClerk: false,
      isAppAdmin: false,
    });
  });

  test("before user.created, a token with a name but no given or family name shows the name, not the email", () => {
    const claims = { name: "Ada King", givenName: "", familyName: "" };
    const user = fromToken({ firstName: null, lastName: null });
    expect(profileOf(user, null, identity(claims), false).name).toBe("Ada King");
  });

  test("once Clerk's user arrived, Clerk's fields decide: name, else username, email, phone; the token's name last", () => {
    const named = synced({ firstName: "Augusta Ada", lastName: "King" });
    expect(profileOf(named, null, identity({ name: "Ada King" }), true)).toMatchObject({
      name: "Augusta Ada King",
      syncedFromClerk: true,
      isAppAdmin: true,
    });
    const nameless = { firstName: null, lastName: null };
    expect(profileOf(synced({ ...nameless, username: "ada_l" }), null, identity(), false).name).toBe("ada_l");
    expect(profileOf(synced(nameless), null, identity(), false).name).toBe("ada@example.com");
    expect(profileOf(synced({ ...nameless, email: null, phone: "+15555550100" }), null, identity(), false).name).toBe(
      "+15555550100",
    );
    const nothing = synced({ ...nameless, email: null });
    expect(profileOf(nothing, null, identity({ name: "Ada" }), false).name).toBe("Ada");
    expect(profileOf(nothing, null, identity({ name: undefined }), false).name).toBe("Unnamed user");
  });

  test("blank names never show as 'null null' or spaces", () => {
    const blank = synced({ firstName: "  ", lastName: null, email: null });
    expect(profileOf(blank, null, identity({ name: undefined }), false).name).toBe("Unnamed user");
  });

  test("Roster's fields come from the profile row", async () => {
    const t = newBackend();
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "Analyst", country: "gb" }));
    const row = await t.run(async (ctx) => await getProfile(ctx, ADA));
    expect(profileOf(synced(), row, identity(), false)).toMatchObject({
      bio: "Analyst",
      country: "GB",
      birthday: null,
    });
  });
});

describe("updateOwnProfile", () => {
  test("needs no Clerk user row: the first save writes one profile row, later ones change it in place", async () => {
    const t = newBackend();
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "  Poet of science  ", country: "gb" }));
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { birthday: "1915-12-10" }));
    expect((await saved(t)).map(({ _id, _creationTime, ...row }) => row)).toEqual([
      { userId: ADA, bio: "Poet of science", country: "GB", birthday: "1915-12-10" },
    ]);
  });

  test("leaves absent fields alone, clears one given as an empty string; a row left empty goes", async () => {
    const t = newBackend();
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "one", country: "FR" }));
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "" }));
    expect((await saved(t)).map(({ bio, country }) => ({ bio, country }))).toEqual([{ bio: undefined, country: "FR" }]);
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { country: "" }));
    expect(await saved(t)).toEqual([]);
    // Clearing what was never saved writes nothing.
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "" }));
    expect(await saved(t)).toEqual([]);
  });

  test.each([
    ["bio", { bio: "x".repeat(501) }, /500 characters/],
    ["country", { country: "Germany" }, /country code/],
    ["birthday", { birthday: "2001-02-30" }, /not a date/],
  ])("refuses a bad %s naming the field, and saves nothing", async (field, input, message) => {
    const t = newBackend();
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "kept" }));
    const error = await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), input)).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: "INVALID_PROFILE", field, message: expect.stringMatching(message) } });
    expect((await saved(t)).map(({ bio, country, birthday }) => ({ bio, country, birthday }))).toEqual([
      { bio: "kept", country: undefined, birthday: undefined },
    ]);
  });

  test("another user's save never touches this one's row", async () => {
    const t = newBackend();
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity(), { bio: "Ada's" }));
    await t.run(async (ctx) => await updateOwnProfile(ctx, identity({ subject: "user_grace" }), { bio: "Grace's" }));
    expect((await saved(t)).map(({ userId, bio }) => [userId, bio])).toEqual([
      [ADA, "Ada's"],
      ["user_grace", "Grace's"],
    ]);
  });
});
