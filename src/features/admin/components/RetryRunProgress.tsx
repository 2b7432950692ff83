import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";
import { formatCount } from "../../../lib/format";

export type RetryRun = NonNullable<FunctionReturnType<typeof api.admin.retryRun>>;

/** A running retry: how many of the failed events it has been through, as a bar and in words. */
export function RetryRunProgress({ run }: { run: RetryRun }) {
  const done = run.retried + run.skipped;
  const total = Math.max(run.total, done);
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium text-slate-800">
        Retrying: {formatCount(done)} of {formatCount(total)}
        {run.totalCapped ? "+" : ""} done · {formatCount(run.applied)} applied · {formatCount(run.stillFailing)} still
        failing{run.foreign > 0 ? ` · ${formatCount(run.foreign)} from another Clerk instance` : ""}
      </p>
      <div
        role="progressbar"
        aria-label="Retry progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
