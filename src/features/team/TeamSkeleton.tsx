/** The team page's shape while it loads: the summary card, the members list and the activity column. */
export function TeamSkeleton() {
  return (
    <div role="status" aria-label="Loading the team…" className="space-y-6">
      <div className="flex items-center gap-4 rounded-2xl border border-slate-200 bg-white p-5">
        <span className="size-14 animate-pulse rounded-full bg-slate-200" />
        <span className="grid flex-1 gap-2">
          <span className="h-5 w-48 animate-pulse rounded bg-slate-200" />
          <span className="h-4 w-32 animate-pulse rounded bg-slate-100" />
        </span>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <ul aria-hidden="true" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5 lg:col-span-2">
          {[0, 1, 2, 3].map((row) => (
            <li key={row} className="flex items-center gap-3">
              <span className="size-9 animate-pulse rounded-full bg-slate-200" />
              <span className="grid flex-1 gap-1.5">
                <span className="h-4 w-40 animate-pulse rounded bg-slate-200" />
                <span className="h-3 w-56 animate-pulse rounded bg-slate-100" />
              </span>
              <span className="h-6 w-16 animate-pulse rounded-full bg-slate-100" />
            </li>
          ))}
        </ul>
        <div aria-hidden="true" className="h-48 animate-pulse rounded-2xl border border-slate-200 bg-white" />
      </div>
    </div>
  );
}
