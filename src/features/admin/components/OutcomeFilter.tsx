export const OUTCOMES = ["applied", "duplicate", "stale", "ignored", "foreign", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** "All" or one outcome, as native radio buttons (arrow keys move between them). */
export function OutcomeFilter({
  value,
  onChange,
}: {
  value: Outcome | null;
  onChange: (outcome: Outcome | null) => void;
}) {
  const options: Array<[Outcome | null, string]> = [
    [null, "All"],
    ...OUTCOMES.map((outcome) => [outcome, outcome] as [Outcome, string]),
  ];
  return (
    <fieldset>
      <legend className="sr-only">Show outcome</legend>
      <div className="flex flex-wrap gap-1.5">
        {options.map(([outcome, label]) => (
          <label
            key={label}
            className={`cursor-pointer rounded-full px-3 py-1 text-sm font-medium capitalize ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${
              value === outcome
                ? outcome === "failed"
                  ? "bg-red-600 text-white ring-red-600"
                  : "bg-brand-600 text-white ring-brand-600"
                : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50"
            }`}
          >
            <input
              type="radio"
              name="outcome"
              value={outcome ?? "all"}
              checked={value === outcome}
              onChange={() => onChange(outcome)}
              className="sr-only"
            />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
