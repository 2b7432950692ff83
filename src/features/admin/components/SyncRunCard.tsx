import { useEffect, useId, useRef } from "react";
import { useNow } from "../../../hooks/useNow";
import { countOf, formatCount } from "../../../lib/format";
import {
  MODE_LABELS,
  PHASE_LABELS,
  readProgress,
  runState,
  startedByLabel,
  type RunState,
  type SyncRun,
} from "../lib/sync";
import { RelativeTime } from "../../../components/RelativeTime";
import { StatCard } from "./StatCard";
import { SyncPhaseSteps } from "./SyncPhaseSteps";
import { SyncProgressBar } from "./SyncProgressBar";
import { SyncRunNotice } from "./SyncRunNotice";
import { SyncStateBadge } from "./SyncStateBadge";

/** One sentence for screen readers when the run's state or phase changes (not on every page read). */
function summary(run: SyncRun, state: RunState): string {
  const mode = MODE_LABELS[run.mode];
  switch (state) {
    case "running":
      return `${mode} running: ${PHASE_LABELS[run.phase].doing.toLowerCase()}.`;
    case "waiting":
      return `${mode} waiting for Clerk before it continues.`;
    case "awaitingConfirmation":
      return `${mode} needs your confirmation before it removes anything.`;
    default:
      return `${mode} ${state}.`;
  }
}

const primaryButton =
  "rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 aria-disabled:cursor-wait aria-disabled:opacity-60";
const secondaryButton =
  "rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 aria-disabled:cursor-wait aria-disabled:opacity-60";

/**
 * The current (or latest) backfill or reconcile in detail: phase, progress, counts, why it waits
 * or stopped, and Cancel or Resume. Buttons stay focusable while a request is on its way
 * (`aria-disabled`), so the keyboard focus is not lost; Cancel turns into Resume in place.
 */
export function SyncRunCard({
  run,
  viewerId,
  busy,
  canResumeNow,
  focusOnMount = false,
  onCancel,
  onResume,
  onConfirm,
}: {
  run: SyncRun;
  viewerId: string;
  busy: boolean;
  /** Failed, cancelled or stalled, and no other run is going. */
  canResumeNow: boolean;
  /** Move the focus here when the card appears (a run the admin just started). */
  focusOnMount?: boolean;
  onCancel: () => void;
  onResume: () => void;
  /** Lets a reconcile waiting at its cap remove what it found. */
  onConfirm: () => void;
}) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const now = useNow(1000);
  const state = runState(run, now);
  const { counts, totals } = run;
  const progress = readProgress(run);
  const reconcile = run.mode === "reconcile";

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);

  const unlessBusy = (action: () => void) => () => {
    if (!busy) action();
  };
  // Resume where Cancel was: the same button, so the focus stays on it.
  const awaiting = run.status === "awaitingConfirmation";
  const primary = awaiting
    ? { label: "Confirm removals", onClick: onConfirm, className: primaryButton }
    : canResumeNow
      ? { label: `Resume ${run.mode}`, onClick: onResume, className: primaryButton }
      : run.status === "running"
        ? { label: `Cancel ${run.mode}`, onClick: onCancel, className: secondaryButton }
        : null;
  // Stalled: resume now, or stop it. Waiting for a confirmation: confirm, or remove nothing.
  const alsoCancel = (canResumeNow && run.status === "running") || awaiting;

  return (
    <article aria-labelledby={headingId} className="space-y-4 rounded-xl border border-slate-200 p-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <h3 id={headingId} ref={heading} tabIndex={-1} className="rounded font-semibold text-slate-900">
          {MODE_LABELS[run.mode]}
        </h3>
        <SyncStateBadge state={state} />
        <p className="w-full text-xs text-slate-500 sm:ml-auto sm:w-auto">
          Started <RelativeTime at={run.startedAt} /> by {startedByLabel(run.startedBy, viewerId)}
        </p>
      </div>
      <p role="status" className="sr-only">
        {summary(run, state)}
      </p>
      <SyncPhaseSteps run={run} />
      <SyncProgressBar run={run} />
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label="Read from Clerk"
          value={formatCount(progress.seen)}
          detail={[
            countOf(counts.seen.users, "user"),
            countOf(counts.seen.organizations, "organization"),
            ...(counts.seen.roles ? [countOf(counts.seen.roles, "role")] : []),
            countOf(counts.seen.memberships, "membership"),
          ].join(" · ")}
        />
        <StatCard
          label="Changed"
          value={formatCount(counts.changed)}
          detail={[
            `${formatCount(counts.unchanged)}\u00a0unchanged`,
            `${formatCount(counts.stale)}\u00a0stale`,
            `${formatCount(counts.invalid)}\u00a0invalid`,
          ].join(" · ")}
        />
        <StatCard
          label={awaiting ? "Would remove" : "Removed"}
          value={
            !reconcile
              ? "—"
              : awaiting && run.removal
                ? formatCount(run.removal.found.users + run.removal.found.organizations + run.removal.found.memberships)
                : formatCount(counts.removed)
          }
          detail={
            !reconcile
              ? "A backfill never removes rows."
              : counts.checked > 0 || run.status === "completed"
                ? `of ${formatCount(counts.checked)} rows checked`
                : "Checked once everything is read."
          }
        />
        <StatCard
          label="Remaining"
          value={run.remaining === null ? "—" : formatCount(run.remaining)}
          detail={totals === null ? "Not counted yet." : `of ${formatCount(progress.total ?? 0)} Clerk had`}
        />
      </dl>
      <SyncRunNotice run={run} state={state} now={now} />
      {primary ? (
        <div className="flex flex-wrap justify-end gap-2">
          <button
            type="button"
            onClick={unlessBusy(primary.onClick)}
            aria-disabled={busy || undefined}
            className={primary.className}
          >
            {primary.label}
          </button>
          {alsoCancel ? (
            <button
              type="button"
              onClick={unlessBusy(onCancel)}
              aria-disabled={busy || undefined}
              className={secondaryButton}
            >
              {awaiting ? "Cancel: remove nothing" : `Cancel ${run.mode}`}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
