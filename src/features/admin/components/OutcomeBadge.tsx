const STYLES: Record<string, string> = {
  applied: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  duplicate: "bg-slate-100 text-slate-600 ring-slate-200",
  stale: "bg-amber-50 text-amber-700 ring-amber-200",
  ignored: "bg-slate-50 text-slate-600 ring-slate-200",
  foreign: "bg-orange-100 text-orange-800 ring-orange-300",
  failed: "bg-red-100 text-red-800 ring-red-300",
};

/** A webhook event's outcome as a coloured pill (failed ones loudest). */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${
        STYLES[outcome] ?? STYLES.ignored
      }`}
    >
      {outcome}
    </span>
  );
}
