/** Roster's name with its mark. */
export function BrandMark() {
  return (
    <span className="flex items-center gap-2 text-lg font-bold tracking-tight text-slate-900">
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <circle cx="12" cy="13" r="4" fill="white" />
        <circle cx="21" cy="13" r="4" fill="white" fillOpacity="0.7" />
        <path
          d="M5 25c1.5-4 4-6 7-6s5.5 2 7 6M14 25c1.5-4 4-6 7-6s5.5 2 7 6"
          stroke="white"
          strokeWidth="2.2"
          fill="none"
          strokeLinecap="round"
        />
      </svg>
      Roster
    </span>
  );
}
