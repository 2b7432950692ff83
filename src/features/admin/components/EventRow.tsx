import { formatDateTime } from "../../../lib/format";
import { OutcomeBadge } from "./OutcomeBadge";
import { RelativeTime } from "../../../components/RelativeTime";

export type LoggedEvent = {
  id: string;
  svixId: string;
  type: string;
  outcome: string;
  clerkIds: string[];
  timestamp: number | null;
  receivedAt: number;
  attempts: number;
  error: string | null;
};

/** One webhook delivery: type, outcome, when, the ids it touched; failed ones in red with the error. */
export function EventRow({ event }: { event: LoggedEvent }) {
  const failed = event.outcome === "failed";
  return (
    <li
      className={`border-l-4 px-4 py-3 ${failed ? "border-red-500 bg-red-50" : "border-transparent"}`}
      aria-label={`${event.type || "unknown event"}, ${event.outcome}`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-mono text-sm font-semibold text-slate-900">{event.type || "(no type)"}</span>
        <OutcomeBadge outcome={event.outcome} />
        {event.attempts > 1 ? <span className="text-xs text-slate-500">{event.attempts} attempts</span> : null}
        <span className="ml-auto text-xs text-slate-500">
          <RelativeTime at={event.receivedAt} />
        </span>
      </div>
      <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
        <span className="font-mono" title="Svix message id">
          {event.svixId}
        </span>
        {event.clerkIds.map((id) => (
          <span key={id} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700">
            {id}
          </span>
        ))}
        {event.timestamp === null ? null : (
          <span className="ml-auto">Clerk time {formatDateTime(event.timestamp)}</span>
        )}
      </div>
      {event.error ? (
        <p className="mt-2 rounded bg-white/70 px-2 py-1 font-mono text-xs break-words text-red-800">{event.error}</p>
      ) : null}
    </li>
  );
}
