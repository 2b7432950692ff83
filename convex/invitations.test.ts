import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkEmailAddress,
  clerkId,
  clerkUserCharles,
  MINUTE,
  membershipEvent,
  ORG,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  T0,
  userDeleted,
  userEvent,
} from "../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { api } from "./_generated/api";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const ISSUER = "https://example.clerk.accounts.dev";
const KATHERINE = clerkId("user", "kj");
const INVITATION = clerkId("orginv", "kj");

function as(t: Backend, subject: string, claims: Record<string, unknown> = {}) {
  return t.withIdentity({ subject, issuer: ISSUER, ...claims });
}

/** Katherine's Clerk user: her primary address verified, a second one not (yet). */
function katherine(overrides: Record<string, unknown> = {}) {
  return clerkUserCharles({
    id: KATHERINE,
    first_name: "Katherine",
    last_name: "Johnson",
    email_addresses: [
      clerkEmailAddress({ id: "idn_kj1", email_address: "Katherine@Example.com" }),
      clerkEmailAddress({
        id: "idn_kj2",
        email_address: "kj@nasa.example",
        verification: { status: "unverified", strategy: "email_code", attempts: 0, expire_at: T0 },
      }),
    ],
    primary_email_address_id: "idn_kj1",
    ...overrides,
  });
}

async function invite(t: Backend, id: string, emailAddress: string, at = T0 + MINUTE) {
  await deliver(
    t,
    organizationInvitationEvent("organizationInvitation.created", {
      id,
      email_address: emailAddress,
      created_at: at,
      updated_at: at,
    }),
  );
}

describe("invitations.mine", () => {
  test("lists pending invitations to the user's verified addresses, with the team's name", async () => {
    const t = newBackend();
    await deliver(t, organizationEvent("organization.created"));
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "katherine@example.com");
    const mine = await as(t, KATHERINE).query(api.invitations.mine, {});
    expect(mine).toEqual([
      expect.objectContaining({
        invitationId: INVITATION,
        organizationId: ORG,
        organizationName: "Analytical Engines",
        emailAddress: "katherine@example.com",
        dismissed: false,
      }),
    ]);
  });

  test("an invitation made out in another case (Clerk's dashboard, another app) still finds its person", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "KATHERINE@example.com");
    expect(await as(t, KATHERINE).query(api.invitations.mine, {})).toEqual([
      expect.objectContaining({ invitationId: INVITATION, emailAddress: "katherine@example.com" }),
    ]);
  });

  test("never on an unverified address: the invitation could be someone else's", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "kj@nasa.example");
    expect(await as(t, KATHERINE).query(api.invitations.mine, {})).toEqual([]);
    // Nor from a sign-in token whose address Clerk has not verified.
    const stranger = clerkId("user", "zz");
    expect(
      await as(t, stranger, { email: "kj@nasa.example", emailVerified: false }).query(api.invitations.mine, {}),
    ).toEqual([]);
    // Once Clerk verifies it, it counts.
    await deliver(
      t,
      userEvent(
        "user.updated",
        katherine({ email_addresses: [clerkEmailAddress({ email_address: "kj@nasa.example" })] }),
      ),
    );
    expect(await as(t, KATHERINE).query(api.invitations.mine, {})).toHaveLength(1);
  });

  test("before Clerk's user arrives: the token's address only when the token says it is verified", async () => {
    const t = newBackend();
    await invite(t, INVITATION, "katherine@example.com");
    expect(
      await as(t, KATHERINE, { email: "katherine@example.com", emailVerified: true }).query(api.invitations.mine, {}),
    ).toHaveLength(1);
    expect(await as(t, KATHERINE, { email: "katherine@example.com" }).query(api.invitations.mine, {})).toEqual([]);
  });

  test("not once accepted or revoked, nor for a team the user is already in", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "katherine@example.com");
    await invite(t, clerkId("orginv", "k2"), "katherine@example.com", T0 + 2 * MINUTE);
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.revoked", {
        id: clerkId("orginv", "k2"),
        email_address: "katherine@example.com",
        updated_at: T0 + 3 * MINUTE,
      }),
    );
    expect((await as(t, KATHERINE).query(api.invitations.mine, {})).map((i) => i.invitationId)).toEqual([INVITATION]);
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        role: "org:member",
        public_user_data: publicUserData(katherine()),
      }),
    );
    expect(await as(t, KATHERINE).query(api.invitations.mine, {})).toEqual([]);
  });

  test("dismiss hides it here, for this user only; only one's own invitation; undone with dismissed: false", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "katherine@example.com");
    await as(t, KATHERINE).mutation(api.invitations.dismiss, { invitationId: INVITATION });
    await as(t, KATHERINE).mutation(api.invitations.dismiss, { invitationId: INVITATION });
    expect(await as(t, KATHERINE).query(api.invitations.mine, {})).toEqual([
      expect.objectContaining({ invitationId: INVITATION, dismissed: true }),
    ]);
    await expect(as(t, CHARLES).mutation(api.invitations.dismiss, { invitationId: INVITATION })).rejects.toThrow(
      /not yours/,
    );
    await as(t, KATHERINE).mutation(api.invitations.dismiss, { invitationId: INVITATION, dismissed: false });
    expect((await as(t, KATHERINE).query(api.invitations.mine, {}))[0]?.dismissed).toBe(false);
  });

  test("a deleted user's dismissals go with them", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", katherine()));
    await invite(t, INVITATION, "katherine@example.com");
    await as(t, KATHERINE).mutation(api.invitations.dismiss, { invitationId: INVITATION });
    vi.useFakeTimers();
    await deliver(t, userDeleted(KATHERINE, T0 + 5 * MINUTE));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.run((ctx) => ctx.db.query("invitationDismissals").collect())).toEqual([]);
  });
});

describe("organizations.memberAddressesAmong", () => {
  test("names the addresses of members (any case), for those who may manage members", async () => {
    const t = newBackend();
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        role: "org:member",
        public_user_data: publicUserData(clerkUserCharles()),
      }),
    );
    const ada = as(t, ADA);
    expect(
      await ada.query(api.organizations.memberAddressesAmong, {
        organizationId: ORG,
        emailAddresses: ["Charles@example.com", "grace@example.com"],
      }),
    ).toEqual(["charles@example.com"]);
    await expect(
      as(t, CHARLES).query(api.organizations.memberAddressesAmong, { organizationId: ORG, emailAddresses: [] }),
    ).rejects.toThrow(/manage/);
  });
});
