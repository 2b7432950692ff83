import { useClerk } from "@clerk/react";
import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { TeamDashboard } from "./TeamDashboard";
import { TeamPicker } from "./TeamPicker";

/**
 * Chooses what the Team page shows: the active organization once Roster has its membership, a
 * "syncing" note until Clerk's webhook lands, or a way to pick or create an organization.
 */
export function TeamContent({ organizationId }: { organizationId: string | null | undefined }) {
  const mine = useQuery(api.organizations.listMine);
  const clerk = useClerk();

  if (organizationId === undefined || mine === undefined)
    return (
      <div className="rounded-2xl border border-slate-200 bg-white p-5">
        <LoadingState label="Loading your organizations…" />
      </div>
    );

  if (organizationId === null) {
    if (mine.length === 0)
      return (
        <EmptyState title="You are not in a team yet">
          <p>
            Create an organization in Clerk, or accept an invitation, and it shows up here as soon as Clerk tells
            Roster.
          </p>
          <button
            type="button"
            onClick={() => clerk.openCreateOrganization()}
            className="mt-4 rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
          >
            Create an organization
          </button>
        </EmptyState>
      );
    return <TeamPicker organizations={mine} />;
  }

  const membership = mine.find((organization) => organization.organizationId === organizationId);
  if (membership === undefined)
    return (
      <div role="status" className="rounded-2xl border border-amber-200 bg-amber-50 px-5 py-4 text-amber-900">
        <p className="flex items-center gap-2 font-semibold">
          <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-amber-500" />
          Syncing this organization from Clerk…
        </p>
        <p className="mt-1 text-sm">
          Roster has no record of your membership yet. If you just created or joined this organization, it appears by
          itself in a moment, when Clerk&rsquo;s webhook lands. If you were removed from it, pick another one in the
          switcher.
        </p>
      </div>
    );

  return <TeamDashboard key={organizationId} organizationId={organizationId} />;
}
