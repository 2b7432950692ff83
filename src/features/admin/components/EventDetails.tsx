import { formatDateTime } from "../../../lib/format";
import type { LoggedEvent } from "./EventRow";

/** An event's details: type, ids (with names), outcome, error, attempts and times; never its payload. */
export function EventDetails({ id, event }: { id: string; event: LoggedEvent }) {
  const row = "grid grid-cols-[8rem_minmax(0,1fr)] gap-2 py-1";
  return (
    <dl
      id={id}
      aria-label="Event details"
      className="mt-2 rounded-lg bg-white/80 px-3 py-2 text-xs ring-1 ring-slate-200"
    >
      <div className={row}>
        <dt className="text-slate-600">Type</dt>
        <dd className="font-mono text-slate-900">
          {event.type || "(no type)"} <span className="text-slate-600">({event.family || "no family"})</span>
        </dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Outcome</dt>
        <dd className="text-slate-900">{event.outcome}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Svix message</dt>
        <dd className="font-mono break-all text-slate-900">{event.svixId}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Clerk ids</dt>
        <dd className="text-slate-900">
          {event.subjects.length === 0 ? (
            "None recorded"
          ) : (
            <ul>
              {event.subjects.map((subject) => (
                <li key={subject.clerkId}>
                  <span className="font-mono break-all">{subject.clerkId}</span>
                  {subject.name ? ` — ${subject.name}` : subject.kind === "other" ? "" : " — not in Roster"}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Attempts</dt>
        <dd className="text-slate-900">{event.attempts}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Received</dt>
        <dd className="text-slate-900">{formatDateTime(event.receivedAt)}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">Clerk time</dt>
        <dd className="text-slate-900">{event.timestamp === null ? "Not given" : formatDateTime(event.timestamp)}</dd>
      </div>
      {event.error ? (
        <div className={row}>
          <dt className="text-slate-600">{event.outcome === "foreign" ? "Note" : "Error"}</dt>
          <dd className="font-mono break-words text-red-900">{event.error}</dd>
        </div>
      ) : null}
    </dl>
  );
}
