/** A full-page "loading" with a spoken label; used only while Clerk or the first route loads. */
export function LoadingScreen({ label }: { label: string }) {
  return (
    <div role="status" className="grid min-h-dvh place-items-center">
      <div className="flex flex-col items-center gap-3 text-slate-500">
        <span
          aria-hidden="true"
          className="size-8 animate-spin rounded-full border-[3px] border-brand-100 border-t-brand-600"
        />
        <span className="text-sm font-medium">{label}</span>
      </div>
    </div>
  );
}
