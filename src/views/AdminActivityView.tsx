import { AdminActivity } from "../components/AdminActivity";
import { PageHeader } from "../components/PageHeader";
import { QueryBoundary } from "../components/QueryBoundary";

/** For app admins: the webhook event log and the health of the sync with Clerk. */
export function AdminActivityView() {
  return (
    <>
      <PageHeader
        title="Admin activity"
        subtitle="Every Clerk webhook Roster received, and what it did with it — live."
      />
      <QueryBoundary>
        <AdminActivity />
      </QueryBoundary>
    </>
  );
}
