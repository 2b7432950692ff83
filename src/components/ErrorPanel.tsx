import type { ErrorInfo } from "../lib/errors";

/** An error explained in words, with a way to try again when one makes sense. */
export function ErrorPanel({ info, onRetry }: { info: ErrorInfo; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm">
      <p className="font-semibold text-red-800">{info.title}</p>
      <p className="mt-0.5 text-red-700">{info.message}</p>
      {onRetry ? (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded-lg border border-red-300 bg-white px-3 py-1.5 font-medium text-red-800 hover:bg-red-100"
        >
          Try again
        </button>
      ) : null}
    </div>
  );
}
