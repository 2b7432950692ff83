import { RelativeTime } from "../../../components/RelativeTime";
import { formatDateTime } from "../../../lib/format";
import {
  COULD_NOT_CHECK_CHECKS,
  DRIFT_STATES,
  driftFindings,
  lastWebhookSaid,
  silentChecks,
  type DriftCheckItem,
  type DriftStatus,
} from "../lib/drift";

function Checks({ items }: { items: DriftCheckItem[] }) {
  return (
    <ul className="mt-1 list-disc space-y-1 pl-5">
      {items.map(({ check, code }) => (
        <li key={check}>
          {check}
          {code === undefined ? null : (
            <>
              {" "}
              <code className="font-mono break-words">{code}</code>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Findings({ drift }: { drift: DriftStatus }) {
  return (
    <ul className="mt-1 list-disc space-y-0.5 pl-5">
      {driftFindings(drift, formatDateTime).map((finding) => (
        <li key={finding}>{finding}</li>
      ))}
      <li>{lastWebhookSaid(drift, formatDateTime)}</li>
    </ul>
  );
}

const BOX = {
  webhooks_silent: "bg-red-50 text-red-950 ring-red-300",
  behind: "bg-amber-50 text-amber-950 ring-amber-300",
  could_not_check: "bg-amber-50 text-amber-950 ring-amber-300",
} as const;

/**
 * What the drift watch (the hourly comparison with Clerk) last found, in plain words. Off, not
 * checked yet and in step are one quiet line; "webhooks silent" (Clerk changed and no webhook
 * arrived) is an alert with what to check (the route, the signing secret, the endpoint's URL);
 * "behind" and "could not check" say why and what to do.
 */
export function DriftWatch({ drift }: { drift: DriftStatus }) {
  const { label } = DRIFT_STATES[drift.state];
  const checked =
    drift.checkedAt === null ? null : (
      <>
        {" "}
        Checked <RelativeTime at={drift.checkedAt} />.
      </>
    );
  switch (drift.state) {
    case "off":
    case "unchecked":
    case "in_step":
      return (
        <section aria-label="Drift watch" className="mt-4 text-sm text-slate-700">
          <span className="font-medium text-slate-900">Drift watch: {label}.</span>{" "}
          {drift.state === "off"
            ? "With CLERK_SECRET_KEY set, Roster compares itself with Clerk every hour and notices webhooks that stop arriving."
            : drift.state === "unchecked"
              ? "It compares Roster with Clerk every hour; the first check runs within the hour."
              : "What Clerk has, this deployment has."}
          {checked}
        </section>
      );
    case "webhooks_silent":
      return (
        <section
          aria-label="Drift watch"
          role="alert"
          className={`mb-3 rounded-lg px-3 py-2 text-sm ring-1 ${BOX.webhooks_silent}`}
        >
          <p className="font-semibold">
            Drift watch: {label}. Clerk changed, and no webhook has arrived since.{checked}
          </p>
          <Findings drift={drift} />
          <p className="mt-2 font-medium">Check:</p>
          <Checks items={silentChecks(null)} />
          <p className="mt-2">
            Once events arrive again, run a reconcile (Backfill and reconcile) to bring in what was missed.
          </p>
        </section>
      );
    case "behind":
      return (
        <section aria-label="Drift watch" className={`mb-3 rounded-lg px-3 py-2 text-sm ring-1 ${BOX.behind}`}>
          <p className="font-semibold">
            Drift watch: {label}. Webhooks arrive, but some of Clerk&apos;s changes are missing here.{checked}
          </p>
          <Findings drift={drift} />
          <p className="mt-2">Retry the failed events below, or run a reconcile (Backfill and reconcile).</p>
        </section>
      );
    case "could_not_check":
      return (
        <section aria-label="Drift watch" className={`mb-3 rounded-lg px-3 py-2 text-sm ring-1 ${BOX.could_not_check}`}>
          <p className="font-semibold">
            Drift watch: {label}. Clerk did not answer, so nothing is known about missed webhooks.{checked}
          </p>
          <p className="mt-1 break-words">{drift.message}</p>
          <p className="mt-2 font-medium">Check:</p>
          <Checks items={COULD_NOT_CHECK_CHECKS} />
        </section>
      );
  }
}
