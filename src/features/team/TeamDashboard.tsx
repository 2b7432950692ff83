import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { ActivityFeed } from "./ActivityFeed";
import { DomainsPanel } from "./DomainsPanel";
import { EmptyState } from "../../components/EmptyState";
import { InvitationsPanel } from "./InvitationsPanel";
import { LoadingState } from "../../components/LoadingState";
import { MembersPanel } from "./MembersPanel";
import { OrganizationSummary } from "./OrganizationSummary";
import { Panel } from "../../components/Panel";
import { QueryBoundary } from "../../components/QueryBoundary";

/**
 * One organization's page. Each section has its own error boundary, so one failing query leaves
 * the others working; members, invitations and domains are only asked for by members whose role
 * allows it (the server says so in `viewer`, live: a role change shows at once).
 */
export function TeamDashboard({ organizationId }: { organizationId: string }) {
  const organization = useQuery(api.organizations.get, { organizationId });
  if (organization === undefined)
    return (
      <div className="rounded-2xl border border-slate-200 bg-white p-5">
        <LoadingState label="Loading the organization…" rows={1} />
      </div>
    );

  const { viewer } = organization;
  return (
    <div className="space-y-6">
      <OrganizationSummary organization={organization} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          {viewer.canReadMembers ? (
            <QueryBoundary>
              <MembersPanel organizationId={organizationId} membersCount={organization.membersCount} />
            </QueryBoundary>
          ) : (
            <Panel title="Members">
              <EmptyState title="Your role does not show the members list">
                Ask an admin for a role with the <code className="font-mono text-xs">org:sys_memberships:read</code>{" "}
                permission.
              </EmptyState>
            </Panel>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <QueryBoundary>
            <ActivityFeed organizationId={organizationId} />
          </QueryBoundary>
          {viewer.canManageMembers ? (
            <QueryBoundary>
              <InvitationsPanel organizationId={organizationId} />
            </QueryBoundary>
          ) : null}
          {viewer.canReadDomains ? (
            <QueryBoundary>
              <DomainsPanel organizationId={organizationId} />
            </QueryBoundary>
          ) : null}
        </div>
      </div>
    </div>
  );
}
