import { useEffect, useState } from "react";
import { LoadingScreen } from "../views/LoadingScreen";
import { ProblemScreen } from "../views/ProblemScreen";

/** How long Clerk may take to load before the app says it cannot reach it. */
export const CLERK_LOAD_TIMEOUT_MS = 15_000;

export const CLERK_UNREACHABLE = [
  "Clerk's sign-in could not be loaded. Check your network connection, and that VITE_CLERK_PUBLISHABLE_KEY belongs to an existing Clerk application (Clerk dashboard → API keys).",
];

/** "Loading…" that turns into an explanation when Clerk does not answer in time. */
export function ClerkLoadTimeout() {
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setTimedOut(true), CLERK_LOAD_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, []);
  if (timedOut) return <ProblemScreen title="Clerk is unreachable" problems={CLERK_UNREACHABLE} />;
  return <LoadingScreen label="Loading Roster…" />;
}
