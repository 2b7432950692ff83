import { useSearchParams } from "react-router";
import { api } from "../../../../convex/_generated/api";
import { usePaginatedQuery } from "../../../lib/convex";
import { EmptyState } from "../../../components/EmptyState";
import { EventRow } from "./EventRow";
import { LoadingState } from "../../../components/LoadingState";
import { OUTCOMES, OutcomeFilter, type Outcome } from "./OutcomeFilter";
import { Panel } from "../../../components/Panel";

export const EVENTS_PAGE_SIZE = 25;

function outcomeOf(value: string | null): Outcome | null {
  return OUTCOMES.find((outcome) => outcome === value) ?? null;
}

/** The webhook event log, newest first and live, filtered by outcome (kept in `?outcome=`). */
export function EventLogPanel() {
  const [searchParams, setSearchParams] = useSearchParams();
  const outcome = outcomeOf(searchParams.get("outcome"));
  const { results, status, loadMore } = usePaginatedQuery(api.admin.eventLog, outcome === null ? {} : { outcome }, {
    initialNumItems: EVENTS_PAGE_SIZE,
  });

  function choose(next: Outcome | null) {
    setSearchParams(
      (params) => {
        if (next === null) params.delete("outcome");
        else params.set("outcome", next);
        return params;
      },
      { replace: true },
    );
  }

  return (
    <Panel title="Event log" description="Newest first. Failed events are kept until they apply.">
      <OutcomeFilter value={outcome} onChange={choose} />
      <div className="-mx-5 mt-4 border-t border-slate-100">
        {status === "LoadingFirstPage" ? (
          <div className="px-5 pt-4">
            <LoadingState label="Loading the event log…" rows={4} />
          </div>
        ) : results.length === 0 ? (
          <div className="px-5 pt-4">
            <EmptyState title={outcome === null ? "No webhook events yet" : `No ${outcome} events`}>
              {outcome === null
                ? "Events appear here the moment Clerk delivers them to Roster's webhook endpoint."
                : "Nothing with this outcome is in the log."}
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
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-60"
          >
            {status === "LoadingMore" ? "Loading more…" : "Show older events"}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}
