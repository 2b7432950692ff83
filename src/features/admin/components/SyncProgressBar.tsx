import { formatCount } from "../../../lib/format";
import { PHASE_LABELS, readProgress, type SyncRun } from "../lib/sync";

/** What the bar stands for: the phase while running, or how the run ended. */
function caption(run: SyncRun): string {
  const doing = PHASE_LABELS[run.phase].doing;
  const lower = doing.charAt(0).toLowerCase() + doing.slice(1);
  if (run.status === "completed") return "Everything read";
  if (run.status === "failed") return `Stopped while ${lower}`;
  if (run.status === "cancelled") return `Cancelled while ${lower}`;
  return run.phase.startsWith("sweep") ? `Everything read; ${lower}` : doing;
}

/** How far the run has read through what Clerk had when it counted. */
export function SyncProgressBar({ run }: { run: SyncRun }) {
  const { seen, total } = readProgress(run);
  const done = run.status === "completed" || (total !== null && run.remaining === 0);
  const percent = done ? 100 : total === null || total === 0 ? null : Math.min(100, (seen / total) * 100);
  const text =
    total === null
      ? `${formatCount(seen)} read; counting what Clerk has`
      : `${formatCount(Math.min(seen, total))} of ${formatCount(total)} read`;
  return (
    <div className="space-y-1">
      <div className="flex items-baseline justify-between gap-3 text-xs text-slate-500">
        <span>{caption(run)}</span>
        <span className="shrink-0 tabular-nums">{percent === null ? "" : `${Math.floor(percent)}%`}</span>
      </div>
      <div
        role="progressbar"
        aria-label="Read from Clerk"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent === null ? undefined : Math.floor(percent)}
        aria-valuetext={text}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full ${
            run.status === "failed" ? "bg-red-500" : done ? "bg-emerald-500" : "bg-brand-500"
          } ${percent === null ? (run.status === "running" ? "w-1/4 animate-pulse" : "w-0") : ""}`}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
