import { formatDuration, formatMoment } from "../../../lib/format";
import { PHASE_LABELS, type RunState, type SyncRun } from "../lib/sync";
import { MessageText } from "../../../components/MessageText";
import { RelativeTime } from "../../../components/RelativeTime";
import { SyncRemovalSummary } from "./SyncRemovalSummary";

/** A rate-limit error without its "retrying in N s" (the notice states the wait once, counting down). */
export function withoutWaitTime(error: string): string {
  return error.replace(/[;,]?\s*retrying in \d+\s*s\.?\s*$/i, ".");
}

/** Why the run is where it is, and what happens next. */
export function SyncRunNotice({ run, state, now }: { run: SyncRun; state: RunState; now: number }) {
  const box = "rounded-lg border px-3 py-2 text-sm";
  switch (state) {
    case "waiting":
      return (
        <div className={`${box} border-amber-200 bg-amber-50 text-amber-900`}>
          <p className="font-medium">
            Waiting for Clerk: continues in {formatDuration((run.waitingUntil ?? now) - now)}
            <span className="font-normal text-amber-800"> (at {formatMoment(run.waitingUntil ?? now, now)})</span>
          </p>
          {run.error ? (
            <p className="mt-0.5 text-amber-900">
              {/* The wait is stated once, above: not again in the error's own words. */}
              <MessageText text={withoutWaitTime(run.error)} />
            </p>
          ) : null}
        </div>
      );
    case "stalled":
      return (
        <div className={`${box} border-amber-300 bg-amber-50 text-amber-900`}>
          <p className="font-medium">No step of this run is going.</p>
          <p className="mt-0.5 text-amber-800">
            Its last step crashed or was lost in a redeploy. The watchdog resumes it within 5 minutes, or resume it now:
            it continues from where it stopped.
          </p>
        </div>
      );
    case "failed":
      return (
        <div className={`${box} border-red-200 bg-red-50 text-red-800`}>
          <p className="font-medium">
            Stopped <RelativeTime at={run.finishedAt ?? run.updatedAt} /> in the{" "}
            {PHASE_LABELS[run.phase].step.toLowerCase()} phase.
          </p>
          {run.error ? (
            <p className="mt-1 font-mono text-xs break-words">
              <MessageText text={run.error} />
            </p>
          ) : null}
          <p className="mt-1 text-red-700">Fix the cause, then resume: the run continues from where it stopped.</p>
        </div>
      );
    case "awaitingConfirmation":
      return run.removal ? <SyncRemovalSummary removal={run.removal} /> : null;
    case "cancelled":
      if (run.removal?.confirmation === "cancelled")
        return (
          <p className={`${box} border-slate-200 bg-slate-50 text-slate-600`}>
            Its removals were cancelled <RelativeTime at={run.finishedAt ?? run.updatedAt} />: nothing was removed.
            Start a new reconcile to check again.
          </p>
        );
      return (
        <p className={`${box} border-slate-200 bg-slate-50 text-slate-600`}>
          Cancelled <RelativeTime at={run.finishedAt ?? run.updatedAt} />. Resume continues from where it stopped.
        </p>
      );
    case "completed":
      return (
        <p className={`${box} border-emerald-200 bg-emerald-50 text-emerald-800`}>
          Completed <RelativeTime at={run.finishedAt ?? run.updatedAt} />
          {run.finishedAt === null ? "" : `, in ${formatDuration(run.finishedAt - run.startedAt)}`}.
        </p>
      );
    case "running":
      return run.error ? (
        <p className={`${box} border-amber-200 bg-amber-50 text-amber-900`}>
          Retrying after: <MessageText text={run.error} />
        </p>
      ) : null;
  }
}
