import { ProblemScreen } from "./ProblemScreen";

const code = "rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-800";

/** What the app shows when VITE_CLERK_PUBLISHABLE_KEY or VITE_CONVEX_URL is missing or malformed. */
export function MissingConfigView({ problems }: { problems: string[] }) {
  return (
    <ProblemScreen title="Roster is not configured yet" problems={problems}>
      <p>
        Copy <code className={code}>.env.local.example</code> to <code className={code}>.env.local</code>, fill it in,
        and restart <code className={code}>npm run dev</code>. The README&rsquo;s &ldquo;Connect your own Clerk and
        Convex&rdquo; section walks through each value (<code className={code}>npm run setup</code> checks them).
      </p>
    </ProblemScreen>
  );
}
