import type { RunState } from "../lib/sync";

const STYLES: Record<RunState, { label: string; classes: string; dot?: string }> = {
  running: {
    label: "Running",
    classes: "bg-brand-50 text-brand-700 ring-brand-100",
    dot: "animate-pulse bg-brand-500",
  },
  waiting: {
    label: "Waiting for Clerk",
    classes: "bg-amber-50 text-amber-800 ring-amber-200",
    dot: "animate-pulse bg-amber-500",
  },
  stalled: { label: "Stalled", classes: "bg-amber-100 text-amber-900 ring-amber-300", dot: "bg-amber-600" },
  completed: { label: "Completed", classes: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  failed: { label: "Failed", classes: "bg-red-100 text-red-800 ring-red-300" },
  cancelled: { label: "Cancelled", classes: "bg-slate-100 text-slate-600 ring-slate-200" },
  awaitingConfirmation: {
    label: "Needs confirmation",
    classes: "bg-amber-100 text-amber-900 ring-amber-300",
    dot: "bg-amber-600",
  },
};

/** A run's state as a pill: moving ones pulse, failed ones are loudest. */
export function SyncStateBadge({ state }: { state: RunState }) {
  const style = STYLES[state];
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${style.classes}`}
    >
      {style.dot ? <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} /> : null}
      {style.label}
    </span>
  );
}
