/** Placeholders shaped like event-log rows (type, outcome pill, who, time), while a page loads. */
export function EventRowSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <ul aria-hidden="true" className="animate-pulse divide-y divide-slate-100">
      {Array.from({ length: rows }, (_, index) => (
        <li key={index} className="px-5 py-3">
          <div className="flex items-center gap-3">
            <div className="h-4 w-40 rounded bg-slate-200" />
            <div className="h-4 w-16 rounded-full bg-slate-200" />
            <div className="ml-auto h-3 w-20 rounded bg-slate-100" />
          </div>
          <div className="mt-2 h-3 w-1/3 rounded bg-slate-100" />
        </li>
      ))}
    </ul>
  );
}
