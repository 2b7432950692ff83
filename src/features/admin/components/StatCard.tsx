import type { ReactNode } from "react";

/**
 * One figure with its label; `tone` colours it when it needs attention. Label and detail are
 * slate-600/700 so they keep WCAG AA contrast (4.5:1) on the tinted cards too.
 */
export function StatCard({
  label,
  value,
  detail,
  tone = "neutral",
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: "neutral" | "good" | "bad";
}) {
  const tones = {
    neutral: "border-slate-200 bg-white",
    good: "border-emerald-200 bg-emerald-50",
    bad: "border-red-300 bg-red-50",
  } as const;
  return (
    <div className={`rounded-xl border p-4 ${tones[tone]}`}>
      <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className={`mt-1 text-2xl font-bold ${tone === "bad" ? "text-red-700" : "text-slate-900"}`}>{value}</dd>
      {detail ? (
        <dd className={`mt-0.5 text-xs ${tone === "bad" ? "text-red-900" : "text-slate-600"}`}>{detail}</dd>
      ) : null}
    </div>
  );
}
