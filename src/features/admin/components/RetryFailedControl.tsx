import { useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { RelativeTime } from "../../../components/RelativeTime";
import { useMutation, useQuery } from "../../../lib/convex";
import { describeError, type ErrorInfo } from "../../../lib/errors";
import { countOf, formatCount } from "../../../lib/format";
import { RetryRunProgress } from "./RetryRunProgress";

/**
 * "Retry failed events": starts re-applying every failed event (`admin.retryFailed`, in scheduled
 * batches) and shows the newest retry's progress live, to the end.
 */
export function RetryFailedControl({ failedTotal }: { failedTotal: number }) {
  const run = useQuery(api.admin.retryRun);
  const start = useMutation(api.admin.retryFailed);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const running = run?.status === "running";

  async function retry() {
    setStarting(true);
    setError(null);
    try {
      await start({});
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setStarting(false);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => void retry()}
          disabled={running || starting || failedTotal === 0}
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
        >
          {running || starting ? "Retrying…" : "Retry failed events"}
        </button>
        <p className="text-sm text-slate-600">
          {failedTotal === 0
            ? "No failed events to retry."
            : `Re-applies the ${countOf(failedTotal, "failed event")} from their kept payloads, oldest first.`}
        </p>
      </div>
      <div aria-live="polite">
        {run === undefined || run === null ? null : run.status === "running" ? (
          <RetryRunProgress run={run} />
        ) : run.status === "completed" ? (
          <p className="text-sm text-slate-700">
            {run.total === 0 ? (
              "The last retry found no failed events."
            ) : (
              <>
                Last retry, <RelativeTime at={run.finishedAt ?? run.updatedAt} />
                {`: ${countOf(run.retried, "event")} retried, ${formatCount(run.applied)} applied, ${formatCount(run.stillFailing)} still failing${run.foreign > 0 ? `, ${formatCount(run.foreign)} from another Clerk instance (kept as foreign)` : ""}${run.skipped > 0 ? `, ${formatCount(run.skipped)} without a kept payload` : ""}.`}
              </>
            )}
          </p>
        ) : (
          <p className="text-sm text-red-800">
            The last retry stopped after {countOf(run.retried, "event")}: {run.error ?? "unknown error"}
          </p>
        )}
      </div>
      {error ? <ErrorPanel info={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
