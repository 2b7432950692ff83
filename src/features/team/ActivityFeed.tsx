import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { ActivityItem } from "./ActivityItem";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";

export const ACTIVITY_LIMIT = 25;

/** Who joined, left, changed role or was invited, newest first, as the webhooks land. */
export function ActivityFeed({ organizationId }: { organizationId: string }) {
  const entries = useQuery(api.organizations.activity, { organizationId, limit: ACTIVITY_LIMIT });
  return (
    <Panel title="Activity" description="Live, newest first.">
      {entries === undefined ? (
        <LoadingState label="Loading activity…" rows={3} />
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing has happened yet">
          Joins, departures, role changes and invitations show up here.
        </EmptyState>
      ) : (
        <ol aria-label="Recent activity" className="relative">
          {entries.map((entry) => (
            <ActivityItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </Panel>
  );
}
