import { Navigate, type RouteObject } from "react-router";
import { AppShell } from "./views/AppShell";
import { LoadingScreen } from "./views/LoadingScreen";
import { RouteErrorView } from "./views/RouteErrorView";

/**
 * The signed-in app's URLs. Each page is its own chunk (`lazy`), so the first load carries only the
 * shell; the browser check's preview entry renders these same routes over recorded data.
 */
export const routes: RouteObject[] = [
  {
    path: "/",
    Component: AppShell,
    ErrorBoundary: RouteErrorView,
    hydrateFallbackElement: <LoadingScreen label="Opening Roster…" />,
    children: [
      { index: true, element: <Navigate to="/profile" replace /> },
      {
        path: "profile",
        lazy: async () => ({ Component: (await import("./features/profile/ProfileView")).ProfileView }),
      },
      {
        path: "team",
        lazy: async () => ({ Component: (await import("./features/team/TeamView")).TeamView }),
      },
      {
        path: "admin",
        lazy: async () => ({ Component: (await import("./views/AdminActivityView")).AdminActivityView }),
      },
      {
        path: "*",
        lazy: async () => ({ Component: (await import("./views/NotFoundView")).NotFoundView }),
      },
    ],
  },
];
