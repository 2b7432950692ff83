import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, CHARLES, T0, clerkUserCharles, envelope, userEvent as clerkUserEvent } from "../../test/clerkEvents";
import { SECRET } from "../../test/convex";
import { clerkIdentity, renderWithBackend } from "../../test/react/render";
import type { TestConvexClient } from "../../test/react/TestConvexClient";
import { AdminActivityView } from "./AdminActivityView";

vi.mock("../lib/convex", () => import("../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../test/react/clerkMock"));

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ada = clerkIdentity(ADA, { name: "Ada Lovelace" });
const charles = clerkIdentity(CHARLES, { name: "Charles Babbage" });

/** Ada, made an app admin in Clerk (public metadata `rosterAdmin: true`). */
async function adaIsAppAdmin(client: TestConvexClient) {
  const answer = await client.deliver(
    clerkUserEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }),
  );
  expect(answer.outcome).toBe("applied");
}

function eventLog() {
  return screen.getByRole("list", { name: "Webhook events" });
}

describe("admin activity", () => {
  test("shows the event log live, newest first, with failed events highlighted and explained", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await waitFor(() => within(eventLog()).getByText("user.created"));

    expect((await client.deliver(clerkUserEvent("user.created", clerkUserCharles()))).outcome).toBe("applied");
    // A payload Roster cannot apply (a user without an id): failed, kept for retry.
    const broken = envelope("user.updated", { object: "user", first_name: "Nobody", updated_at: T0 });
    expect((await client.deliver(broken)).status).toBe(500);

    await waitFor(() => within(eventLog()).getByText("user.updated"));
    const rows = within(eventLog()).getAllByRole("listitem");
    expect(rows.map((row) => row.getAttribute("aria-label"))).toEqual([
      "user.updated, failed",
      "user.created, applied",
      "user.created, applied",
    ]);
    expect(rows[0]?.className).toContain("bg-red-50");
    expect(rows[1]?.className).not.toContain("bg-red-50");
    within(rows[1] as HTMLElement).getByText(CHARLES);

    const health = screen.getByRole("region", { name: "Sync health" });
    await waitFor(() => within(health).getByText("Needs attention"));
    expect(within(health).getByText("Failed, last 24 h").nextElementSibling?.textContent).toBe("1");
  });

  test("filters the log by outcome, in the URL", async () => {
    const user = userEvent.setup();
    const { client, router } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const event = clerkUserEvent("user.created", clerkUserCharles());
    await client.deliver(event, { svixId: "msg_twice" });
    expect((await client.deliver(event, { svixId: "msg_twice" })).outcome).toBe("duplicate");
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));

    await user.click(screen.getByRole("radio", { name: "duplicate" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(1));
    expect(router.state.location.search).toBe("?outcome=duplicate");
    within(eventLog()).getByText("msg_twice");

    await user.click(screen.getByRole("radio", { name: "failed" }));
    await screen.findByText("No failed events");

    await user.click(screen.getByRole("radio", { name: "All" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));
    expect(router.state.location.search).toBe("");
  });

  test("sync health before any event: never, and healthy", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const health = await screen.findByRole("region", { name: "Sync health" });
    await waitFor(() => within(health).getByText("Healthy"));
  });

  test("an admin filter with no events says the log is empty", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin?outcome=stale" });
    await adaIsAppAdmin(client);
    await screen.findByText("No stale events");
  });

  test("users who are not app admins get an explanation, and no log", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: charles, path: "/admin" });
    await client.deliver(clerkUserEvent("user.created", clerkUserCharles()));
    await screen.findByText("Admins only");
    expect(screen.queryByRole("list", { name: "Webhook events" })).toBeNull();
    expect(screen.queryByRole("region", { name: "Sync health" })).toBeNull();
  });
});
