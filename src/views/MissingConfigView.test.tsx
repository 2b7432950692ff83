import { render, screen } from "@testing-library/react";
import { expect, test } from "vitest";
import { readConfig } from "../config";
import { MissingConfigView } from "./MissingConfigView";

test("without keys, the app names both variables and what to set, instead of spinning", () => {
  const result = readConfig({});
  if (result.ok) throw new Error("an empty environment must not be a valid configuration");
  render(<MissingConfigView problems={result.problems} />);

  const alert = screen.getByRole("alert");
  screen.getByRole("heading", { name: "Roster is not configured yet" });
  expect(alert.textContent).toContain("VITE_CLERK_PUBLISHABLE_KEY is not set");
  expect(alert.textContent).toContain("VITE_CONVEX_URL is not set");
  expect(alert.textContent).toContain(".env.local");
  expect(screen.queryByRole("status")).toBeNull();
});

test("a secret key in place of the publishable key is called out", () => {
  const result = readConfig({
    VITE_CLERK_PUBLISHABLE_KEY: "sk_test_abc",
    VITE_CONVEX_URL: "https://a-b-1.convex.cloud",
  });
  if (result.ok) throw new Error("a secret key must be refused");
  render(<MissingConfigView problems={result.problems} />);
  expect(screen.getByRole("alert").textContent).toContain("not a Clerk publishable key");
});
