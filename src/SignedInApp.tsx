import { RouterProvider, createBrowserRouter } from "react-router";
import { routes } from "./routes";

/**
 * The signed-in app: the router and its routes. App.tsx loads this module lazily, so the landing
 * page (Clerk's sign-in) does not carry the router; the router is created on first sign-in.
 */
const router = createBrowserRouter(routes);

export function SignedInApp() {
  return <RouterProvider router={router} />;
}
