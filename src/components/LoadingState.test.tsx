import { render, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { LoadingState, type LoadingShape } from "./LoadingState";
import { ShellSkeleton } from "./ShellSkeleton";

describe.each<[LoadingShape, number]>([
  ["list", 3],
  ["table", 4],
  ["stats", 4],
  ["card", 2],
  ["profile", 3],
])("LoadingState shaped as %s", (shape, rows) => {
  test("is one spoken status; its skeleton is hidden from assistive tech", () => {
    const { container } = render(<LoadingState label="Loading members…" shape={shape} rows={rows} />);
    const status = screen.getByRole("status");
    expect(status.textContent).toBe("Loading members…");
    expect(status.getAttribute("data-shape")).toBe(shape);
    const blocks = container.querySelectorAll("[aria-hidden='true'] .rounded, [aria-hidden='true'].rounded");
    expect(blocks.length).toBeGreaterThanOrEqual(rows);
  });
});

test("a table skeleton has one row per expected row, with its columns", () => {
  const { container } = render(<LoadingState label="Loading…" shape="table" rows={5} />);
  const table = container.querySelector("[data-shape='table'] > div[aria-hidden='true']");
  expect(table?.children).toHaveLength(5);
  expect(table?.children[0]?.children).toHaveLength(3);
});

test("the shell skeleton is the app's frame, spoken as its label", () => {
  render(<ShellSkeleton label="Opening Roster…" />);
  expect(screen.getByRole("status").textContent).toContain("Opening Roster…");
  expect(screen.queryByRole("navigation")).toBeNull();
  expect(screen.queryByRole("link")).toBeNull();
});
