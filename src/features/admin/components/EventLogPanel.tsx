import { useSearchParams } from "react-router";
import { api } from "../../../../convex/_generated/api";
import { EmptyState } from "../../../components/EmptyState";
import { Panel } from "../../../components/Panel";
import { useGaplessPaginatedQuery } from "../../../lib/convex";
import { EventRow } from "./EventRow";
import { EventRowSkeleton } from "./EventRowSkeleton";
import { EVENT_FAMILIES, FamilyFilter, type EventFamily } from "./FamilyFilter";
import { OUTCOMES, OutcomeFilter, type Outcome } from "./OutcomeFilter";

export const EVENTS_PAGE_SIZE = 25;

function outcomeOf(value: string | null): Outcome | null {
  return OUTCOMES.find((outcome) => outcome === value) ?? null;
}
function familyOf(value: string | null): EventFamily | null {
  return EVENT_FAMILIES.find((family) => family === value) ?? null;
}

/**
 * The webhook event log, newest first and live, a page at a time ("Load more"), filtered by
 * outcome and event family (kept in `?outcome=` and `?family=`). The log pages with the component's
 * explicit cursors: loaded pages keep their ends (useGaplessPaginatedQuery), so an event arriving
 * pushes no row out of view.
 */
export function EventLogPanel() {
  const [searchParams, setSearchParams] = useSearchParams();
  const outcome = outcomeOf(searchParams.get("outcome"));
  const family = familyOf(searchParams.get("family"));
  const { results, status, loadMore } = useGaplessPaginatedQuery(
    api.admin.eventLog,
    { ...(outcome === null ? {} : { outcome }), ...(family === null ? {} : { family }) },
    { initialNumItems: EVENTS_PAGE_SIZE },
  );

  function choose(key: "outcome" | "family", next: string | null) {
    setSearchParams(
      (params) => {
        if (next === null) params.delete(key);
        else params.set(key, next);
        return params;
      },
      { replace: true },
    );
  }

  const filtered = outcome !== null || family !== null;
  return (
    <Panel title="Event log" description="Newest first. Failed events are kept until they apply.">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <OutcomeFilter value={outcome} onChange={(next) => choose("outcome", next)} />
        <FamilyFilter value={family} onChange={(next) => choose("family", next)} />
      </div>
      <div className="-mx-5 mt-4 border-t border-slate-100">
        {status === "LoadingFirstPage" ? (
          <div role="status" aria-live="polite">
            <span className="sr-only">Loading the event log…</span>
            <EventRowSkeleton />
          </div>
        ) : results.length === 0 ? (
          <div className="px-5 pt-4">
            <EmptyState
              title={
                filtered
                  ? `No ${outcome ?? ""}${outcome !== null && family !== null ? " " : ""}${family ?? ""} events`
                  : "No webhook events yet"
              }
            >
              {filtered
                ? "Nothing in the log matches this filter."
                : "Events appear here the moment Clerk delivers them to Roster's webhook endpoint."}
            </EmptyState>
          </div>
        ) : (
          <ul aria-label="Webhook events" className="divide-y divide-slate-100">
            {results.map((event) => (
              <EventRow key={event.id} event={event} />
            ))}
          </ul>
        )}
      </div>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <div className="mt-4 flex justify-center">
          <button
            type="button"
            onClick={() => loadMore(EVENTS_PAGE_SIZE)}
            disabled={status === "LoadingMore"}
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:opacity-60"
          >
            {status === "LoadingMore" ? "Loading more…" : "Load more"}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}
