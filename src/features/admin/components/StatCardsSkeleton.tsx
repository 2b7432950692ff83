/** A placeholder shaped like a row of stat cards (label, figure, detail), while sync health loads. */
export function StatCardsSkeleton({ cards = 4 }: { cards?: number }) {
  return (
    <div aria-hidden="true" className="grid animate-pulse gap-3 sm:grid-cols-2 lg:grid-cols-4">
      {Array.from({ length: cards }, (_, index) => (
        <div key={index} className="rounded-xl border border-slate-200 p-4">
          <div className="h-3 w-1/2 rounded bg-slate-200" />
          <div className="mt-2 h-7 w-1/3 rounded bg-slate-200" />
          <div className="mt-2 h-3 w-3/4 rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
