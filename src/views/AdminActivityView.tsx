import { AdminActivity } from "../features/admin/components/AdminActivity";
import { PageHeader } from "../components/PageHeader";
import { QueryBoundary } from "../components/QueryBoundary";

/** For app admins: the health of the sync with Clerk, backfill and reconcile, the webhook event log and the messages Clerk sent. */
export function AdminActivityView() {
  return (
    <>
      <PageHeader
        title="Admin activity"
        subtitle="Every Clerk webhook and what Roster did with it, backfills from Clerk, and the messages Clerk sent — live."
      />
      <QueryBoundary>
        <AdminActivity />
      </QueryBoundary>
    </>
  );
}
