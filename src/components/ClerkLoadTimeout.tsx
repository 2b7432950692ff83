import { useEffect, useState, useSyncExternalStore } from "react";
import { clerkScriptWatch, type ClerkScriptWatch } from "../lib/clerkLoadFailure";
import { LoadingScreen } from "../views/LoadingScreen";
import { ProblemScreen } from "../views/ProblemScreen";

/** How long Clerk may take to load before the app says it cannot reach it (when the browser never says). */
export const CLERK_LOAD_TIMEOUT_MS = 15_000;

export const CLERK_UNREACHABLE = [
  "Clerk's sign-in could not be loaded. Check your network connection, and that VITE_CLERK_PUBLISHABLE_KEY belongs to an existing Clerk application (Clerk dashboard → API keys).",
];

/** "Clerk is unreachable", with a Retry that loads the page again (and so Clerk's script). */
export function ClerkUnreachableScreen({ reload = () => window.location.reload() }: { reload?: () => void }) {
  return (
    <ProblemScreen
      title="Clerk is unreachable"
      problems={CLERK_UNREACHABLE}
      actions={
        <button
          type="button"
          onClick={reload}
          className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
        >
          Retry
        </button>
      }
    />
  );
}

/**
 * "Loading…" while Clerk loads. It turns into "Clerk is unreachable" the moment Clerk's script fails
 * to load, or, as a fallback when the browser never says (a request that hangs), after a timeout.
 */
export function ClerkLoadTimeout({
  watch = clerkScriptWatch(),
  reload,
}: {
  watch?: ClerkScriptWatch;
  reload?: () => void;
}) {
  const scriptFailed = useSyncExternalStore(watch.subscribe, watch.failed);
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setTimedOut(true), CLERK_LOAD_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, []);
  if (scriptFailed || timedOut) return <ClerkUnreachableScreen reload={reload} />;
  return <LoadingScreen label="Loading Roster…" />;
}
