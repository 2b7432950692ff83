import { ClerkFailed, ClerkLoaded, ClerkLoading } from "@clerk/react";
import { Authenticated, AuthLoading, Unauthenticated } from "convex/react";
import { lazy, Suspense } from "react";
import { ClerkLoadTimeout, ClerkUnreachableScreen } from "./components/ClerkLoadTimeout";
import { ConvexConnectionGuard } from "./components/ConvexConnectionGuard";
import { ShellSkeleton } from "./components/ShellSkeleton";
import { LandingView } from "./views/LandingView";
import { LoadingScreen } from "./views/LoadingScreen";

const SignedInApp = lazy(async () => ({ default: (await import("./SignedInApp")).SignedInApp }));

/**
 * Which screen the visitor gets: Clerk loading (or unreachable), Convex unreachable, the landing
 * page with Clerk's sign-in, or the signed-in app with its routes.
 */
export function App({ convexUrl }: { convexUrl: string }) {
  return (
    <>
      <ClerkLoading>
        <ClerkLoadTimeout />
      </ClerkLoading>
      <ClerkFailed>
        <ClerkUnreachableScreen />
      </ClerkFailed>
      <ClerkLoaded>
        <ConvexConnectionGuard convexUrl={convexUrl}>
          <AuthLoading>
            <LoadingScreen label="Signing you in…" />
          </AuthLoading>
          <Unauthenticated>
            <LandingView />
          </Unauthenticated>
          <Authenticated>
            <Suspense fallback={<ShellSkeleton label="Opening Roster…" />}>
              <SignedInApp />
            </Suspense>
          </Authenticated>
        </ConvexConnectionGuard>
      </ClerkLoaded>
    </>
  );
}
