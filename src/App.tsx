import { ClerkFailed, ClerkLoaded, ClerkLoading, SignInButton, UserButton } from "@clerk/react";
import { Authenticated, AuthLoading, Unauthenticated } from "convex/react";
import { useEffect, useState } from "react";
import { ProblemScreen } from "./views/ProblemScreen";
import { ProfileView } from "./views/ProfileView";

/** How long Clerk may take to load before the app says it cannot reach it. */
export const CLERK_LOAD_TIMEOUT_MS = 15_000;

const CLERK_UNREACHABLE = [
  "Clerk's sign-in could not be loaded. Check your network connection, and that VITE_CLERK_PUBLISHABLE_KEY belongs to an existing Clerk application.",
];

/** "Loading…" that turns into an explanation when Clerk does not answer in time. */
function ClerkLoadingScreen() {
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setTimedOut(true), CLERK_LOAD_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, []);
  if (timedOut) return <ProblemScreen title="Clerk is unreachable" problems={CLERK_UNREACHABLE} />;
  return (
    <p className="loading" role="status">
      Loading Roster…
    </p>
  );
}

export function App() {
  return (
    <>
      <ClerkLoading>
        <ClerkLoadingScreen />
      </ClerkLoading>
      <ClerkFailed>
        <ProblemScreen title="Clerk is unreachable" problems={CLERK_UNREACHABLE} />
      </ClerkFailed>
      <ClerkLoaded>
        <AuthLoading>
          <p className="loading" role="status">
            Signing you in…
          </p>
        </AuthLoading>
        <Unauthenticated>
          <main className="landing">
            <h1>Roster</h1>
            <p>Your team, in step with Clerk, live.</p>
            <SignInButton mode="modal">
              <button type="button">Sign in</button>
            </SignInButton>
          </main>
        </Unauthenticated>
        <Authenticated>
          <header className="topbar">
            <strong>Roster</strong>
            <UserButton />
          </header>
          <ProfileView />
        </Authenticated>
      </ClerkLoaded>
    </>
  );
}
