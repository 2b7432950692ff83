import { useEffect, useState, type ReactNode } from "react";
import { useConvexConnectionState } from "../lib/convex";
import { ProblemScreen } from "../views/ProblemScreen";

/** How long the first connection to Convex may take before the app says it cannot reach it. */
export const CONVEX_CONNECT_TIMEOUT_MS = 12_000;

/**
 * Shows what to fix when Convex has never answered (wrong VITE_CONVEX_URL, deployment down),
 * and a "reconnecting" banner when an established connection drops; Convex resumes by itself.
 */
export function ConvexConnectionGuard({ convexUrl, children }: { convexUrl: string; children: ReactNode }) {
  const { hasEverConnected, isWebSocketConnected } = useConvexConnectionState();
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    if (hasEverConnected) return;
    const timer = setTimeout(() => setTimedOut(true), CONVEX_CONNECT_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [hasEverConnected]);

  if (!hasEverConnected && timedOut) {
    return (
      <ProblemScreen
        title="Convex is unreachable"
        problems={[
          `Roster cannot connect to Convex at ${convexUrl}. Check that VITE_CONVEX_URL is your deployment's URL (\`npm run setup:convex\` writes it to .env.local) and that the deployment is running.`,
        ]}
      >
        <p>This page recovers by itself as soon as the connection works.</p>
      </ProblemScreen>
    );
  }
  return (
    <>
      {hasEverConnected && !isWebSocketConnected ? (
        <p
          role="status"
          className="fixed inset-x-0 bottom-4 z-50 mx-auto w-fit rounded-full bg-slate-900 px-4 py-2 text-sm font-medium text-white shadow-lg"
        >
          Connection lost — reconnecting to Convex…
        </p>
      ) : null}
      {children}
    </>
  );
}
