import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import {
  OrganizationSwitcher,
  UserButton,
  clerkRequestLog,
  clerkState,
  resetClerk,
  setClerkBackend,
  setInstanceSettings,
  setOrganizations,
  signIn,
  useClerk,
  type SimulatedUser,
} from "./clerkMock";
import { stubTextWidths } from "./layout";

const ADA: SimulatedUser = {
  id: "user_ada",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  username: "ada",
  imageUrl: null,
};
const ENGINES = { id: "org_engines", name: "Analytical Engines" };
const LAB = { id: "org_lab", name: "Difference Lab" };
const LONG = { id: "org_long", name: "The Society for the Diffusion of Useful Knowledge, London Chapter" };

function ManageAccount() {
  const clerk = useClerk();
  return (
    <button type="button" onClick={() => clerk.openUserProfile()}>
      Manage account
    </button>
  );
}

/** The header's two menus, as AppShell places them, and a page with "Manage account" on it. */
function renderHeader() {
  const router = createMemoryRouter(
    [
      {
        path: "*",
        element: (
          <>
            <button type="button">Before</button>
            <OrganizationSwitcher afterSelectOrganizationUrl="/team" afterCreateOrganizationUrl="/team" />
            <UserButton />
            <ManageAccount />
          </>
        ),
      },
    ],
    { initialEntries: ["/profile"] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

const switcher = () => screen.getByRole("button", { name: /^Team:/ });
const account = () => screen.getByRole("button", { name: /^Account:/ });

beforeEach(() => {
  resetClerk();
  act(() => {
    signIn(ADA, ENGINES);
    setOrganizations([ENGINES, LAB, LONG]);
  });
});
afterEach(() => {
  resetClerk();
});

describe("the simulated team switcher: a menu button (WAI-ARIA)", () => {
  test("↓ opens it on the first item, arrows move and wrap, Home/End jump, Escape closes it back on the button", async () => {
    const user = userEvent.setup();
    renderHeader();
    switcher().focus();
    await user.keyboard("{ArrowDown}");
    const menu = screen.getByRole("menu", { name: "Switch team" });
    expect(switcher().getAttribute("aria-expanded")).toBe("true");
    expect(switcher().getAttribute("aria-controls")).toBe(menu.id);
    const items = within(menu).getAllByRole("menuitemradio");
    expect(items.map((item) => item.textContent)).toEqual([ENGINES.name, LAB.name, LONG.name, "Personal account"]);
    // Items are reached with the arrows, not with Tab.
    expect(items.every((item) => item.tabIndex === -1)).toBe(true);
    expect(document.activeElement).toBe(items[0]);
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(items[1]);
    const create = within(menu).getByRole("menuitem", { name: "Create team" });
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(document.activeElement).toBe(create);
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(items[0]);
    await user.keyboard("{End}");
    expect(document.activeElement).toBe(create);
    await user.keyboard("{Home}");
    expect(document.activeElement).toBe(items[0]);
    // Type-ahead: the next item starting with the letter.
    await user.keyboard("p");
    expect(document.activeElement).toBe(items[3]);

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(switcher());
    expect(switcher().getAttribute("aria-expanded")).toBe("false");
    expect(clerkState().activeOrganizationId).toBe(ENGINES.id);
  });

  test("↑ opens it on the last item; Enter on an item switches, goes to the team page and returns focus to the button", async () => {
    const user = userEvent.setup();
    const router = renderHeader();
    switcher().focus();
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement?.textContent).toBe("Create team");
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement?.textContent).toBe("Personal account");
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(document.activeElement?.textContent).toBe(LAB.name);
    await user.keyboard("{Enter}");
    expect(clerkState().activeOrganizationId).toBe(LAB.id);
    expect(screen.queryByRole("menu")).toBeNull();
    expect(router.state.location.pathname).toBe("/team");
    expect(document.activeElement).toBe(switcher());
    expect(switcher().textContent).toContain(LAB.name);
  });

  test("Enter and Space open it too; Tab closes it and moves on; a click elsewhere closes it", async () => {
    const user = userEvent.setup();
    renderHeader();
    switcher().focus();
    await user.keyboard("{Enter}");
    expect(document.activeElement?.getAttribute("role")).toBe("menuitemradio");
    await user.tab();
    expect(screen.queryByRole("menu")).toBeNull();

    switcher().focus();
    await user.keyboard(" ");
    screen.getByRole("menu", { name: "Switch team" });
    await user.click(screen.getByRole("button", { name: "Before" }));
    expect(screen.queryByRole("menu")).toBeNull();
  });

  test("a long team name: the full name on hover (title), in the accessible name, and shown in full on focus", async () => {
    const user = userEvent.setup();
    // jsdom lays nothing out: say that a text is 8 px a character in a box of 160 px.
    const widths = stubTextWidths(160);
    act(() => signIn(ADA, LONG));
    act(() => setOrganizations([ENGINES, LONG]));
    renderHeader();
    const button = screen.getByRole("button", { name: `Team: ${LONG.name}` });
    expect(button.getAttribute("title")).toBe(LONG.name);
    // The header's name is cut: a tooltip under the button shows it whole while the button has focus.
    const tooltip = [...button.querySelectorAll("span")].find((span) =>
      span.className.includes("group-focus-visible:block"),
    );
    expect(tooltip?.textContent).toBe(LONG.name);
    expect(tooltip?.getAttribute("aria-hidden")).toBe("true");
    widths.restore();
    button.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    const item = screen.getByRole("menuitemradio", { name: LONG.name });
    expect(document.activeElement).toBe(item);
    const name = within(item).getByText(LONG.name);
    expect(name.getAttribute("title")).toBe(LONG.name);
    // Cut to one line, and whole again while its item has keyboard focus.
    expect(name.className).toContain("truncate");
    expect(name.className).toContain("group-focus-visible:whitespace-normal");
    expect(item.className).toContain("group");
  });

  test("initials come from one script", () => {
    act(() => signIn(ADA, { id: "org_jp", name: "山田 Engines" }));
    renderHeader();
    expect(within(switcher()).getByText("山")).toBeTruthy();
    expect(within(account()).getByText("AL")).toBeTruthy();
  });
});

describe("creating a team from the switcher (Clerk's <CreateOrganization />)", () => {
  test("whatever is active: a name, then Clerk creates it and the switcher moves into it", async () => {
    const user = userEvent.setup();
    setClerkBackend((request) =>
      Promise.resolve(request.type === "createOrganization" ? { id: "org_new" } : undefined),
    );
    // The personal account is active.
    act(() => signIn(ADA, null));
    const router = renderHeader();
    await user.click(switcher());
    await user.click(screen.getByRole("menuitem", { name: "Create team" }));
    const dialog = screen.getByRole("dialog", { name: "Create a team" });
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Team name"));
    await user.click(within(dialog).getByRole("button", { name: "Create team" }));
    within(dialog).getByText("Enter the team's name.");
    const creations = () => clerkRequestLog().filter((request) => request.type === "createOrganization");
    expect(creations()).toEqual([]);
    await user.type(within(dialog).getByLabelText("Team name"), "Babbage & Co");
    await user.click(within(dialog).getByRole("button", { name: "Create team" }));
    await waitFor(() => expect(clerkState().activeOrganizationId).toBe("org_new"));
    expect(creations()).toEqual([{ type: "createOrganization", name: "Babbage & Co", userId: ADA.id }]);
    expect(switcher().textContent).toContain("Babbage & Co");
    expect(router.state.location.pathname).toBe("/team");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  test("Cancel closes it and gives the focus back to the switcher; nothing is asked of Clerk", async () => {
    const user = userEvent.setup();
    renderHeader();
    await user.click(switcher());
    await user.click(screen.getByRole("menuitem", { name: "Create team" }));
    await user.click(
      within(screen.getByRole("dialog", { name: "Create a team" })).getByRole("button", { name: "Cancel" }),
    );
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(switcher());
    expect(clerkRequestLog().filter((request) => request.type === "createOrganization")).toEqual([]);
  });

  test("an instance where this user may not create teams: no such item", async () => {
    const user = userEvent.setup();
    setInstanceSettings({ createOrganizationEnabled: false });
    renderHeader();
    await user.click(switcher());
    expect(screen.queryByRole("menuitem", { name: "Create team" })).toBeNull();
  });
});

describe("the simulated account menu", () => {
  test("a menu button: ↓ opens it on “Manage account”, arrows move, Escape returns focus to the button", async () => {
    const user = userEvent.setup();
    renderHeader();
    expect(account().getAttribute("aria-haspopup")).toBe("menu");
    expect(account().getAttribute("title")).toBe("Ada Lovelace");
    account().focus();
    await user.keyboard("{ArrowDown}");
    const menu = screen.getByRole("menu", { name: "Account" });
    expect(
      within(menu)
        .getAllByRole("menuitem")
        .map((item) => item.textContent),
    ).toEqual(["Manage account", "Sign out"]);
    expect(document.activeElement?.textContent).toBe("Manage account");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement?.textContent).toBe("Sign out");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement?.textContent).toBe("Manage account");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(account());
  });

  test("“Manage account” opens the simulated account page, which says where changes come from; Close returns focus", async () => {
    const user = userEvent.setup();
    renderHeader();
    account().focus();
    await user.keyboard("{Enter}{Enter}");
    const dialog = screen.getByRole("dialog", { name: "Your account" });
    within(dialog).getByText("Ada Lovelace");
    within(dialog).getByText("ada@example.com");
    within(dialog).getByText(/Clerk is simulated here/);
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Close" }));
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(account());

    // From the profile page's "Manage account" (Clerk's openUserProfile), focus goes back there.
    const opener = screen.getByRole("button", { name: "Manage account" });
    await user.click(opener);
    await user.click(
      within(screen.getByRole("dialog", { name: "Your account" })).getByRole("button", { name: "Close" }),
    );
    expect(document.activeElement).toBe(opener);
  });

  test("“Sign out” signs out", async () => {
    const user = userEvent.setup();
    renderHeader();
    await user.click(account());
    await user.click(screen.getByRole("menuitem", { name: "Sign out" }));
    expect(clerkState().user).toBeNull();
  });
});
