import { PageHeader } from "../../components/PageHeader";
import { QueryBoundary } from "../../components/QueryBoundary";
import { TeamContent } from "./TeamContent";
import { useActiveOrganizationId } from "../../hooks/useActiveOrganizationId";

/** The active organization: its details, members, activity, and (for admins) invitations and domains. */
export function TeamView() {
  const organizationId = useActiveOrganizationId();
  return (
    <>
      <PageHeader title="Team" subtitle="Your team: its people and their roles, live." />
      <QueryBoundary resetKeys={[organizationId]}>
        <TeamContent organizationId={organizationId} />
      </QueryBoundary>
    </>
  );
}
