import { api } from "../../convex/_generated/api";
import { useQuery } from "../lib/convex";
import { formatDateTime } from "../lib/format";
import { LoadingState } from "./LoadingState";
import { Panel } from "./Panel";
import { RelativeTime } from "./RelativeTime";
import { StatCard } from "./StatCard";

/** When the last webhook arrived, and how many failed (in the last 24 h, and still waiting). */
export function SyncHealthPanel() {
  const health = useQuery(api.admin.syncHealth);
  if (health === undefined)
    return (
      <Panel title="Sync health">
        <LoadingState label="Loading sync health…" rows={1} />
      </Panel>
    );
  const healthy = health.failedLast24h === 0 && health.failedTotal === 0;
  return (
    <Panel
      title="Sync health"
      description="How Clerk's webhooks are landing."
      actions={
        <span
          className={`rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${
            healthy ? "bg-emerald-50 text-emerald-700 ring-emerald-200" : "bg-red-100 text-red-800 ring-red-300"
          }`}
        >
          {healthy ? "Healthy" : "Needs attention"}
        </span>
      }
    >
      <dl className="grid gap-3 sm:grid-cols-3">
        <StatCard
          label="Last event received"
          value={health.lastEventAt === null ? "Never" : <RelativeTime at={health.lastEventAt} />}
          detail={
            health.lastEventAt === null
              ? "No webhook has arrived yet. Check the endpoint in Clerk's dashboard."
              : formatDateTime(health.lastEventAt)
          }
        />
        <StatCard
          label="Failed, last 24 h"
          value={health.failedLast24h}
          tone={health.failedLast24h > 0 ? "bad" : "good"}
          detail={health.failedLast24h > 0 ? "Svix retries these by itself." : "No failures."}
        />
        <StatCard
          label="Failed, not yet applied"
          value={health.failedTotal}
          tone={health.failedTotal > 0 ? "bad" : "good"}
          detail={
            health.failedTotal > 0 ? (
              <>
                Re-apply with <code className="font-mono">npx convex run webhooks/log:retryFailed</code>
              </>
            ) : (
              "Nothing waiting."
            )
          }
        />
      </dl>
    </Panel>
  );
}
