import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  MINUTE,
  ORG,
  T0,
  clerkOrganization,
  clerkUserCharles,
  membershipEvent,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  userEvent as clerkUserEvent,
  verifiedDomain,
} from "../../../test/clerkEvents";
import { SECRET } from "../../../test/convex";
import {
  clerkRequestLog,
  clerkState,
  resetClerk,
  setClerkBackend,
  setInstanceSettings,
  signIn,
} from "../../../test/react/clerkMock";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import { simulatedClerk, type SimulatedClerk } from "../../../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../../../test/react/TestConvexClient";
import { clearDeparture } from "./departure";
import type { ClerkInstanceSettings } from "../../../playground/clerkRules";
import { TeamView } from "./TeamView";
import { setNotSyncedAfter } from "./usePendingActions";

vi.mock("../../lib/convex", () => import("../../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../../test/react/clerkMock"));

const ADA_PERSON = {
  id: ADA,
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  username: null,
  imageUrl: null,
};
const ada = clerkIdentity(ADA, { name: "Ada Lovelace", email: "ada@example.com" });

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  signIn(ADA_PERSON, { id: ORG, name: "Analytical Engines" });
});
afterEach(() => {
  clearDeparture();
  setNotSyncedAfter(undefined);
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetClerk();
});

async function land(client: TestConvexClient, event: object) {
  expect((await client.deliver(event)).outcome).toBe("applied");
}

/**
 * Ada's team (Ada admin, Charles member) on a fresh backend, and a simulated Clerk that holds its
 * webhooks back until the test releases them.
 */
async function setUp(
  path = "/team",
  { charlesRole = "org:member", instance }: { charlesRole?: string; instance?: Partial<ClerkInstanceSettings> } = {},
) {
  const user = userEvent.setup();
  const view = renderWithBackend(<TeamView />, { identity: ada, path });
  const { client } = view;
  await land(client, clerkUserEvent("user.created", { id: ADA }));
  await land(client, clerkUserEvent("user.created", clerkUserCharles()));
  await land(client, organizationEvent("organization.created"));
  await land(client, membershipEvent("organizationMembership.created"));
  await land(
    client,
    membershipEvent("organizationMembership.created", {
      role: charlesRole,
      public_user_data: publicUserData(clerkUserCharles()),
      created_at: T0 + MINUTE,
      updated_at: T0 + MINUTE,
    }),
  );
  const clerk: SimulatedClerk = simulatedClerk({
    post: (event) => land(client, event),
    caller: () => client.backend.withIdentity(ada),
    viewer: () => ADA_PERSON,
    instance,
  });
  clerk.holdWebhooks(true);
  setClerkBackend(clerk.backend);
  await screen.findByRole("heading", { name: "Analytical Engines" });
  return { user, client, clerk };
}

function membersList() {
  return screen.getByRole("list", { name: "Members" });
}
function rowOf(list: HTMLElement, text: string) {
  const row = within(list).getByText(text).closest("li");
  if (row === null) throw new Error(`no row for ${text}`);
  return row;
}

