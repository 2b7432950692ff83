/**
 * The playground's in-browser Convex deployment, as the backend worker (worker.ts) builds it: Roster's
 * real functions (every module of convex/) in convex-test, under Convex's per-transaction limits, with
 * the clerkSync component mounted as convex/convex.config.ts mounts it. Roster's webhook route hands
 * the component its change hook (convex/clerk.ts `onChange`), which keeps Roster's own tables in
 * step in the same transaction as each synced change, as on a real deployment.
 */
import { convexTest } from "convex-test";
import { register } from "convex-clerk-sync/test";
import schema from "../../convex/schema";

const modules = import.meta.glob(["../../convex/**/*.*s", "!../../convex/**/*.test.*s"]);

/** A fresh deployment: Roster's schema and functions, the clerkSync component registered. */
export function playgroundDeployment() {
  // Under Convex's per-transaction limits, as a real deployment: what would fail there fails here.
  const t = convexTest({ schema, modules, transactionLimits: true });
  register(t);
  return t;
}
export type PlaygroundDeployment = ReturnType<typeof playgroundDeployment>;
