import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  MINUTE,
  ORG,
  T0,
  clerkPermission,
  clerkUser,
  clerkUserCharles,
  membershipEvent,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  roleEvent,
  userEvent as clerkUserEvent,
  verifiedDomain,
} from "../../../test/clerkEvents";
import { captureConsole } from "../../../test/console";
import { SECRET } from "../../../test/convex";
import { setActiveOrganization } from "../../../test/react/clerkMock";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import type { TestConvexClient } from "../../../test/react/TestConvexClient";
import { MEMBERS_PAGE_SIZE } from "./MembersPanel";
import { QueryBoundary } from "../../components/QueryBoundary";
import { TeamDashboard } from "./TeamDashboard";
import { TeamView } from "./TeamView";

vi.mock("../../lib/convex", () => import("../../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../../test/react/clerkMock"));

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  setActiveOrganization(ORG, "Analytical Engines");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setActiveOrganization(null);
});

const ada = clerkIdentity(ADA, { name: "Ada Lovelace", email: "ada@example.com" });
const charles = clerkIdentity(CHARLES, { name: "Charles Babbage", email: "charles@example.com" });
const charlesData = () => publicUserData(clerkUserCharles());

/** Delivers a webhook through the view's client and checks Roster applied it. */
async function land(client: TestConvexClient, event: object) {
  const answer = await client.deliver(event);
  expect(answer.outcome).toBe("applied");
}

/** Ada's organization with Ada as its admin, as Clerk announces them. */
async function adasOrganization(client: TestConvexClient) {
  await land(client, clerkUserEvent("user.created", { id: ADA }));
  await land(client, organizationEvent("organization.created"));
  await land(client, membershipEvent("organizationMembership.created"));
}

function membersList() {
  return screen.getByRole("list", { name: "Members" });
}
function memberRow(name: string) {
  const row = within(membersList()).getByText(name).closest("li");
  if (row === null) throw new Error(`no row for ${name}`);
  return row;
}