describe("members", () => {
  test("the caller's row says You and has no controls; others' have a role select and a menu", async () => {
    await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    const mine = rowOf(membersList(), "Ada Lovelace");
    within(mine).getByText("You");
    expect(within(mine).queryByRole("combobox")).toBeNull();
    const charles = rowOf(membersList(), "Charles Babbage");
    expect(within(charles).queryByText("You")).toBeNull();
    expect(within(charles).getByLabelText<HTMLSelectElement>("Role of Charles Babbage").value).toBe("org:member");
    within(charles).getByRole("button", { name: "Actions for Charles Babbage" });
  });

  test("changing a role: Saving… on the row until the webhook lands, then the row settles", async () => {
    const { user, clerk } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.selectOptions(screen.getByLabelText("Role of Charles Babbage"), "org:admin");

    const row = rowOf(membersList(), "Charles Babbage");
    await within(row).findByText("Making Charles Babbage Admin: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    expect(clerkRequestLog()).toContainEqual({
      type: "updateMember",
      organizationId: ORG,
      userId: CHARLES,
      role: "org:admin",
    });
    // Clerk agreed, Roster does not show it yet: still saving, the select still says what Roster has.
    expect(within(row).getByLabelText<HTMLSelectElement>("Role of Charles Babbage").value).toBe("org:member");

    await clerk.release();
    await waitFor(() =>
      expect(
        within(rowOf(membersList(), "Charles Babbage")).getByLabelText<HTMLSelectElement>("Role of Charles Babbage")
          .value,
      ).toBe("org:admin"),
    );
    expect(within(rowOf(membersList(), "Charles Babbage")).queryByText(/Saving…/)).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  test("removing a member: from the menu, after a confirmation, gone once the webhook lands", async () => {
    const { user, clerk } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.click(screen.getByRole("button", { name: "Actions for Charles Babbage" }));
    const menu = screen.getByRole("menu", { name: "Actions for Charles Babbage" });
    // Keyboard: the first item has the focus, the arrow moves to the next.
    expect(document.activeElement).toBe(within(menu).getByRole("menuitem", { name: "Change role" }));
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(within(menu).getByRole("menuitem", { name: "Remove from team" }));
    await user.keyboard("{Enter}");

    const dialog = await screen.findByRole("dialog", { name: "Remove Charles Babbage from the team?" });
    expect(clerkRequestLog()).toEqual([]);
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));

    await within(rowOf(membersList(), "Charles Babbage")).findByText("Removing Charles Babbage: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(membersList()).queryByText("Charles Babbage")).toBeNull());
    within(membersList()).getByText("Ada Lovelace");
  });

  test("Escape closes the menu and gives the focus back to its button", async () => {
    const { user } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    const button = screen.getByRole("button", { name: "Actions for Charles Babbage" });
    await user.click(button);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  test("Clerk refusing shows Clerk's message on the row, and nothing changes", async () => {
    const { user, clerk } = await setUp();
    clerk.refuse("updateMember", "You are not authorized to perform this request.");
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.selectOptions(screen.getByLabelText("Role of Charles Babbage"), "org:admin");

    const row = rowOf(membersList(), "Charles Babbage");
    const alert = await within(row).findByRole("alert");
    expect(alert.textContent).toContain(
      "Making Charles Babbage Admin: not saved. You are not authorized to perform this request.",
    );
    expect(within(row).getByLabelText<HTMLSelectElement>("Role of Charles Babbage").value).toBe("org:member");
    expect(clerk.held()).toBe(0);
    await user.click(within(row).getByRole("button", { name: "Dismiss" }));
    expect(within(rowOf(membersList(), "Charles Babbage")).queryByRole("alert")).toBeNull();
  });

  test("the webhook never coming: the row says it is saved in Clerk but not synced yet", async () => {
    setNotSyncedAfter(150);
    const { user, clerk } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.selectOptions(screen.getByLabelText("Role of Charles Babbage"), "org:admin");
    const row = rowOf(membersList(), "Charles Babbage");
    await within(row).findByText(/Saving…/);
    await within(row).findByText(/Making Charles Babbage Admin: saved in Clerk; not synced yet\./);
    expect(within(row).queryByText(/Saving…/)).toBeNull();
    expect(clerk.held()).toBe(1);

    // When it finally lands, the row settles after all.
    await clerk.release();
    await waitFor(() =>
      expect(within(rowOf(membersList(), "Charles Babbage")).queryByText(/not synced yet/)).toBeNull(),
    );
  });
});

describe("invitations", () => {
  async function openInvitations(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("tab", { name: "Invitations" }));
    return await screen.findByRole("tabpanel");
  }

  test("inviting by email with a role: a pending row, then the invitation once the webhook lands", async () => {
    const { user, clerk } = await setUp();
    const panel = await openInvitations(user);
    await within(panel).findByText("No pending invitations");
    await user.type(within(panel).getByLabelText("Email addresses"), "Grace@Example.com");
    await user.selectOptions(within(panel).getByLabelText("Role"), "org:admin");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));

    await within(panel).findByText("Inviting grace@example.com: Saving…");
    // The form is ready for the next one: empty, and the role back to Member.
    expect(within(panel).getByLabelText<HTMLTextAreaElement>("Email addresses").value).toBe("");
    expect(within(panel).getByLabelText<HTMLSelectElement>("Role").value).toBe("org:member");
    await waitFor(() => expect(clerk.held()).toBe(1));
    expect(clerkRequestLog()).toContainEqual({
      type: "inviteMember",
      organizationId: ORG,
      emailAddress: "grace@example.com",
      role: "org:admin",
    });
    await clerk.release();
    const list = within(panel).getByRole("list", { name: "Pending invitations" });
    await waitFor(() => expect(within(list).queryByText(/Saving…/)).toBeNull());
    const row = rowOf(list, "grace@example.com");
    within(row).getByText("Admin");
    within(row).getByRole("button", { name: "Revoke the invitation to grace@example.com" });
  });

  test("an address that is not one is caught before Clerk is asked", async () => {
    const { user } = await setUp();
    const panel = await openInvitations(user);
    await user.type(within(panel).getByLabelText("Email addresses"), "grace");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    within(panel).getByText("Enter an email address, like name@example.com.");
    expect(clerkRequestLog()).toEqual([]);
  });

  test("revoking: pending until the revoked webhook lands, then the row is gone", async () => {
    const { user, client, clerk } = await setUp();
    await land(client, organizationInvitationEvent("organizationInvitation.created", { updated_at: T0 + MINUTE }));
    const panel = await openInvitations(user);
    const list = await within(panel).findByRole("list", { name: "Pending invitations" });
    await user.click(within(list).getByRole("button", { name: "Revoke the invitation to charles@example.com" }));
    // It asks first: a revoked invitation cannot be restored.
    let dialog = await screen.findByRole("dialog", { name: "Revoke the invitation to charles@example.com?" });
    within(dialog).getByText(/cannot be restored/);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(clerkRequestLog()).toEqual([]);
    await user.click(within(list).getByRole("button", { name: "Revoke the invitation to charles@example.com" }));
    dialog = await screen.findByRole("dialog", { name: "Revoke the invitation to charles@example.com?" });
    await user.click(within(dialog).getByRole("button", { name: "Revoke invitation" }));
    await within(list).findByText("Revoking the invitation of charles@example.com: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await within(panel).findByText("No pending invitations");
  });

  test("resending revokes the invitation and sends a new one; pending until both have landed", async () => {
    const { user, client, clerk } = await setUp();
    await land(
      client,
      organizationInvitationEvent("organizationInvitation.created", {
        email_address: "katherine@example.com",
        updated_at: T0 + MINUTE,
      }),
    );
    const panel = await openInvitations(user);
    const list = await within(panel).findByRole("list", { name: "Pending invitations" });
    await user.click(
      within(list).getByRole("button", {
        name: "Resend the invitation to katherine@example.com (revokes it and sends a new one)",
      }),
    );
    await within(list).findByText("Resending the invitation to katherine@example.com: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(2));
    expect(clerkRequestLog().map((request) => request.type)).toEqual([
      "getInvitations",
      "revokeInvitation",
      "inviteMember",
    ]);
    await clerk.release();
    const after = within(panel).getByRole("list", { name: "Pending invitations" });
    await waitFor(() => expect(within(after).queryByText(/Saving…/)).toBeNull());
    expect(within(after).getAllByText("katherine@example.com")).toHaveLength(1);
  });

  test("Clerk refusing an invitation shows its message on the pending row", async () => {
    const { user, clerk } = await setUp();
    clerk.refuse("inviteMember", "grace@example.com is already a member of this organization.");
    const panel = await openInvitations(user);
    await user.type(within(panel).getByLabelText("Email addresses"), "grace@example.com");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain("grace@example.com is already a member of this organization.");
  });

  test("several addresses at once: one Clerk call and one result each; the bad one is not sent", async () => {
    const { user, clerk } = await setUp();
    const panel = await openInvitations(user);
    await user.type(
      within(panel).getByLabelText("Email addresses"),
      "grace@example.com, mary@example.com not-an-address",
    );
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    const results = await within(panel).findByRole("list", { name: "Invitation results" });
    within(results).getByText(/not an email address; not sent/);
    await within(results).findByText("Inviting grace@example.com: Saving…");
    await within(results).findByText("Inviting mary@example.com: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(2));
    expect(clerkRequestLog().map((request) => request.type === "inviteMember" && request.emailAddress)).toEqual([
      "grace@example.com",
      "mary@example.com",
    ]);
    await clerk.release();
    await within(results).findByText("grace@example.com");
    await waitFor(() => expect(within(results).queryByText(/Saving…/)).toBeNull());
    expect(within(results).getAllByText(": invited.", { exact: false })).toHaveLength(2);
  });

  test("a member's address is caught before Clerk is asked (already a member)", async () => {
    const { user } = await setUp();
    const panel = await openInvitations(user);
    await user.type(within(panel).getByLabelText("Email addresses"), "Charles@Example.com");
    const known = await within(panel).findByRole("list", { name: "Already on the team" });
    within(known).getByText("charles@example.com: already a member");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    const results = await within(panel).findByRole("list", { name: "Invitation results" });
    within(results).getByText(/already a member of this team; not sent/);
    expect(clerkRequestLog()).toEqual([]);
  });

  test("an address already invited is not invited twice: Roster offers Resend instead", async () => {
    const { user, client, clerk } = await setUp();
    await land(
      client,
      organizationInvitationEvent("organizationInvitation.created", {
        email_address: "katherine@example.com",
        updated_at: T0 + MINUTE,
      }),
    );
    const panel = await openInvitations(user);
    await user.type(within(panel).getByLabelText("Email addresses"), "katherine@example.com");
    await within(panel).findByText("katherine@example.com: already invited");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    const results = await within(panel).findByRole("list", { name: "Invitation results" });
    within(results).getByText(/already invited; not sent again/);
    expect(clerkRequestLog()).toEqual([]);
    await user.click(within(results).getByRole("button", { name: "Resend the invitation to katherine@example.com" }));
    await within(panel).findByText("Resending the invitation to katherine@example.com: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(2));
  });

  test("a duplicate Roster has not heard of yet: Clerk refuses it, and its words stay once the address is listed", async () => {
    const { user, clerk } = await setUp();
    const panel = await openInvitations(user);
    await user.type(within(panel).getByLabelText("Email addresses"), "grace@example.com");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    await waitFor(() => expect(clerk.held()).toBe(1));
    // Again, before the first invitation's webhook: Roster does not list it yet, Clerk has it.
    await user.type(within(panel).getByLabelText("Email addresses"), "grace@example.com");
    await user.click(within(panel).getByRole("button", { name: "Send invitations" }));
    const results = await within(panel).findByRole("list", { name: "Invitation results" });
    await within(results).findByText(/Organizations cannot have duplicate pending invitations for an email address\./);
    await clerk.release();
    const list = await within(panel).findByRole("list", { name: "Pending invitations" });
    within(list).getByText("grace@example.com");
    within(results).getByText(/Organizations cannot have duplicate pending invitations/);
  });

  test("a resend that fails half-way says so and offers to send again", async () => {
    const { user, client, clerk } = await setUp();
    await land(
      client,
      organizationInvitationEvent("organizationInvitation.created", {
        email_address: "katherine@example.com",
        updated_at: T0 + MINUTE,
      }),
    );
    const panel = await openInvitations(user);
    const list = await within(panel).findByRole("list", { name: "Pending invitations" });
    clerk.refuse("inviteMember", "Too many requests. Try again in a moment.");
    await user.click(
      within(list).getByRole("button", {
        name: "Resend the invitation to katherine@example.com (revokes it and sends a new one)",
      }),
    );
    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain(
      "The old invitation was revoked, but the new one was not sent, so katherine@example.com has no invitation now. Too many requests. Try again in a moment.",
    );
    clerk.refuse("inviteMember", null);
    await clerk.release();
    await user.click(within(panel).getByRole("button", { name: "Send again" }));
    await within(panel).findByText("Sending a new invitation to katherine@example.com: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(panel).queryByText(/Saving…/)).toBeNull());
    within(within(panel).getByRole("list", { name: "Pending invitations" })).getByText("katherine@example.com");
  });
});

describe("the team itself", () => {
  test("leaving: after a confirmation, pending until the webhook lands, then 'You left' and the next step", async () => {
    const { user, clerk } = await setUp("/team", { charlesRole: "org:admin" });
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave Analytical Engines?" });
    await user.click(within(dialog).getByRole("button", { name: "Leave team" }));
    await screen.findByText("Leaving Analytical Engines: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    const notice = await screen.findByRole("heading", { name: "You left Analytical Engines" });
    expect(screen.queryByText("You are not a member of this team")).toBeNull();
    // Ada had no other team: Clerk's active team moves to her personal account, and the page offers a new one.
    await waitFor(() => expect(clerkState().activeOrganizationId).toBeNull());
    expect(document.activeElement).toBe(notice);
    screen.getByRole("textbox", { name: "Team name" });
    screen.getByRole("button", { name: "Create team" });
  });

  test("leaving one of two teams: Clerk's active team becomes the other one, under 'You left'", async () => {
    const { user, client, clerk } = await setUp("/team", { charlesRole: "org:admin" });
    const other = "org_2othr00000000000000000001";
    await land(
      client,
      organizationEvent("organization.created", { id: other, name: "Difference Engines", slug: null }),
    );
    await land(
      client,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_2othrada",
        organization: clerkOrganization({ id: other, name: "Difference Engines", slug: null }),
      }),
    );
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Leave Analytical Engines?" })).getByRole("button", {
        name: "Leave team",
      }),
    );
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await screen.findByRole("heading", { name: "You left Analytical Engines" });
    await waitFor(() => expect(clerkState().activeOrganizationId).toBe(other));
    await screen.findByRole("heading", { name: "Difference Engines" });
  });

  test("the last admin cannot leave: the rule is explained before Clerk is asked, with the ways out", async () => {
    const { user } = await setUp();
    screen.getByText(/You are the only one who may manage this team’s members and delete it/);
    const leave = screen.getByRole("button", { name: "Leave team" });
    await user.click(leave);
    const dialog = await screen.findByRole("dialog", { name: "Someone has to keep Analytical Engines" });
    expect(clerkRequestLog()).toEqual([]);
    within(dialog).getByRole("button", { name: "Delete the team…" });
    await user.click(within(dialog).getByRole("button", { name: "Make someone else admin" }));
    // The members list, on Charles's role: the one change that lets Ada leave.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("Role of Charles Babbage")));
  });

  test("the last admin's way out by deleting: the dialog leads to the team's delete button", async () => {
    const { user } = await setUp();
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    const dialog = await screen.findByRole("dialog", { name: "Someone has to keep Analytical Engines" });
    await user.click(within(dialog).getByRole("button", { name: "Delete the team…" }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("button", { name: "Delete Analytical Engines…" })),
    );
  });

  test("Clerk's own refusal of the rule opens the same explanation, with Clerk's words", async () => {
    const { user, clerk } = await setUp("/team", { charlesRole: "org:admin" });
    clerk.refuse(
      "leaveOrganization",
      "There has to be at least one organization member with the minimum required permissions",
      "organization_minimum_permissions_needed",
    );
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Leave Analytical Engines?" })).getByRole("button", {
        name: "Leave team",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Someone has to keep Analytical Engines" });
    within(dialog).getByText(
      "Clerk says: There has to be at least one organization member with the minimum required permissions",
    );
    await screen.findByText(/Leaving Analytical Engines: not saved\./);
  });

  test("Roster's copy behind Clerk's: Clerk's rule refuses the leave Roster allowed, in Clerk's words, and Ada stays", async () => {
    const { user, clerk } = await setUp("/team", { charlesRole: "org:admin" });
    // Ada makes Charles a member; Clerk knows at once, Roster only once the webhook lands (held back).
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.selectOptions(screen.getByLabelText("Role of Charles Babbage"), "org:member");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    const confirm = await screen.findByRole("dialog", { name: "Leave Analytical Engines?" });
    await user.click(within(confirm).getByRole("button", { name: "Leave team" }));
    const dialog = await screen.findByRole("dialog", { name: "Someone has to keep Analytical Engines" });
    within(dialog).getByText(
      "Clerk says: There has to be at least one organization member with the minimum required permissions",
    );
    expect(clerk.held()).toBe(1);
    screen.getByRole("heading", { name: "Analytical Engines" });
  });

  test("removed from the active team by someone else: the page says so and offers the other teams", async () => {
    const { user, client } = await setUp();
    const other = "org_2othr00000000000000000001";
    await land(
      client,
      organizationEvent("organization.created", { id: other, name: "Difference Engines", slug: null }),
    );
    await land(
      client,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_2othrada",
        organization: clerkOrganization({ id: other, name: "Difference Engines", slug: null }),
        role: "org:member",
      }),
    );
    await land(client, membershipEvent("organizationMembership.deleted", { updated_at: T0 + MINUTE }));

    await screen.findByText("You are not a member of this team");
    const picker = screen.getByRole("region", { name: "Switch to another team" });
    await user.click(within(picker).getByRole("button", { name: /Difference Engines/ }));
    await screen.findByRole("heading", { name: "Difference Engines" });
  });

  test("creating a team: pending until Roster has it, then its page", async () => {
    const { user, clerk } = await setUp();
    signIn(ADA_PERSON, null);
    await user.type(await screen.findByRole("textbox", { name: "Team name" }), "Difference Engines");
    // No team active: the page offers Ada's team and a new one.
    screen.getByRole("button", { name: /Analytical Engines/ });
    await user.click(screen.getByRole("button", { name: "Create team" }));
    await screen.findByText("Creating Difference Engines: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(2));
    await clerk.release();
    await screen.findByRole("heading", { name: "Difference Engines" });
    within(membersList()).getByText("You");
  });
});

