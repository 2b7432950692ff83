import { act, render, screen } from "@testing-library/react";
import type { ConnectionState } from "convex/browser";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { CONVEX_CONNECT_TIMEOUT_MS, ConvexConnectionGuard } from "./ConvexConnectionGuard";

const connection = vi.hoisted(() => ({ current: { hasEverConnected: false, isWebSocketConnected: false } }));
vi.mock("../lib/convex", () => ({
  useConvexConnectionState: () => connection.current as ConnectionState,
}));

beforeEach(() => {
  vi.useFakeTimers();
  connection.current = { hasEverConnected: false, isWebSocketConnected: false };
});
afterEach(() => {
  vi.useRealTimers();
});

const url = "https://happy-otter-123.convex.cloud";

test("Convex never answering turns into a screen naming VITE_CONVEX_URL, not an endless spinner", () => {
  render(
    <ConvexConnectionGuard convexUrl={url}>
      <p>app</p>
    </ConvexConnectionGuard>,
  );
  screen.getByText("app");
  act(() => {
    vi.advanceTimersByTime(CONVEX_CONNECT_TIMEOUT_MS);
  });
  screen.getByRole("heading", { name: "Convex is unreachable" });
  expect(screen.getByRole("alert").textContent).toContain(`${url}. Check that VITE_CONVEX_URL`);
  expect(screen.queryByText("app")).toBeNull();
});

test("a dropped connection shows a reconnecting notice over the app", () => {
  connection.current = { hasEverConnected: true, isWebSocketConnected: false };
  render(
    <ConvexConnectionGuard convexUrl={url}>
      <p>app</p>
    </ConvexConnectionGuard>,
  );
  act(() => {
    vi.advanceTimersByTime(CONVEX_CONNECT_TIMEOUT_MS * 2);
  });
  screen.getByText("app");
  screen.getByText("Connection lost — reconnecting to Convex…");
});

test("connected: just the app", () => {
  connection.current = { hasEverConnected: true, isWebSocketConnected: true };
  render(
    <ConvexConnectionGuard convexUrl={url}>
      <p>app</p>
    </ConvexConnectionGuard>,
  );
  screen.getByText("app");
  expect(screen.queryByRole("status")).toBeNull();
});
