import type { ReactNode } from "react";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { pageTitle } from "../lib/pageTitle";

/** A full-page explanation of what is wrong and what to do, instead of a spinner that never ends. */
export function ProblemScreen({
  title,
  problems,
  children,
  actions,
}: {
  title: string;
  problems: string[];
  children?: ReactNode;
  /** Buttons (Retry, Reload) under the explanation. */
  actions?: ReactNode;
}) {
  useDocumentTitle(pageTitle(title));
  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div
        role="alert"
        className="w-full max-w-xl rounded-2xl border border-red-200 bg-white p-6 shadow-lg shadow-red-100/60 sm:p-8"
      >
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="grid size-10 place-items-center rounded-full bg-red-100 text-lg font-bold text-red-700"
          >
            !
          </span>
          <h1 className="text-xl font-bold text-slate-900">{title}</h1>
        </div>
        <ul className="mt-5 space-y-3">
          {problems.map((problem) => (
            <li key={problem} className="rounded-lg bg-red-50 px-4 py-3 text-sm leading-relaxed text-red-900">
              {problem}
            </li>
          ))}
        </ul>
        {children ? <div className="mt-5 text-sm leading-relaxed text-slate-600">{children}</div> : null}
        {actions ? <div className="mt-5 flex flex-wrap gap-3">{actions}</div> : null}
      </div>
    </main>
  );
}
