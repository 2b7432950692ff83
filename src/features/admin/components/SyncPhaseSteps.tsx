import { PHASES, PHASE_LABELS, type SyncRun } from "../lib/sync";

/** The run's phases in order, the current one marked (where a failed or cancelled run stopped). */
export function SyncPhaseSteps({ run }: { run: SyncRun }) {
  const phases = PHASES[run.mode];
  const current = run.status === "completed" ? phases.length : phases.indexOf(run.phase);
  const stopped = run.status === "failed" || run.status === "cancelled" || run.status === "awaitingConfirmation";
  const hereClasses =
    run.status === "failed"
      ? "bg-red-600 text-white ring-red-600"
      : run.status === "cancelled"
        ? "bg-slate-600 text-white ring-slate-600"
        : run.status === "awaitingConfirmation"
          ? "bg-amber-600 text-white ring-amber-600"
          : "bg-brand-600 text-white ring-brand-600";
  return (
    <ol aria-label="Phases" className="flex flex-wrap items-center gap-1.5 text-xs">
      {phases.map((phase, index) => {
        const done = index < current;
        const here = index === current;
        return (
          <li
            key={phase}
            aria-current={here ? "step" : undefined}
            className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 font-medium ring-1 ring-inset ${
              here
                ? hereClasses
                : done
                  ? "bg-emerald-50 text-emerald-700 ring-emerald-200"
                  : "bg-white text-slate-500 ring-slate-200"
            }`}
          >
            {done ? (
              <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3 fill-current">
                <path d="M6.4 11.2 3.2 8l1.1-1.1 2.1 2.1 5.3-5.3 1.1 1.1z" />
              </svg>
            ) : null}
            {PHASE_LABELS[phase].step}
            <span className="sr-only">
              {done
                ? " (done)"
                : here
                  ? run.status === "awaitingConfirmation"
                    ? " (waiting for your confirmation)"
                    : stopped
                      ? " (stopped here)"
                      : " (now)"
                  : ""}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
