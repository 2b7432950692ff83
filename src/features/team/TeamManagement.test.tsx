import { screen, waitFor, within } from "@testing-library/react";
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
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  userEvent as clerkUserEvent,
} from "../../../test/clerkEvents";
import { SECRET } from "../../../test/convex";
import { clerkRequestLog, resetClerk, setClerkBackend, signIn } from "../../../test/react/clerkMock";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import { simulatedClerk, type SimulatedClerk } from "../../../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../../../test/react/TestConvexClient";
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
async function setUp(path = "/team", instance?: Partial<ClerkInstanceSettings>) {
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
      role: "org:member",
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
  test("leaving: after a confirmation, pending until the webhook lands, then the page says so", async () => {
    const { user, client, clerk } = await setUp();
    // Charles is an admin too: someone keeps the permissions to manage members and delete the team.
    await land(
      client,
      membershipEvent("organizationMembership.updated", {
        role: "org:admin",
        public_user_data: publicUserData(clerkUserCharles()),
        created_at: T0 + MINUTE,
        updated_at: T0 + 2 * MINUTE,
      }),
    );
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave Analytical Engines?" });
    await user.click(within(dialog).getByRole("button", { name: "Leave team" }));
    await screen.findByText("Leaving Analytical Engines: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(1));
    await clerk.release();
    await screen.findByText("You are not a member of this team");
  });

  test("the last admin leaving: Clerk refuses with its own words, and Ada stays", async () => {
    const { user, clerk } = await setUp();
    await user.click(screen.getByRole("button", { name: "Leave team" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave Analytical Engines?" });
    await user.click(within(dialog).getByRole("button", { name: "Leave team" }));
    await screen.findByText(/There has to be at least one organization member with the minimum required permissions/);
    expect(clerk.held()).toBe(0);
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
    const { user, clerk } = await setUp("/team", { maxAllowedMemberships: 2 });
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
