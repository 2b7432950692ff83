import { api } from "../../../../convex/_generated/api";
import { useQuery } from "../../../lib/convex";
import { formatDateTime } from "../../../lib/format";
import { LoadingState } from "../../../components/LoadingState";
import { Panel } from "../../../components/Panel";
import { RelativeTime } from "../../../components/RelativeTime";
import { StatCard } from "./StatCard";

/**
 * When the last webhook arrived, how many failed (in the last 24 h, and still waiting), which
 * Clerk instance events must come from, and a warning when another instance sends events.
 */
export function SyncHealthPanel() {
  const health = useQuery(api.admin.syncHealth);
  if (health === undefined)
    return (
      <Panel title="Sync health">
        <LoadingState label="Loading sync health…" rows={1} />
      </Panel>
    );
  const healthy = health.failedLast24h === 0 && health.failedTotal === 0 && health.foreignTotal === 0;
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
      {health.foreignTotal > 0 ? (
        <p role="alert" className="mb-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-300">
          {health.foreignTotal} event{health.foreignTotal === 1 ? "" : "s"} came from another Clerk instance
          {health.lastForeign?.instanceId ? (
            <>
              {" "}
              (<code className="font-mono">{health.lastForeign.instanceId}</code>)
            </>
          ) : null}{" "}
          and {health.foreignTotal === 1 ? "was" : "were"} not applied. Is another Clerk instance&apos;s webhook
          pointing at this deployment?
        </p>
      ) : null}
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard
          label="Clerk instance"
          value={
            health.instance === null ? (
              "Not pinned"
            ) : (
              <code className="font-mono text-sm break-all">{health.instance.instanceId}</code>
            )
          }
          detail={
            health.instance === null
              ? "The first verified event pins it."
              : health.instance.source === "env"
                ? "Set by CLERK_INSTANCE_ID."
                : `Pinned by the first event${health.instance.pinnedAt === null ? "" : `, ${formatDateTime(health.instance.pinnedAt)}`}.`
          }
        />
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
