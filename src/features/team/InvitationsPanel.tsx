import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";
import { RelativeTime } from "../../components/RelativeTime";
import { RoleBadge } from "../../components/RoleBadge";

/** Pending invitations (admins only): who was invited, as what, and when. */
export function InvitationsPanel({ organizationId }: { organizationId: string }) {
  const invitations = useQuery(api.organizations.invitations, { organizationId });
  return (
    <Panel title="Pending invitations" description="Visible to admins only.">
      {invitations === undefined ? (
        <LoadingState label="Loading invitations…" rows={2} />
      ) : invitations.length === 0 ? (
        <EmptyState title="No pending invitations">
          Invitations sent from Clerk appear here until they are accepted.
        </EmptyState>
      ) : (
        <ul aria-label="Pending invitations" className="divide-y divide-slate-100">
          {invitations.map((invitation) => (
            <li key={invitation.invitationId} className="flex items-center gap-3 py-2.5">
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">
                  {invitation.emailAddress ?? "Unknown address"}
                </p>
                <p className="text-xs text-slate-500">
                  Invited <RelativeTime at={invitation.invitedAt} />
                </p>
              </div>
              <RoleBadge role={invitation.role} roleName={invitation.roleName} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
