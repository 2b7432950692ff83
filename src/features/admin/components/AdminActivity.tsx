import { useSearchParams } from "react-router";
import { api } from "../../../../convex/_generated/api";
import { PanelBoundary } from "../../../components/PanelBoundary";
import { useQuery } from "../../../lib/convex";
import { isAuthorizationError } from "../../../lib/errors";
import { AdminTabs } from "./AdminTabs";
import { ClerkSyncPanel } from "./ClerkSyncPanel";
import { CommunicationsPanel } from "./CommunicationsPanel";
import { EventLogPanel } from "./EventLogPanel";
import { NotAnOperator } from "./NotAnOperator";
import { StatCardsSkeleton } from "./StatCardsSkeleton";
import { SyncHealthPanel } from "./SyncHealthPanel";

export const ADMIN_TABS = ["events", "sync", "messages"] as const;
type TabId = (typeof ADMIN_TABS)[number];

/**
 * Sync health on top (what an operator looks at first), then the event log, backfill and
 * reconcile, and the messages Clerk sent as tabs (kept in `?tab=`), once `users.me` says the
 * caller is an app admin (anyone else reads that only Roster's operators see it). Each panel has its
 * own error boundary; an authorization error goes up to the page's, so it is said once.
 */
export function AdminActivity() {
  const me = useQuery(api.users.me);
  const [searchParams, setSearchParams] = useSearchParams();
  if (me === undefined)
    return (
      <div role="status" aria-live="polite" className="rounded-2xl border border-slate-200 bg-white p-5">
        <span className="sr-only">Checking your access…</span>
        <StatCardsSkeleton />
      </div>
    );
  if (me === null || !me.isAppAdmin) return <NotAnOperator />;

  const tab: TabId = ADMIN_TABS.find((id) => id === searchParams.get("tab")) ?? "events";
  function select(next: string) {
    setSearchParams(
      (params) => {
        if (next === "events") params.delete("tab");
        else params.set("tab", next);
        return params;
      },
      { replace: true },
    );
  }

  return (
    <div className="space-y-6">
      <PanelBoundary title="Sync health" escalate={isAuthorizationError}>
        <SyncHealthPanel />
      </PanelBoundary>
      <AdminTabs
        label="Admin sections"
        selected={tab}
        onSelect={select}
        tabs={[
          {
            id: "events",
            label: "Event log",
            content: (
              <PanelBoundary title="Event log" escalate={isAuthorizationError}>
                <EventLogPanel />
              </PanelBoundary>
            ),
          },
          {
            id: "sync",
            label: "Backfill and reconcile",
            content: (
              <PanelBoundary title="Backfill and reconcile from Clerk" escalate={isAuthorizationError}>
                <ClerkSyncPanel viewerId={me.clerkId} />
              </PanelBoundary>
            ),
          },
          {
            id: "messages",
            label: "Messages",
            content: (
              <PanelBoundary title="Messages Clerk sent" escalate={isAuthorizationError}>
                <CommunicationsPanel />
              </PanelBoundary>
            ),
          },
        ]}
      />
    </div>
  );
}
