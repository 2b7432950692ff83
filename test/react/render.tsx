import { render } from "@testing-library/react";
import type { UserIdentity } from "convex/server";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { newBackend } from "../convex";
import { ConvexTestProvider } from "./convexTestHooks";
import { TestConvexClient } from "./TestConvexClient";

export { clerkIdentity } from "./clerkMock";

/**
 * Renders `ui` (an element, or the app's route table) at `path` (a memory router, so links and `?q=` work) over a fresh convex-test
 * backend, signed in as `identity` (or signed out with null). Returns the client, whose
 * `deliver(event)` posts a signed webhook and re-runs every query the view subscribed to.
 */
export function renderWithBackend(
  ui: ReactElement | RouteObject[],
  { identity, path = "/" }: { identity: Partial<UserIdentity> | null; path?: string },
) {
  const client = new TestConvexClient(newBackend(), identity);
  const routes = Array.isArray(ui) ? ui : [{ path: "*", element: ui }];
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(
    <ConvexTestProvider client={client}>
      <RouterProvider router={router} />
    </ConvexTestProvider>,
  );
  return { client, router, ...view };
}
