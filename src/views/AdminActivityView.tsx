import { PageHeader } from "../components/PageHeader";
import { QueryBoundary } from "../components/QueryBoundary";
import { AdminActivity } from "../features/admin/components/AdminActivity";

/** For app admins: the health of the sync with Clerk, backfill and reconcile, the webhook event log and the messages Clerk sent. */
export function AdminActivityView() {
  return (
    <>
      <PageHeader
        title="Admin activity"
        subtitle="Every Clerk webhook and what Roster did with it, backfills from Clerk, and the messages Clerk sent — live."
      />
      {/* The page-level boundary: an authorization error from any panel is said here, once, without "Try again". */}
      <QueryBoundary>
        <AdminActivity />
      </QueryBoundary>
    </>
  );
}
