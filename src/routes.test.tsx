import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, CHARLES, clerkUserCharles, userEvent as clerkUserEvent } from "../test/clerkEvents";
import { SECRET } from "../test/convex";
import { setActiveOrganization } from "../test/react/clerkMock";
import { clerkIdentity, renderWithBackend } from "../test/react/render";
import { routes } from "./routes";

vi.mock("./lib/convex", () => import("../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../test/react/clerkMock"));

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  setActiveOrganization(null);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the signed-in app's routes", () => {
  test("/ opens the profile, and the navigation moves between real URLs", async () => {
    const user = userEvent.setup();
    const { router } = renderWithBackend(routes, { identity: clerkIdentity(ADA, { name: "Ada Lovelace" }), path: "/" });
    await screen.findByRole("heading", { level: 1, name: "Profile" });
    expect(router.state.location.pathname).toBe("/profile");

    const nav = screen.getByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("link", { name: "Team" }));
    await screen.findByRole("heading", { level: 1, name: "Team" });
    expect(router.state.location.pathname).toBe("/team");
    expect(within(nav).getByRole("link", { name: "Team" }).getAttribute("aria-current")).toBe("page");
  });

  test("the admin link appears only for app admins, live", async () => {
    const { client } = renderWithBackend(routes, { identity: clerkIdentity(CHARLES), path: "/profile" });
    await client.deliver(clerkUserEvent("user.created", clerkUserCharles()));
    // The shell shows once the app has opened (its queries answer through the clerkSync component).
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await screen.findByRole("heading", { level: 2, name: "Charles Babbage" });
    expect(within(nav).queryByRole("link", { name: "Admin activity" })).toBeNull();

    await client.deliver(
      clerkUserEvent(
        "user.updated",
        clerkUserCharles({ public_metadata: { rosterAdmin: true }, updated_at: Date.now() }),
      ),
    );
    await waitFor(() => within(nav).getByRole("link", { name: "Admin activity" }));
  });

  test("an unknown URL says so", async () => {
    renderWithBackend(routes, { identity: clerkIdentity(ADA), path: "/nowhere" });
    await screen.findByRole("heading", { level: 1, name: "Page not found" });
    await waitFor(() => expect(document.title).toBe("Page not found · Roster"));
  });

  test("each page has its own title, the team page with the active organization's name", async () => {
    const user = userEvent.setup();
    setActiveOrganization("org_engines", "Analytical Engines");
    renderWithBackend(routes, { identity: clerkIdentity(ADA, { name: "Ada Lovelace" }), path: "/profile" });
    await screen.findByRole("heading", { level: 1, name: "Profile" });
    await waitFor(() => expect(document.title).toBe("Profile · Roster"));

    const nav = screen.getByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("link", { name: "Team" }));
    await waitFor(() => expect(document.title).toBe("Team · Analytical Engines · Roster"));

    act(() => setActiveOrganization(null));
    await waitFor(() => expect(document.title).toBe("Team · Roster"));
  });
});
