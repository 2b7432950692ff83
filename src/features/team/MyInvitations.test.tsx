import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  clerkEmailAddress,
  clerkId,
  clerkUser,
  MINUTE,
  membershipEvent,
  ORG,
  organizationEvent,
  organizationInvitationEvent,
  T0,
  userEvent as clerkUserEvent,
} from "../../../test/clerkEvents";
import { SECRET } from "../../../test/convex";
import {
  clerkRequestLog,
  clerkState,
  OrganizationSwitcher,
  resetClerk,
  setClerkBackend,
  signIn,
} from "../../../test/react/clerkMock";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import { simulatedClerk } from "../../../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../../../test/react/TestConvexClient";
import { TeamView } from "./TeamView";

vi.mock("../../lib/convex", () => import("../../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../../test/react/clerkMock"));

const KATHERINE = clerkId("user", "kj");
const INVITATION = clerkId("orginv", "kj");
const PERSON = {
  id: KATHERINE,
  firstName: "Katherine",
  lastName: "Johnson",
  email: "katherine@example.com",
  username: null,
  imageUrl: null,
};
const identity = clerkIdentity(KATHERINE, { name: "Katherine Johnson", email: "katherine@example.com" });

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  signIn(PERSON, null);
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetClerk();
});

async function land(client: TestConvexClient, event: object) {
  expect((await client.deliver(event)).outcome).toBe("applied");
}

/** Katherine (primary address verified, a second unverified), in no team, invited to Ada's team. */
async function setUp(invitedAddress = "katherine@example.com") {
  const user = userEvent.setup();
  const view = renderWithBackend(
    <>
      <OrganizationSwitcher afterSelectOrganizationUrl="/team" />
      <TeamView />
    </>,
    { identity, path: "/team" },
  );
  const { client } = view;
  await land(client, clerkUserEvent("user.created", { id: ADA }));
  await land(
    client,
    clerkUserEvent(
      "user.created",
      clerkUser({
        id: KATHERINE,
        first_name: "Katherine",
        last_name: "Johnson",
        email_addresses: [
          clerkEmailAddress({ id: "idn_kj1", email_address: "katherine@example.com" }),
          clerkEmailAddress({
            id: "idn_kj2",
            email_address: "kj@nasa.example",
            verification: { status: "unverified", strategy: "email_code", attempts: 0, expire_at: T0 },
          }),
        ],
        primary_email_address_id: "idn_kj1",
      }),
    ),
  );
  await land(client, organizationEvent("organization.created"));
  await land(client, membershipEvent("organizationMembership.created"));
  await land(
    client,
    organizationInvitationEvent("organizationInvitation.created", {
      id: INVITATION,
      email_address: invitedAddress,
      created_at: T0 + MINUTE,
      updated_at: T0 + MINUTE,
    }),
  );
  const clerk = simulatedClerk({
    post: (event) => land(client, event),
    caller: () => client.backend.withIdentity(identity),
    viewer: () => PERSON,
  });
  clerk.holdWebhooks(true);
  setClerkBackend(clerk.backend);
  return { user, client, clerk };
}

describe("the signed-in person's invitations", () => {
  test("joining one shown among the dismissed says so once, on its own row", async () => {
    const { user, clerk } = await setUp();
    const list = await screen.findByRole("list", { name: "Your invitations" });
    await user.click(
      within(list).getByRole("button", { name: "Dismiss the invitation to Analytical Engines (hides it here only)" }),
    );
    await user.click(await screen.findByRole("button", { name: "Show dismissed invitations (1)" }));
    await user.click(within(list).getByRole("button", { name: "Join Analytical Engines" }));
    await waitFor(() => expect(clerk.held()).toBe(2));
    expect(screen.getAllByText("Joining Analytical Engines: Saving…")).toHaveLength(1);
    await clerk.release();
    await screen.findByRole("heading", { name: "Analytical Engines" });
  });

  test("shown on the team page; Join accepts it through Clerk and opens the team once Roster has it", async () => {
    const { user, clerk } = await setUp();
    const list = await screen.findByRole("list", { name: "Your invitations" });
    within(list).getByText("Analytical Engines");
    await user.click(within(list).getByRole("button", { name: "Join Analytical Engines" }));
    await screen.findByText("Joining Analytical Engines: Saving…");
    await waitFor(() => expect(clerk.held()).toBe(2));
    expect(clerkRequestLog().map((request) => request.type)).toEqual(["getUserInvitations", "acceptUserInvitation"]);
    await clerk.release();
    await screen.findByRole("heading", { name: "Analytical Engines" });
    expect(clerkState().activeOrganizationId).toBe(ORG);
    expect(screen.queryByRole("list", { name: "Your invitations" })).toBeNull();
  });

  test("an invitation to an unverified address of hers is never shown", async () => {
    await setUp("kj@nasa.example");
    await screen.findByText("You are not in a team yet");
    expect(screen.queryByRole("list", { name: "Your invitations" })).toBeNull();
  });

  test("Dismiss hides it here (Clerk has no decline, and the page says so); Restore brings it back", async () => {
    const { user } = await setUp();
    const section = await screen.findByRole("region", { name: "Your invitations" });
    within(section).getByText(/Clerk has no way to decline an invitation/);
    await user.click(
      within(section).getByRole("button", {
        name: "Dismiss the invitation to Analytical Engines (hides it here only)",
      }),
    );
    await within(section).findByRole("button", { name: "Show dismissed invitations (1)" });
    expect(within(section).queryByRole("button", { name: "Join Analytical Engines" })).toBeNull();
    expect(clerkRequestLog()).toEqual([]);
    await user.click(within(section).getByRole("button", { name: "Show dismissed invitations (1)" }));
    await user.click(within(section).getByRole("button", { name: "Restore the invitation to Analytical Engines" }));
    await within(section).findByRole("button", {
      name: "Dismiss the invitation to Analytical Engines (hides it here only)",
    });
    expect(within(section).queryByRole("button", { name: /Show dismissed invitations/ })).toBeNull();
  });

  test("Clerk refusing Join: its words on the row, and she is still invited", async () => {
    const { user, clerk } = await setUp();
    clerk.refuse("acceptUserInvitation", "This invitation is no longer pending.");
    const list = await screen.findByRole("list", { name: "Your invitations" });
    await user.click(within(list).getByRole("button", { name: "Join Analytical Engines" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Joining Analytical Engines: not saved. This invitation is no longer pending.");
    expect(clerk.held()).toBe(0);
    within(list).getByRole("button", { name: "Join Analytical Engines" });
  });

  test("Clerk's switcher lists it with Join too; joining there makes the team active", async () => {
    const { user, clerk } = await setUp();
    await screen.findByRole("list", { name: "Your invitations" });
    await user.click(screen.getByRole("button", { name: "Team: Personal account" }));
    const group = await screen.findByRole("group", { name: "Invitations" });
    await user.click(within(group).getByRole("menuitem", { name: "Join Analytical Engines" }));
    await waitFor(() => expect(clerkState().activeOrganizationId).toBe(ORG));
    expect(clerkRequestLog().map((request) => request.type)).toContain("acceptUserInvitation");
    await clerk.release();
    await screen.findByRole("heading", { name: "Analytical Engines" });
  });
});
