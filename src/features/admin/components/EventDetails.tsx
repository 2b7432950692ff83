import { formatDateTime, formatDuration } from "../../../lib/format";
import type { LoggedEvent } from "./EventRow";

/**
 * How long after Clerk raised an event Roster received it. Clerk's time comes from Clerk's clock and
 * the received time from this deployment's: when Clerk's is the later one, the clocks disagree
 * (clock skew) — no event arrives before it is raised.
 */
function afterRaised(delayMs: number): string {
  const amount = Math.abs(delayMs) < 1000 ? "Under a second" : formatDuration(Math.abs(delayMs));
  if (delayMs < 0)
    return `${amount} before Clerk's time: Clerk's clock is ahead of this deployment's (clock skew), so the two times are not in order.`;
  return `${amount} after Clerk raised it.`;
}

/** An event's details: type, ids (with names), outcome, error, attempts and times; never its payload. */
export function EventDetails({ id, event }: { id: string; event: LoggedEvent }) {
  const row = "grid grid-cols-[9.5rem_minmax(0,1fr)] gap-2 py-1";
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
        <dt className="text-slate-600">Clerk raised it</dt>
        <dd className="text-slate-900">
          {event.timestamp !== null
            ? formatDateTime(event.timestamp)
            : event.outcome === "failed"
              ? "Not known: Roster could not read the event"
              : "Not given"}
        </dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600">{event.attempts > 1 ? "Roster last received it" : "Roster received it"}</dt>
        <dd className="text-slate-900">
          {formatDateTime(event.receivedAt)}
          {event.timestamp === null ? null : (
            <span className="block text-slate-600">{afterRaised(event.receivedAt - event.timestamp)}</span>
          )}
        </dd>
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
