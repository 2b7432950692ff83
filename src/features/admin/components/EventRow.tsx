import { useId, useState } from "react";
import type { FunctionReturnType } from "convex/server";
import { api } from "../../../../convex/_generated/api";
import { RelativeTime } from "../../../components/RelativeTime";
import { useMutation } from "../../../lib/convex";
import { describeError } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { EventDetails } from "./EventDetails";
import { OutcomeBadge } from "./OutcomeBadge";

export type LoggedEvent = FunctionReturnType<typeof api.admin.eventLog>["page"][number];

/** Who or what an event is about, in words: the names Roster has, else the ids. */
function about(event: LoggedEvent): string {
  const named = event.subjects.filter((subject) => subject.kind !== "other");
  if (named.length === 0) return event.subjects[0]?.clerkId ?? "";
  return named.map((subject) => subject.name ?? subject.clerkId).join(" · ");
}

/**
 * One webhook delivery: type, outcome, who and what it was about (names; ids on hover and in the
 * details), when it arrived. Expands into its details (never its payload); a failed one can be
 * retried on its own.
 */
export function EventRow({ event }: { event: LoggedEvent }) {
  const failed = event.outcome === "failed";
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const retryEvent = useMutation(api.admin.retryEvent);
  // The attempts count when Retry was pressed: the row is retrying until it moves on.
  const [retriedAt, setRetriedAt] = useState<number | null>(null);
  const [retryError, setRetryError] = useState<string | null>(null);
  const retrying = retriedAt !== null && failed && event.attempts === retriedAt;

  async function retry() {
    setRetryError(null);
    setRetriedAt(event.attempts);
    try {
      await retryEvent({ eventId: event.id });
    } catch (thrown) {
      setRetriedAt(null);
      setRetryError(describeError(thrown).message);
    }
  }

  const subject = about(event);
  return (
    <li
      className={`border-l-4 px-4 py-3 ${failed ? "border-red-600 bg-red-50" : "border-transparent"}`}
      aria-label={`${event.type || "unknown event"}, ${event.outcome}`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-mono text-sm font-semibold text-slate-900">{event.type || "(no type)"}</span>
        <OutcomeBadge outcome={event.outcome} />
        {subject ? (
          <span
            className="min-w-0 truncate text-sm text-slate-700"
            title={event.subjects.map((s) => s.clerkId).join(", ")}
          >
            {subject}
          </span>
        ) : null}
        <span className="ml-auto text-xs text-slate-600" title={formatDateTime(event.receivedAt)}>
          <RelativeTime at={event.receivedAt} />
        </span>
      </div>
      {failed && event.error ? (
        <p className="mt-1 line-clamp-2 text-xs break-words text-red-900">{event.error}</p>
      ) : null}
      <div className="mt-1.5 flex flex-wrap items-center gap-2">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen((was) => !was)}
          className="rounded px-1 text-xs font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600"
        >
          {open ? "Hide details" : "Details"}
        </button>
        {failed ? (
          <button
            type="button"
            onClick={() => void retry()}
            disabled={retrying}
            className="rounded-md border border-red-300 bg-white px-2 py-0.5 text-xs font-semibold text-red-800 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-red-700 disabled:cursor-wait disabled:opacity-70"
          >
            {retrying ? "Retrying…" : "Retry"}
          </button>
        ) : null}
        {retryError ? (
          <span role="alert" className="text-xs text-red-800">
            {retryError}
          </span>
        ) : null}
      </div>
      {open ? <EventDetails id={detailsId} event={event} /> : null}
    </li>
  );
}
