import { useNow } from "../../../hooks/useNow";
import { formatCount, formatDateTime } from "../../../lib/format";
import { MODE_LABELS, readProgress, runState, startedByLabel, type SyncRun } from "../lib/sync";
import { MessageText } from "../../../components/MessageText";
import { RelativeTime } from "../../../components/RelativeTime";
import { SyncStateBadge } from "./SyncStateBadge";

/** An earlier run, in one or two lines: what it did, and why it stopped when it failed. */
export function SyncRunRow({
  run,
  viewerId,
  busy,
  canResumeNow,
  onResume,
}: {
  run: SyncRun;
  viewerId: string;
  busy: boolean;
  canResumeNow: boolean;
  onResume: () => void;
}) {
  const now = useNow();
  const { seen } = readProgress(run);
  const figures = [
    `${formatCount(seen)} read`,
    `${formatCount(run.counts.changed)} changed`,
    ...(run.mode === "reconcile" ? [`${formatCount(run.counts.removed)} removed`] : []),
  ].join(" · ");
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-3">
      <span className="font-medium text-slate-900">{MODE_LABELS[run.mode]}</span>
      <SyncStateBadge state={runState(run, now)} />
      <span className="text-xs text-slate-500">
        <RelativeTime at={run.startedAt} /> by {startedByLabel(run.startedBy, viewerId)}
      </span>
      <span className="text-xs text-slate-600 tabular-nums sm:ml-auto">{figures}</span>
      {canResumeNow ? (
        <button
          type="button"
          onClick={() => {
            if (!busy) onResume();
          }}
          aria-disabled={busy || undefined}
          aria-label={`Resume ${run.mode} started ${formatDateTime(run.startedAt)}`}
          className="rounded-lg border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 aria-disabled:cursor-wait aria-disabled:opacity-60"
        >
          Resume {run.mode}
        </button>
      ) : null}
      {run.status === "failed" && run.error ? (
        <p className="w-full font-mono text-xs break-words text-red-700">
          <MessageText text={run.error} />
        </p>
      ) : null}
    </li>
  );
}
