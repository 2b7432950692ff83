import { Link } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";

/** Any URL the app does not know. */
export function NotFoundView() {
  return (
    <>
      <PageHeader title="Page not found" subtitle="There is nothing at this address." />
      <EmptyState title="This page does not exist">
        <Link to="/profile" className="font-medium text-brand-700 underline underline-offset-2">
          Go to your profile
        </Link>
      </EmptyState>
    </>
  );
}
