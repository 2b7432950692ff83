import { Skeleton, SkeletonText } from "./Skeleton";

/**
 * What is loading, drawn as its skeleton: `list` (a person or event per row: avatar and two lines),
 * `table` (rows of columns), `stats` (a row of figures), `card` (a titled block of text), `profile`
 * (a large avatar, a name and fields).
 */
export type LoadingShape = "list" | "table" | "stats" | "card" | "profile";

/** A loading placeholder with a spoken label, shaped like what comes (see LoadingShape). */
export function LoadingState({
  label,
  rows = 3,
  shape = "list",
}: {
  label: string;
  rows?: number;
  shape?: LoadingShape;
}) {
  return (
    <div role="status" aria-live="polite" data-shape={shape}>
      <span className="sr-only">{label}</span>
      <LoadingShapeOf shape={shape} rows={rows} />
    </div>
  );
}

function LoadingShapeOf({ shape, rows }: { shape: LoadingShape; rows: number }) {
  const each = Array.from({ length: rows }, (_, index) => index);
  switch (shape) {
    case "table":
      return (
        <div aria-hidden="true" className="divide-y divide-slate-100">
          {each.map((index) => (
            <div key={index} className="grid grid-cols-[2fr_1fr_1fr] items-center gap-4 py-3">
              <Skeleton className="h-3 w-4/5" />
              <Skeleton className="h-3 w-3/5" />
              <Skeleton className="h-5 w-16 justify-self-end rounded-full" />
            </div>
          ))}
        </div>
      );
    case "stats":
      return (
        <div aria-hidden="true" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {each.map((index) => (
            <div key={index} className="space-y-2 rounded-xl border border-slate-200 p-4">
              <Skeleton className="h-2.5 w-1/2" />
              <Skeleton className="h-6 w-1/3" />
            </div>
          ))}
        </div>
      );
    case "card":
      return (
        <div aria-hidden="true" className="space-y-4">
          {each.map((index) => (
            <div key={index} className="space-y-3">
              <Skeleton className="h-4 w-1/3" />
              <SkeletonText lines={2} />
            </div>
          ))}
        </div>
      );
    case "profile":
      return (
        <div aria-hidden="true">
          <div className="flex items-center gap-4">
            <Skeleton className="size-16 shrink-0 rounded-full" />
            <div className="flex-1 space-y-2">
              <Skeleton className="h-5 w-1/3" />
              <Skeleton className="h-3 w-1/4" />
            </div>
          </div>
          <div className="mt-5 grid gap-4 border-t border-slate-100 pt-4 sm:grid-cols-3">
            {Array.from({ length: Math.max(rows, 3) }, (_, index) => (
              <div key={index} className="space-y-2">
                <Skeleton className="h-2.5 w-1/2" />
                <Skeleton className="h-3 w-3/4" />
              </div>
            ))}
          </div>
        </div>
      );
    case "list":
      return (
        <div aria-hidden="true" className="space-y-3">
          {each.map((index) => (
            <div key={index} className="flex items-center gap-3">
              <Skeleton className="size-9 shrink-0 rounded-full" />
              <div className="flex-1 space-y-2">
                <Skeleton className="h-3 w-2/5" />
                <Skeleton className="h-3 w-3/5 bg-slate-100" />
              </div>
            </div>
          ))}
        </div>
      );
  }
}
