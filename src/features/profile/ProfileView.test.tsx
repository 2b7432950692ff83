import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, userEvent as clerkUserEvent } from "../../../test/clerkEvents";
import { SECRET } from "../../../test/convex";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import { ProfileView } from "./ProfileView";

vi.mock("../../lib/convex", () => import("../../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../../test/react/clerkMock"));

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Ada as her sign-in token describes her, before any webhook. */
const ada = clerkIdentity(ADA, {
  name: "Ada Lovelace",
  givenName: "Ada",
  familyName: "Lovelace",
  email: "ada@example.com",
});

describe("profile", () => {
  test("shows the token's name while setting up, then the account's data once user.created lands", async () => {
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });

    await screen.findByRole("heading", { name: "Ada Lovelace" });
    screen.getByText("Finishing setting up your profile…");
    screen.getByText("ada@example.com");
    // End users read about their profile, not about Clerk's events or syncing.
    expect(document.body.textContent).not.toMatch(/webhook|user\.created|sync/i);

    const answer = await client.deliver(
      clerkUserEvent("user.created", { id: ADA, first_name: "Augusta Ada", username: "countess" }),
    );
    expect(answer.outcome).toBe("applied");

    await screen.findByRole("heading", { name: "Augusta Ada Lovelace" });
    screen.getByText("@countess");
    expect(screen.queryByText("Finishing setting up your profile…")).toBeNull();
    screen.getByRole("button", { name: "Manage account" });
  });

  test("a user.updated shows up without a reload", async () => {
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });
    await client.deliver(clerkUserEvent("user.created", { id: ADA }));
    await screen.findByRole("heading", { name: "Ada Lovelace" });

    await client.deliver(clerkUserEvent("user.updated", { id: ADA, last_name: "King", updated_at: Date.now() }));
    await screen.findByRole("heading", { name: "Ada King" });
  });

  test("saves bio, country and birthday", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });
    await user.type(await screen.findByLabelText("Bio"), "Writes the first program.");
    await user.type(screen.getByLabelText("Country"), "gb");
    screen.getByText("United Kingdom");
    await user.type(screen.getByLabelText("Birthday"), "1990-12-10");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByText("Saved.");
    const stored = await client.backend.run(async (ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_clerkId", (q) => q.eq("clerkId", ADA))
        .unique(),
    );
    expect(stored).toMatchObject({ bio: "Writes the first program.", country: "GB", birthday: "1990-12-10" });
    expect(screen.getByLabelText<HTMLInputElement>("Country").value).toBe("GB");
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save changes" }).disabled).toBe(true);
  });

  test("shows the server's validation message next to the field, and saves nothing", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });
    const country = await screen.findByLabelText("Country");
    await user.type(country, "xx");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByText(/"XX" is not a country code/);
    expect(country.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(country);
    expect(country.getAttribute("aria-describedby")).toContain(screen.getByText(/"XX" is not a country code/).id);
    expect(screen.queryByText("Saved.")).toBeNull();
    expect(await client.backend.run(async (ctx) => ctx.db.query("users").collect())).toEqual([]);
  });

  test("a future birthday is refused with a message on the birthday field", async () => {
    const user = userEvent.setup();
    renderWithBackend(<ProfileView />, { identity: ada });
    await user.type(await screen.findByLabelText("Birthday"), "2999-01-01");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    const form = screen.getByRole("form", { name: "About you" });
    await within(form).findByText(/is not a date between 1900-01-01 and today/);
    expect(screen.getByLabelText("Birthday").getAttribute("aria-invalid")).toBe("true");
  });

  test("signed out: says so instead of a profile", async () => {
    renderWithBackend(<ProfileView />, { identity: null });
    await screen.findByText("No profile to show");
  });

  test("loading: a spoken status until the query answers", async () => {
    renderWithBackend(<ProfileView />, { identity: ada });
    expect(screen.getByRole("status").textContent).toContain("Loading your profile…");
    await screen.findByRole("heading", { name: "Ada Lovelace" });
  });
});
