import { api } from "../../convex/_generated/api";
import { useQuery } from "../lib/convex";
import { ErrorPanel } from "./ErrorPanel";
import { EventLogPanel } from "./EventLogPanel";
import { LoadingState } from "./LoadingState";
import { QueryBoundary } from "./QueryBoundary";
import { SyncHealthPanel } from "./SyncHealthPanel";

/** Sync health and the event log, once `users.me` says the caller is an app admin. */
export function AdminActivity() {
  const me = useQuery(api.users.me);
  if (me === undefined)
    return (
      <div className="rounded-2xl border border-slate-200 bg-white p-5">
        <LoadingState label="Checking your access…" rows={1} />
      </div>
    );
  if (me === null || !me.isAppAdmin)
    return (
      <ErrorPanel
        info={{
          code: "NOT_AN_ADMIN",
          title: "Admins only",
          message:
            "The event log is for Roster's administrators. An administrator is a Clerk user whose public metadata holds \"rosterAdmin\": true (set it in Clerk's dashboard → Users → Metadata).",
        }}
      />
    );
  return (
    <div className="space-y-6">
      <QueryBoundary>
        <SyncHealthPanel />
      </QueryBoundary>
      <QueryBoundary>
        <EventLogPanel />
      </QueryBoundary>
    </div>
  );
}
