import { BrandMark } from "./BrandMark";
import { Skeleton, SkeletonText } from "./Skeleton";

/**
 * The signed-in app's frame while its code loads: the header, a page title and two panels, where
 * they will be, so the page does not jump when it arrives. Spoken as `label`.
 */
export function ShellSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="min-h-dvh">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 sm:px-6">
          <BrandMark />
          <div className="hidden gap-2 sm:flex">
            <Skeleton className="h-8 w-16 rounded-lg" />
            <Skeleton className="h-8 w-14 rounded-lg" />
          </div>
          <div className="ml-auto flex items-center gap-3">
            <Skeleton className="h-8 w-40 rounded-lg" />
            <Skeleton className="size-8 rounded-full" />
          </div>
        </div>
      </div>
      <div aria-hidden="true" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="mt-3 h-4 w-72 max-w-full" />
        <div className="mt-6 grid gap-6 lg:grid-cols-[2fr_1fr]">
          <div className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5">
            <Skeleton className="h-4 w-32" />
            <SkeletonText lines={3} />
          </div>
          <div className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5">
            <Skeleton className="h-4 w-24" />
            <SkeletonText lines={2} />
          </div>
        </div>
      </div>
    </div>
  );
}
