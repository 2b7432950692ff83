import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { CLERK_LOAD_TIMEOUT_MS, ClerkLoadTimeout } from "./ClerkLoadTimeout";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("loading Clerk shows a status, then says Clerk is unreachable and what to check", () => {
  render(<ClerkLoadTimeout />);
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
