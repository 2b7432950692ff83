import { api } from "../../../../convex/_generated/api";
import { useQuery } from "../../../lib/convex";
import { ClerkSyncPanel } from "./ClerkSyncPanel";
import { CommunicationsPanel } from "./CommunicationsPanel";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { EventLogPanel } from "./EventLogPanel";
import { LoadingState } from "../../../components/LoadingState";
import { PanelBoundary } from "../../../components/PanelBoundary";
import { SyncHealthPanel } from "./SyncHealthPanel";

/**
 * Sync health, backfill and reconcile, the event log and the messages Clerk sent, once `users.me`
 * says the caller is an app admin. Each panel has its own error boundary, under its title.
 */
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
            "This page is for Roster's administrators. An administrator is a Clerk user whose public metadata holds \"rosterAdmin\": true (set it in Clerk's dashboard → Users → Metadata).",
        }}
      />
    );
  return (
    <div className="space-y-6">
      <PanelBoundary title="Sync health">
        <SyncHealthPanel />
      </PanelBoundary>
      <PanelBoundary title="Backfill and reconcile from Clerk">
        <ClerkSyncPanel viewerId={me.clerkId} />
      </PanelBoundary>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <PanelBoundary title="Event log">
            <EventLogPanel />
          </PanelBoundary>
        </div>
        <div className="min-w-0">
          <PanelBoundary title="Messages Clerk sent">
            <CommunicationsPanel />
          </PanelBoundary>
        </div>
      </div>
    </div>
  );
}
