import { useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { RelativeTime } from "../../../components/RelativeTime";
import { useMutation } from "../../../lib/convex";
import { describeError, type ErrorInfo } from "../../../lib/errors";
import { countOf } from "../../../lib/format";

/** Counts of stalled work stop at this many on the server (FAILURE_COUNT_CAP). */
const COUNT_CAP = 1000;

/**
 * Scheduled sync work (a deleted user's or team's rows, a renamed user's memberships, a fetch from
 * Clerk) that failed every try, with the oldest one's error and a "Resume" button that tries it all
 * again (`admin.resumeWork`). Nothing when no work is stalled.
 */
export function StalledWorkNotice({
  stalled,
}: {
  stalled: { count: number; firstError: string | null; since: number | null };
}) {
  const resume = useMutation(api.admin.resumeWork);
  const [resuming, setResuming] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (stalled.count === 0) return null;

  async function onResume() {
    setResuming(true);
    setError(null);
    try {
      await resume({});
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setResuming(false);
    }
  }

  return (
    <div role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-300">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p>
          {stalled.count >= COUNT_CAP
            ? `${COUNT_CAP}+ scheduled sync tasks`
            : countOf(stalled.count, "scheduled sync task")}{" "}
          stopped after failing every try
          {stalled.since === null ? null : (
            <>
              {" "}
              (the first <RelativeTime at={stalled.since} />)
            </>
          )}
          . Fix what the error names, then resume.
        </p>
        <button
          type="button"
          onClick={() => void onResume()}
          disabled={resuming}
          className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700"
        >
          {resuming ? "Resuming…" : "Resume"}
        </button>
      </div>
      {stalled.firstError === null ? null : (
        <p className="mt-1 font-mono text-xs break-all text-red-800">{stalled.firstError}</p>
      )}
      {error ? <ErrorPanel info={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
