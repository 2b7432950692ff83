import { Navigate, type RouteObject } from "react-router";
import type { RouteTitle } from "./lib/pageTitle";
import { AppShell } from "./views/AppShell";
import { ShellSkeleton } from "./components/ShellSkeleton";
import { RouteErrorView } from "./views/RouteErrorView";

/**
 * The signed-in app's URLs. Each page is its own chunk (`lazy`), so the first load carries only the
 * shell; the browser check's preview entry renders these same routes over recorded data. Each page's
 * `handle` names it in the tab title (AppShell).
 */
export const routes: RouteObject[] = [
  {
    path: "/",
    Component: AppShell,
    ErrorBoundary: RouteErrorView,
    hydrateFallbackElement: <ShellSkeleton label="Opening Roster…" />,
    children: [
      { index: true, element: <Navigate to="/profile" replace /> },
      {
        path: "profile",
        handle: { title: "Profile" } satisfies RouteTitle,
        lazy: async () => ({ Component: (await import("./features/profile/ProfileView")).ProfileView }),
      },
      {
        path: "team",
        handle: { title: "Team", withOrganization: true } satisfies RouteTitle,
        lazy: async () => ({ Component: (await import("./features/team/TeamView")).TeamView }),
      },
      {
        path: "admin",
        handle: { title: "Admin activity" } satisfies RouteTitle,
        lazy: async () => ({ Component: (await import("./views/AdminActivityView")).AdminActivityView }),
      },
      {
        path: "*",
        handle: { title: "Page not found" } satisfies RouteTitle,
        lazy: async () => ({ Component: (await import("./views/NotFoundView")).NotFoundView }),
      },
    ],
  },
];