describe("team", () => {
  test("members appear, change role and leave as the membership webhooks land", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);

    await screen.findByRole("heading", { name: "Analytical Engines" });
    await waitFor(() => within(membersList()).getByText("Ada Lovelace"));
    expect(within(memberRow("Ada Lovelace")).getByText("Admin")).toBeTruthy();

    // Charles joins as a member.
    await land(
      client,
      membershipEvent("organizationMembership.created", {
        role: "org:member",
        public_user_data: charlesData(),
        created_at: T0 + MINUTE,
        updated_at: T0 + MINUTE,
      }),
    );
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    expect(within(memberRow("Charles Babbage")).getByText("Member")).toBeTruthy();
    expect(within(memberRow("Charles Babbage")).getByText("charles@example.com")).toBeTruthy();
    const feed = screen.getByRole("list", { name: "Recent activity" });
    await waitFor(() => within(feed).getByText("joined as Member"));

    // Ada makes him an admin.
    await land(
      client,
      membershipEvent("organizationMembership.updated", {
        role: "org:admin",
        public_user_data: charlesData(),
        created_at: T0 + MINUTE,
        updated_at: T0 + 2 * MINUTE,
      }),
    );
    await waitFor(() => expect(within(memberRow("Charles Babbage")).queryByText("Admin")).not.toBeNull());
    await waitFor(() => within(screen.getByRole("list", { name: "Recent activity" })).getByText("is now Admin"));

    // He leaves.
    await land(
      client,
      membershipEvent("organizationMembership.deleted", {
        role: "org:admin",
        public_user_data: charlesData(),
        created_at: T0 + MINUTE,
        updated_at: T0 + 2 * MINUTE,
      }),
    );
    await waitFor(() => expect(within(membersList()).queryByText("Charles Babbage")).toBeNull());
    within(membersList()).getByText("Ada Lovelace");
    await waitFor(() =>
      within(screen.getByRole("list", { name: "Recent activity" })).getByText("is no longer a member"),
    );
  });

  test("search narrows the members by name or email, and says when nothing matches", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);
    await land(
      client,
      membershipEvent("organizationMembership.created", { role: "org:member", public_user_data: charlesData() }),
    );
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));

    await user.type(screen.getByLabelText("Search members by name or email"), "charles@");
    await waitFor(() => expect(within(membersList()).queryByText("Ada Lovelace")).toBeNull());
    within(membersList()).getByText("Charles Babbage");

    await user.clear(screen.getByLabelText("Search members by name or email"));
    await user.type(screen.getByLabelText("Search members by name or email"), "Grace");
    await screen.findByText("No members match “Grace”");
  });

  test("admins see pending invitations and domains", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);
    await land(client, organizationInvitationEvent("organizationInvitation.created"));
    await land(client, organizationDomainEvent("organizationDomain.created", { ...verifiedDomain() }));

    await user.click(await screen.findByRole("tab", { name: "Invitations" }));
    const invitations = await screen.findByRole("list", { name: "Pending invitations" });
    await waitFor(() => within(invitations).getByText("charles@example.com"));
    await user.click(screen.getByRole("tab", { name: "Domains" }));
    const domains = await screen.findByRole("list", { name: "Domains" });
    within(domains).getByText("engines.example");
    within(domains).getByText("Verified");
  });

  test("members do not see the admin-only sections", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: charles, path: "/team" });
    await adasOrganization(client);
    await land(client, clerkUserEvent("user.created", clerkUserCharles()));
    await land(
      client,
      membershipEvent("organizationMembership.created", { role: "org:member", public_user_data: charlesData() }),
    );
    await land(
      client,
      organizationInvitationEvent("organizationInvitation.created", { email_address: "grace@example.com" }),
    );
    await land(client, organizationDomainEvent("organizationDomain.created"));

    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    screen.getByRole("heading", { name: "Activity" });
    expect(screen.queryByRole("tab", { name: "Invitations" })).toBeNull();
    expect(screen.queryByRole("tab", { name: "Domains" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Actions for/ })).toBeNull();
    expect(screen.queryByLabelText(/Role of/)).toBeNull();
    expect(screen.queryByRole("list", { name: "Pending invitations" })).toBeNull();
    expect(screen.queryByText("engines.example")).toBeNull();
    // The invitation itself is news every member sees in the feed; the invitee's address is not.
    const feed = screen.getByRole("list", { name: "Recent activity" });
    await waitFor(() => within(feed).getByText("Someone"));
    expect(within(feed).getByText("Someone").closest("li")?.textContent).toMatch(/was invited as Member/);
    expect(screen.queryByText("grace@example.com")).toBeNull();
  });

  test("a role losing org:sys_memberships:read hides the members list at once, and gaining it shows it", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: charles, path: "/team" });
    await adasOrganization(client);
    await land(client, roleEvent("role.created", { key: "org:member", permissions: [] }));
    await land(
      client,
      membershipEvent("organizationMembership.created", { role: "org:member", public_user_data: charlesData() }),
    );
    await screen.findByText("Your role does not show the members list");
    expect(screen.queryByRole("list", { name: "Members" })).toBeNull();

    const read = clerkPermission({ key: "org:sys_memberships:read", type: "system" });
    await land(client, roleEvent("role.updated", { key: "org:member", permissions: [read], updated_at: T0 + MINUTE }));
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    expect(screen.queryByText("Your role does not show the members list")).toBeNull();
  });

  test("a member promoted to admin gets the admin sections without a reload", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: charles, path: "/team" });
    await adasOrganization(client);
    await land(
      client,
      membershipEvent("organizationMembership.created", { role: "org:member", public_user_data: charlesData() }),
    );
    await waitFor(() => within(membersList()).getByText("Charles Babbage"));
    expect(screen.queryByRole("tab", { name: "Invitations" })).toBeNull();

    await land(
      client,
      membershipEvent("organizationMembership.updated", {
        role: "org:admin",
        public_user_data: charlesData(),
        updated_at: T0 + MINUTE,
      }),
    );
    await userEvent.click(await screen.findByRole("tab", { name: "Invitations" }));
    await screen.findByText("No pending invitations");
  });

  test("a team the caller is not (or not yet) a member of says so, then shows once the membership lands", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await screen.findByText("You are not a member of this team");
    await adasOrganization(client);
    await screen.findByRole("heading", { name: "Analytical Engines" });
    expect(screen.queryByText("You are not a member of this team")).toBeNull();
  });

  test("no active organization and none to pick: says how to get one", async () => {
    setActiveOrganization(null);
    renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await screen.findByText("You are not in a team yet");
    screen.getByRole("textbox", { name: "Team name" });
    screen.getByRole("button", { name: "Create team" });
  });

  test("no active organization: lists the user's organizations to open", async () => {
    const user = userEvent.setup();
    setActiveOrganization(null);
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);
    await user.click(await screen.findByRole("button", { name: /Analytical Engines/ }));
    await screen.findByRole("heading", { name: "Analytical Engines" });
    await waitFor(() => within(membersList()).getByText("Ada Lovelace"));
  });

  test("an organization the caller is not a member of shows NOT_A_MEMBER, not an empty page", async () => {
    // React reports the error the boundary caught; that report is expected, so it is asserted here.
    const errors = captureConsole("error");
    const { client } = renderWithBackend(
      <QueryBoundary>
        <TeamDashboard organizationId={ORG} />
      </QueryBoundary>,
      { identity: charles, path: "/team" },
    );
    await adasOrganization(client);
    await screen.findByText("Not a member of this team");
    expect(screen.queryByRole("list", { name: "Members" })).toBeNull();
    expect(errors().join("\n")).toContain('{"code":"NOT_A_MEMBER","message":"You are not a member of this team."}');
  });

  test("members come a page at a time, with a button for more", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);
    for (let n = 1; n <= MEMBERS_PAGE_SIZE; n += 1) {
      const id = `user_2member${String(n).padStart(18, "0")}`;
      await land(
        client,
        membershipEvent("organizationMembership.created", {
          role: "org:member",
          public_user_data: publicUserData(clerkUser({ id, first_name: "Member", last_name: String(n) })),
        }),
      );
    }
    await waitFor(() => expect(within(membersList()).getAllByRole("listitem")).toHaveLength(MEMBERS_PAGE_SIZE));
    await user.click(screen.getByRole("button", { name: "Show more members" }));
    await waitFor(() => expect(within(membersList()).getAllByRole("listitem")).toHaveLength(MEMBERS_PAGE_SIZE + 1));
    expect(screen.queryByRole("button", { name: "Show more members" })).toBeNull();
  });

  test("a user.updated renames the member in the list", async () => {
    const { client } = renderWithBackend(<TeamView />, { identity: ada, path: "/team" });
    await adasOrganization(client);
    await waitFor(() => within(membersList()).getByText("Ada Lovelace"));
    await land(
      client,
      clerkUserEvent("user.updated", clerkUser({ id: ADA, last_name: "King", updated_at: T0 + MINUTE })),
    );
    await waitFor(() => within(membersList()).getByText("Ada King"));
  });
});
