import { api } from "../../../../convex/_generated/api";
import { Panel } from "../../../components/Panel";
import { RelativeTime } from "../../../components/RelativeTime";
import { useQuery } from "../../../lib/convex";
import { formatCount, formatDateTime } from "../../../lib/format";
import { DRIFT_STATES, WEBHOOK_URL_PLACEHOLDER } from "../lib/drift";
import { DriftWatch } from "./DriftWatch";
import { InstancePinControl } from "./InstancePinControl";
import { RetryFailedControl } from "./RetryFailedControl";
import { StatCard } from "./StatCard";
import { StatCardsSkeleton } from "./StatCardsSkeleton";
import { StalledWorkNotice } from "./StalledWorkNotice";

/** Failure counts stop at this many on the server (FAILURE_COUNT_CAP). */
const COUNT_CAP = 1000;

function count(value: number): string {
  return value >= COUNT_CAP ? `${formatCount(COUNT_CAP)}+` : formatCount(value);
}

type Verdict = "none" | "attention" | "healthy";

const PIN_SOURCES = {
  env: "Set by CLERK_INSTANCE_ID",
  first_event: "Pinned by the first event",
  secret_key: "CLERK_SECRET_KEY's instance, as Clerk says",
  operator: "Confirmed by an admin",
} as const;

const VERDICT = {
  none: { label: "No events yet", style: "bg-slate-100 text-slate-800 ring-slate-300" },
  attention: { label: "Needs attention", style: "bg-red-100 text-red-800 ring-red-300" },
  healthy: { label: "Healthy", style: "bg-emerald-50 text-emerald-800 ring-emerald-300" },
} as const;

/**
 * When the last webhook arrived, how many failed (in the last 24 h, and still waiting) with a
 * button that retries them, which Clerk instance events must come from, a warning when another
 * instance sends events, scheduled work that stalled (with a button that resumes it), and what the
 * drift watch found (webhooks silent, behind Clerk, or Clerk not answering: each with what to
 * check). Before any event it says so, and what to check: not "Healthy".
 */
export function SyncHealthPanel() {
  const health = useQuery(api.admin.syncHealth);
  if (health === undefined)
    return (
      <Panel title="Sync health">
        <div role="status" aria-live="polite">
          <span className="sr-only">Loading sync health…</span>
          <StatCardsSkeleton />
        </div>
      </Panel>
    );
  const driftQuiet = DRIFT_STATES[health.drift.state].quiet;
  const verdict: Verdict =
    health.lastEventAt === null && driftQuiet
      ? "none"
      : !driftQuiet ||
          health.failedLast24h > 0 ||
          health.failedTotal > 0 ||
          health.foreignTotal > 0 ||
          health.pin.problems.length > 0 ||
          health.stalledWork.count > 0
        ? "attention"
        : "healthy";
  return (
    <Panel
      title="Sync health"
      description="How Clerk's webhooks are landing."
      actions={
        <span className={`rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${VERDICT[verdict].style}`}>
          {VERDICT[verdict].label}
        </span>
      }
    >
      {driftQuiet ? null : <DriftWatch drift={health.drift} />}
      {health.lastEventAt === null && health.drift.state !== "webhooks_silent" ? (
        <div className="mb-3 rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-800 ring-1 ring-slate-300">
          <p className="font-medium">No webhook event has arrived yet. Check:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            <li>
              Clerk&apos;s dashboard → Configure → Webhooks has an endpoint at{" "}
              <code className="font-mono">{WEBHOOK_URL_PLACEHOLDER}</code> (the{" "}
              <code className="font-mono">.convex.site</code> host), subscribed to the events Roster applies.
            </li>
            <li>
              Its signing secret is set:{" "}
              <code className="font-mono">npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…</code>
            </li>
            <li>
              <code className="font-mono">npm run doctor</code> checks both; Clerk&apos;s dashboard shows each
              delivery&apos;s answer.
            </li>
          </ul>
        </div>
      ) : null}
      <StalledWorkNotice stalled={health.stalledWork} />
      {health.foreignTotal > 0 ? (
        <p role="alert" className="mb-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-300">
          {count(health.foreignTotal)} event{health.foreignTotal === 1 ? "" : "s"} came from another Clerk instance
          {health.lastForeign?.instanceId ? (
            <>
              {" "}
              (<code className="font-mono">{health.lastForeign.instanceId}</code>)
            </>
          ) : null}{" "}
          and {health.foreignTotal === 1 ? "was" : "were"} kept, not applied. Is another Clerk instance&apos;s webhook
          pointing at this deployment, or is the pin wrong?
        </p>
      ) : null}
      <InstancePinControl
        pin={{
          instanceId: health.instance?.instanceId ?? null,
          hasSecretKey: health.pin.hasSecretKey,
          keyInstanceId: health.pin.check?.keyInstanceId ?? null,
          foreignInstanceIds: health.pin.foreignInstanceIds,
          problems: health.pin.problems,
        }}
      />
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
              ? health.pin.hasSecretKey
                ? "The instance check pins CLERK_SECRET_KEY's instance."
                : "The first verified event pins it."
              : `${PIN_SOURCES[health.instance.source]}${health.instance.pinnedAt === null ? "" : `, ${formatDateTime(health.instance.pinnedAt)}`}.`
          }
        />
        <StatCard
          label="Last event received"
          value={health.lastEventAt === null ? "Never" : <RelativeTime at={health.lastEventAt} />}
          detail={health.lastEventAt === null ? "See above for what to check." : formatDateTime(health.lastEventAt)}
        />
        <StatCard
          label="Failed, last 24 h"
          value={count(health.failedLast24h)}
          tone={health.failedLast24h > 0 ? "bad" : "neutral"}
          detail={health.failedLast24h > 0 ? "Svix retries these by itself." : "No failures."}
        />
        <StatCard
          label="Failed, not yet applied"
          value={count(health.failedTotal)}
          tone={health.failedTotal > 0 ? "bad" : "neutral"}
          detail={health.failedTotal > 0 ? "Kept until they apply: retry them below." : "Nothing waiting."}
        />
      </dl>
      {driftQuiet ? <DriftWatch drift={health.drift} /> : null}
      <div className="mt-4 border-t border-slate-100 pt-4">
        <RetryFailedControl failedTotal={health.failedTotal} />
      </div>
    </Panel>
  );
}
