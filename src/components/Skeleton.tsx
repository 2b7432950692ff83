/** One grey placeholder block, sized by `className` (e.g. "h-3 w-2/5"); hidden from assistive tech. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden="true" className={`rounded bg-slate-200 motion-safe:animate-pulse ${className}`} />;
}

/** Lines of text to come: the last one shorter, as a paragraph ends. */
export function SkeletonText({ lines = 2 }: { lines?: number }) {
  return (
    <div aria-hidden="true" className="space-y-2">
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton key={index} className={`h-3 ${index === lines - 1 && lines > 1 ? "w-3/5" : "w-full"}`} />
      ))}
    </div>
  );
}
