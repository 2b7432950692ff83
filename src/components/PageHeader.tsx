import type { ReactNode } from "react";

/** A view's title (the page's one h1), with a line saying what the page is for. */
export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
        <p className="mt-1 text-slate-500">{subtitle}</p>
      </div>
      {children}
    </div>
  );
}
