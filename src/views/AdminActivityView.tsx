import { ErrorPanel } from "../components/ErrorPanel";
import { PageHeader } from "../components/PageHeader";
import { QueryBoundary } from "../components/QueryBoundary";
import { AdminActivity } from "../features/admin/components/AdminActivity";
import { NotAnOperator } from "../features/admin/components/NotAnOperator";
import { describeError, errorCode, isRetryable } from "../lib/errors";

/** For app admins: the health of the sync with Clerk, backfill and reconcile, the webhook event log and the messages Clerk sent. */
export function AdminActivityView() {
  return (
    <>
      <PageHeader
        title="Admin activity"
        subtitle="Every Clerk webhook and what Roster did with it, backfills from Clerk, and the messages Clerk sent — live."
      />
      {/*
        The page-level boundary: an authorization error from any panel is said here, once, without
        "Try again"; the server saying this caller is no app admin reads as the page does for them.
      */}
      <QueryBoundary
        fallback={(error, retry) => {
          if (errorCode(error) === "NOT_AN_ADMIN") return <NotAnOperator />;
          const info = describeError(error);
          return <ErrorPanel info={info} onRetry={isRetryable(info) ? retry : undefined} />;
        }}
      >
        <AdminActivity />
      </QueryBoundary>
    </>
  );
}
