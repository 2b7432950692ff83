import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { watchClerkScript, type ClerkScriptWatch } from "../lib/clerkLoadFailure";
import { CLERK_LOAD_TIMEOUT_MS, ClerkLoadTimeout } from "./ClerkLoadTimeout";

let watch: ClerkScriptWatch;
beforeEach(() => {
  vi.useFakeTimers();
  watch = watchClerkScript(document);
});
afterEach(() => {
  watch.stop();
  document.querySelectorAll("script").forEach((script) => script.remove());
  vi.useRealTimers();
});

/** A script element as @clerk/shared's loadScript appends it, failing to load. */
function failScript(src: string, attributes: Record<string, string> = {}) {
  const script = document.createElement("script");
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  script.setAttribute("src", src);
  document.body.appendChild(script);
  // A resource's error event does not bubble: only a capturing listener on the document hears it.
  act(() => {
    script.dispatchEvent(new Event("error"));
  });
}

test("loading Clerk shows a status, then (fallback timer) says Clerk is unreachable and what to check", () => {
  render(<ClerkLoadTimeout watch={watch} />);
  expect(screen.getByRole("status").textContent).toContain("Loading Roster…");
  act(() => {
    vi.advanceTimersByTime(CLERK_LOAD_TIMEOUT_MS - 1);
  });
  expect(screen.queryByRole("alert")).toBeNull();
  act(() => {
    vi.advanceTimersByTime(1);
  });
  screen.getByRole("heading", { name: "Clerk is unreachable" });
  expect(screen.getByRole("alert").textContent).toContain("VITE_CLERK_PUBLISHABLE_KEY");
});

test("Clerk's script failing to load shows the screen at once, with a Retry that reloads", async () => {
  const reload = vi.fn();
  render(<ClerkLoadTimeout watch={watch} reload={reload} />);
  failScript("https://clerk.example.accounts.dev/npm/@clerk/clerk-js@6/dist/clerk.browser.js", {
    "data-clerk-publishable-key": "pk_test_x",
  });
  screen.getByRole("heading", { name: "Clerk is unreachable" });
  expect(document.title).toBe("Clerk is unreachable · Roster");
  vi.useRealTimers();
  await userEvent.click(screen.getByRole("button", { name: "Retry" }));
  expect(reload).toHaveBeenCalledOnce();
});

test("a failure before the screen mounts is remembered", () => {
  failScript("https://clerk.example.accounts.dev/npm/@clerk/ui@1/dist/ui.browser.js");
  render(<ClerkLoadTimeout watch={watch} />);
  screen.getByRole("heading", { name: "Clerk is unreachable" });
});

test("another script failing is not Clerk failing", () => {
  render(<ClerkLoadTimeout watch={watch} />);
  failScript("https://cdn.example.com/analytics.js");
  const image = document.createElement("img");
  document.body.appendChild(image);
  act(() => {
    image.dispatchEvent(new Event("error"));
  });
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.getByRole("status").textContent).toContain("Loading Roster…");
  image.remove();
});