test("an instance that does not let this user create teams: the page says so instead of offering it", async () => {
  setInstanceSettings({ createOrganizationEnabled: false });
  await setUp();
  signIn(ADA_PERSON, null);
  await screen.findByText("This app does not let you create teams: ask an admin of a team to invite you.");
  expect(screen.queryByRole("textbox", { name: "Team name" })).toBeNull();
});

describe("who acted, and where the focus goes", () => {
  test("a removal made here reads 'was removed by' the admin in the feed; the focus moves on from the gone row", async () => {
    const { user, clerk } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    await user.click(screen.getByRole("button", { name: "Actions for Charles Babbage" }));
    await user.click(screen.getByRole("menuitem", { name: "Remove from team" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove Charles Babbage from the team?" });
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(membersList()).queryByText("Charles Babbage")).toBeNull());
    const feed = screen.getByRole("list", { name: "Recent activity" });
    await within(feed).findByText("was removed by Ada Lovelace");
    // Ada's own row has no actions: the focus goes to the search box, not lost on the page.
    expect(document.activeElement).toBe(screen.getByRole("searchbox", { name: "Search members by name or email" }));
  });

  test("closing the removal's dialog gives the focus back to the member's actions button", async () => {
    const { user } = await setUp();
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    const actions = screen.getByRole("button", { name: "Actions for Charles Babbage" });
    await user.click(actions);
    await user.click(screen.getByRole("menuitem", { name: "Remove from team" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove Charles Babbage from the team?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.activeElement).toBe(actions));
    expect(clerkRequestLog()).toEqual([]);
  });
});

describe("settings", () => {
  async function openSettings(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("tab", { name: "Settings" }));
    const panel = await screen.findByRole("tabpanel");
    // The tab's code loads when first opened.
    await within(panel).findByRole("heading", { name: "Delete the team" });
    return panel;
  }

  test("renaming and a new slug: Saving… until organization.updated lands, then the header shows them", async () => {
    const { user, clerk } = await setUp();
    const panel = await openSettings(user);
    const name = within(panel).getByLabelText("Team name");
    await user.clear(name);
    await user.type(name, "Analytical Society");
    const slug = within(panel).getByLabelText("Slug");
    await user.clear(slug);
    await user.type(slug, "analytical-society");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await within(panel).findByText("Renaming the team to Analytical Society: Saving…");
    expect(clerkRequestLog()).toContainEqual({
      type: "updateOrganization",
      organizationId: ORG,
      name: "Analytical Society",
      slug: "analytical-society",
    });
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await screen.findByRole("heading", { name: "Analytical Society" });
    screen.getByText("analytical-society");
    await waitFor(() => expect(within(panel).queryByText(/Saving…/)).toBeNull());
  });

  test("an empty name or a slug with spaces is caught before Clerk is asked", async () => {
    const { user } = await setUp();
    const panel = await openSettings(user);
    await user.clear(within(panel).getByLabelText("Team name"));
    const slug = within(panel).getByLabelText("Slug");
    await user.clear(slug);
    await user.type(slug, "not a slug");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    within(panel).getByText("Enter the team's name.");
    within(panel).getByText("Use lower-case letters, digits and single hyphens, like design-team.");
    expect(clerkRequestLog()).toEqual([]);
  });

  test("slugs turned off for the instance: no slug field, and the rename sends none", async () => {
    setInstanceSettings({ slugDisabled: true });
    const { user } = await setUp();
    const panel = await openSettings(user);
    expect(within(panel).queryByLabelText("Slug")).toBeNull();
    await user.type(within(panel).getByLabelText("Team name"), " Ltd");
    await user.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(clerkRequestLog()).toContainEqual({
        type: "updateOrganization",
        organizationId: ORG,
        name: "Analytical Engines Ltd",
      }),
    );
  });

  test("a new logo: Clerk's checks (type, 10 MB) first, then Saving… until the webhook lands", async () => {
    const { user, clerk } = await setUp();
    const panel = await openSettings(user);
    // Clerk's default picture is no logo: nothing to remove yet.
    expect(within(panel).queryByRole("button", { name: "Remove logo" })).toBeNull();
    const input = within(panel).getByLabelText("Upload a logo");
    // A file the picker would not offer (its `accept`), dropped in anyway.
    fireEvent.change(input, { target: { files: [new File(["%PDF"], "logo.pdf", { type: "application/pdf" })] } });
    within(panel).getByText("Choose a PNG, JPEG, GIF or WebP picture.");
    expect(clerkRequestLog()).toEqual([]);
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(16)], "logo.png", { type: "image/png" })] } });
    await within(panel).findByText("Changing the logo: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(panel).queryByText(/Saving…/)).toBeNull());
    within(panel).getByRole("button", { name: "Remove logo" });
    expect(clerkRequestLog()).toContainEqual({
      type: "setOrganizationLogo",
      organizationId: ORG,
      file: expect.any(File) as File,
    });

    // Removing it: Clerk's default picture again, once the webhook lands.
    await user.click(within(panel).getByRole("button", { name: "Remove logo" }));
    await within(panel).findByText("Removing the logo: Saving…");
    expect(clerkRequestLog()).toContainEqual({ type: "setOrganizationLogo", organizationId: ORG, file: null });
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(panel).queryByText(/Saving…/)).toBeNull());
    within(panel).getByLabelText("Upload a logo");
  });

  test("deleting: the name typed to confirm, then Clerk; '… is deleted' once the webhook lands", async () => {
    const { user, clerk } = await setUp();
    const panel = await openSettings(user);
    await user.click(within(panel).getByRole("button", { name: "Delete Analytical Engines…" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete Analytical Engines?" });
    const confirm = within(dialog).getByRole("button", { name: "Delete team" });
    expect(confirm).toHaveProperty("disabled", true);
    await user.type(within(dialog).getByLabelText(/to confirm/), "Analytical Engine");
    expect(confirm).toHaveProperty("disabled", true);
    await user.type(within(dialog).getByLabelText(/to confirm/), "s");
    await user.click(confirm);
    expect(clerkRequestLog()).toContainEqual({ type: "destroyOrganization", organizationId: ORG });
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await screen.findByRole("heading", { name: "Analytical Engines is deleted" });
    await waitFor(() => expect(clerkState().activeOrganizationId).toBeNull());
  });

  test("the instance does not let admins delete: the page says so instead of offering it", async () => {
    setInstanceSettings({ adminDeleteEnabled: false });
    const { user } = await setUp();
    const panel = await openSettings(user);
    expect(within(panel).queryByRole("button", { name: /Delete/ })).toBeNull();
    within(panel).getByText(/does not let admins delete teams/);
  });

  test("a member without the profile permissions has no Settings tab", async () => {
    const user = userEvent.setup();
    const charles = clerkIdentity(CHARLES, { name: "Charles Babbage" });
    const { client } = renderWithBackend(<TeamView />, { identity: charles, path: "/team" });
    await land(client, organizationEvent("organization.created"));
    await land(client, membershipEvent("organizationMembership.created"));
    await land(
      client,
      membershipEvent("organizationMembership.created", {
        role: "org:member",
        public_user_data: publicUserData(clerkUserCharles()),
        created_at: T0 + MINUTE,
        updated_at: T0 + MINUTE,
      }),
    );
    await screen.findByRole("heading", { name: "Analytical Engines" });
    expect(screen.queryByRole("tab", { name: "Settings" })).toBeNull();
    void user;
  });
});

describe("domains", () => {
  async function openDomains(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("tab", { name: "Domains" }));
    const panel = await screen.findByRole("tabpanel");
    // The tab's code loads when first opened.
    await within(panel).findByRole("heading", { name: "Domains" });
    return panel;
  }

  test("add, verify with the emailed code, choose the enrollment mode, remove — each Saving… until its webhook", async () => {
    const { user, clerk } = await setUp();
    const panel = await openDomains(user);
    await within(panel).findByText("No domains yet");
    await user.type(within(panel).getByLabelText("Add a domain"), "Engines.Example");
    await user.click(within(panel).getByRole("button", { name: "Add domain" }));
    await within(panel).findByText("Adding engines.example: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    const list = await within(panel).findByRole("list", { name: "Domains" });
    within(list).getByText("Not verified");

    await user.click(within(list).getByRole("button", { name: "Verify engines.example" }));
    await user.type(within(list).getByLabelText("Your email address at engines.example"), "ada@elsewhere.example");
    await user.click(within(list).getByRole("button", { name: "Send code" }));
    within(list).getByText("Enter an email address at engines.example, like you@engines.example.");
    await user.clear(within(list).getByLabelText("Your email address at engines.example"));
    await user.type(within(list).getByLabelText("Your email address at engines.example"), "ada@engines.example");
    await user.click(within(list).getByRole("button", { name: "Send code" }));
    const codeField = await within(list).findByLabelText("Code sent to ada@engines.example");
    const [sent] = clerk.sentCodes();
    expect(sent).toMatchObject({ domain: "engines.example", emailAddress: "ada@engines.example" });
    await clerk.release(); // Clerk's email.created
    await user.type(codeField, sent!.code === "000000" ? "111111" : "000000");
    await user.click(within(list).getByRole("button", { name: "Verify" }));
    await within(list).findByText(/Verifying engines.example: not saved\. Incorrect code/);
    await user.clear(codeField);
    await user.type(codeField, sent!.code);
    await user.click(within(list).getByRole("button", { name: "Verify" }));
    await within(list).findByText("Verifying engines.example: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await within(list).findByText("Verified");

    const mode = await within(list).findByLabelText("Enrollment mode for engines.example");
    await user.selectOptions(mode, "automatic_suggestion");
    await user.click(within(list).getByRole("button", { name: "Save mode for engines.example" }));
    await within(list).findByText("Setting engines.example to Automatic suggestion: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await waitFor(() => expect(within(list).queryByText(/Saving…/)).toBeNull());
    expect(within(list).getAllByText("Automatic suggestion").length).toBeGreaterThan(0);

    await user.click(within(list).getByRole("button", { name: "Remove engines.example" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove engines.example?" });
    await user.click(within(dialog).getByRole("button", { name: "Remove domain" }));
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await within(panel).findByText("No domains yet");
  });

  test("'Delete pending invitations and suggestions' is offered only when going back to manual invitation", async () => {
    const { user, client } = await setUp();
    await land(client, organizationDomainEvent("organizationDomain.created", { ...verifiedDomain() }));
    const panel = await openDomains(user);
    const mode = await within(panel).findByLabelText("Enrollment mode for engines.example");
    expect(within(panel).queryByLabelText("Delete pending invitations and suggestions")).toBeNull();
    await user.selectOptions(mode, "manual_invitation");
    await user.click(within(panel).getByLabelText("Delete pending invitations and suggestions"));
    await user.click(within(panel).getByRole("button", { name: "Save mode for engines.example" }));
    await waitFor(() =>
      expect(clerkRequestLog()).toContainEqual({
        type: "updateDomainEnrollment",
        organizationId: ORG,
        domainId: expect.any(String) as string,
        enrollmentMode: "manual_invitation",
        deletePending: true,
      }),
    );
  });
});

describe("requests to join", () => {
  const KATHERINE = {
    id: "user_2kj0000000000000000000001",
    firstName: "Katherine",
    lastName: "Johnson",
    email: "katherine@example.com",
  };
  async function openRequests(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("tab", { name: "Requests" }));
    return await screen.findByRole("tabpanel");
  }

  test("read from Clerk (no webhook for them); Accept settles the row on Clerk's answer, the member follows by webhook", async () => {
    const { user, clerk } = await setUp();
    clerk.addMembershipRequest(ORG, KATHERINE);
    const panel = await openRequests(user);
    const list = await within(panel).findByRole("list", { name: "Requests to join" });
    await user.click(within(list).getByRole("button", { name: "Accept Katherine Johnson" }));
    await within(panel).findByText(/Katherine Johnson is accepted/);
    await within(panel).findByText("No requests to join");
    expect(clerk.held()).toBe(1);
    await clerk.release();
    await user.click(screen.getByRole("tab", { name: "Members" }));
    await waitFor(() => within(membersList()).getByText("Katherine Johnson"));
  });

  test("Reject: gone on Clerk's answer, no webhook; the list refreshes when the window regains focus", async () => {
    const { user, clerk } = await setUp();
    clerk.addMembershipRequest(ORG, KATHERINE);
    const panel = await openRequests(user);
    const list = await within(panel).findByRole("list", { name: "Requests to join" });
    await user.click(within(list).getByRole("button", { name: "Reject Katherine Johnson" }));
    await within(panel).findByText("Katherine Johnson's request is rejected.");
    expect(clerk.held()).toBe(0);
    clerk.addMembershipRequest(ORG, {
      ...KATHERINE,
      id: "user_2dv0000000000000000000001",
      firstName: "Dorothy",
      lastName: "Vaughan",
    });
    window.dispatchEvent(new Event("focus"));
    await within(panel).findByRole("button", { name: "Accept Dorothy Vaughan" });
  });

  test("past the membership limit Clerk refuses, in its own words, and the request stays", async () => {
    const { user, clerk } = await setUp("/team", { instance: { maxAllowedMemberships: 2 } });
    clerk.addMembershipRequest(ORG, KATHERINE);
    const panel = await openRequests(user);
    const list = await within(panel).findByRole("list", { name: "Requests to join" });
    await user.click(within(list).getByRole("button", { name: "Accept Katherine Johnson" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain(
      "You have reached your limit of 2 organization memberships, including outstanding invitations.",
    );
    within(list).getByRole("button", { name: "Accept Katherine Johnson" });
  });
});
