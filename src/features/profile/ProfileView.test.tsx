import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, userEvent as clerkUserEvent } from "../../../test/clerkEvents";
import { SECRET } from "../../../test/convex";
import { clerkIdentity, renderWithBackend } from "../../../test/react/render";
import { birthdayRange, formatFieldDate } from "./birthday";
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

  test("the country picker: searchable by name or code, keyboard operable, shows names and stores codes", async () => {
    const user = userEvent.setup();
    renderWithBackend(<ProfileView />, { identity: ada });
    const input = await screen.findByRole<HTMLInputElement>("combobox", { name: "Country" });
    await user.type(input, "jp");
    const listbox = screen.getByRole("listbox", { name: "Countries" });
    expect(input.getAttribute("aria-expanded")).toBe("true");
    const options = within(listbox).getAllByRole("option");
    expect(options[0]?.textContent).toBe("JapanJP");
    expect(input.getAttribute("aria-activedescendant")).toBe(options[0]?.id);
    await user.clear(input);
    await user.type(input, "ger");
    await user.keyboard("{ArrowDown}");
    const active = document.getElementById(input.getAttribute("aria-activedescendant") ?? "");
    expect(active?.getAttribute("role")).toBe("option");
    await user.keyboard("{Escape}");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(input.value).toBe("");
    await user.type(input, "Germany");
    await user.keyboard("{Enter}");
    expect(input.value).toBe("Germany");
    screen.getByRole("button", { name: "Save changes" });
  });

  test("saves bio, country and birthday", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });
    await user.type(await screen.findByLabelText("Bio"), "Writes the first program.");
    await user.type(screen.getByRole("combobox", { name: "Country" }), "united k");
    const [first] = within(screen.getByRole("listbox", { name: "Countries" })).getAllByRole("option");
    expect(first?.textContent).toBe("United KingdomGB");
    await user.keyboard("{Enter}");
    expect(screen.getByRole<HTMLInputElement>("combobox", { name: "Country" }).value).toBe("United Kingdom");
    await user.type(screen.getByLabelText("Birthday"), "1990-12-10");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByText("Saved.");
    const stored = await client.backend.run(async (ctx) =>
      ctx.db
        .query("profiles")
        .withIndex("by_userId", (q) => q.eq("userId", ADA))
        .unique(),
    );
    expect(stored).toMatchObject({ bio: "Writes the first program.", country: "GB", birthday: "1990-12-10" });
    expect(screen.getByLabelText<HTMLInputElement>("Country").value).toBe("United Kingdom");
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save changes" }).disabled).toBe(true);
  });

  test("a country not in the list cannot be chosen: the picker says so and nothing changes", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<ProfileView />, { identity: ada });
    const country = await screen.findByRole<HTMLInputElement>("combobox", { name: "Country" });
    await user.type(country, "xx");
    within(screen.getByRole("listbox", { name: "Countries" })).getByText("No country matches “xx”");
    await user.keyboard("{Enter}");
    await user.tab();
    expect(country.value).toBe("");
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save changes" }).disabled).toBe(true);
    expect(await client.backend.run(async (ctx) => ctx.db.query("profiles").collect())).toEqual([]);
  });

  test("the birthday picker offers 1900-01-01 to today, no other dates", async () => {
    renderWithBackend(<ProfileView />, { identity: ada });
    const birthday = await screen.findByLabelText<HTMLInputElement>("Birthday");
    expect(birthday.type).toBe("date");
    expect(birthday.min).toBe("1900-01-01");
    expect(birthday.max).toBe(birthdayRange(new Date()).max);
    expect(birthday.max <= new Date().toISOString().slice(0, 10)).toBe(true);
  });

  test.each(["2999-01-01", "1899-12-31"])(
    "a birthday outside the range (%s) is refused on the birthday field, in the format the field shows",
    async (date) => {
      const user = userEvent.setup();
      const { client } = renderWithBackend(<ProfileView />, { identity: ada });
      await user.type(await screen.findByLabelText("Birthday"), date);
      await user.click(screen.getByRole("button", { name: "Save changes" }));
      const form = screen.getByRole("form", { name: "About you" });
      const today = formatFieldDate(birthdayRange(new Date()).max);
      await within(form).findByText(`Choose a date between 01/01/1900 and today (${today}).`);
      // jsdom's language is en-US, as Chromium's field then shows mm/dd/yyyy: no ISO date in the message.
      expect(form.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      const field = screen.getByLabelText("Birthday");
      expect(field.getAttribute("aria-invalid")).toBe("true");
      expect(document.activeElement).toBe(field);
      expect(await client.backend.run(async (ctx) => ctx.db.query("profiles").collect())).toEqual([]);
    },
  );

  test("every profile error shows at once, and focus goes to the first", async () => {
    const user = userEvent.setup();
    renderWithBackend(<ProfileView />, { identity: ada });
    const bio = await screen.findByLabelText("Bio");
    await user.click(bio);
    await user.paste("x".repeat(501));
    await user.type(screen.getByLabelText("Birthday"), "2999-01-01");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    const form = screen.getByRole("form", { name: "About you" });
    await within(form).findByText("Keep the bio to 500 characters (it has 501).");
    within(form).getByText(/^Choose a date between 01\/01\/1900 and today/);
    expect(bio.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Birthday").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(bio);
    // Each error is tied to its field.
    expect(bio.getAttribute("aria-describedby")).toContain(`${bio.id}-error`);
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
