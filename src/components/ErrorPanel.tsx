import type { ErrorInfo } from "../lib/errors";
import { MessageText } from "./MessageText";

/** An error explained in words, with a way to try again (or to put it away) when one makes sense. */
export function ErrorPanel({
  info,
  onRetry,
  onDismiss,
}: {
  info: ErrorInfo;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm">
      <p className="font-semibold text-red-800">{info.title}</p>
      <p className="mt-0.5 text-red-700">
        <MessageText text={info.message} />
      </p>
      {onRetry ? (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded-lg border border-red-300 bg-white px-3 py-1.5 font-medium text-red-800 hover:bg-red-100"
        >
          Try again
        </button>
      ) : null}
      {onDismiss ? (
        <button
          type="button"
          onClick={onDismiss}
          className="mt-2 rounded-lg border border-red-300 bg-white px-3 py-1.5 font-medium text-red-800 hover:bg-red-100"
        >
          Dismiss
        </button>
      ) : null}
    </div>
  );
}
