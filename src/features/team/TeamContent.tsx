import { api } from "../../../convex/_generated/api";
import { EmptyState } from "../../components/EmptyState";
import { useQuery } from "../../lib/convex";
import { CreateTeamForm } from "./CreateTeamForm";
import { MyInvitations } from "./MyInvitations";
import { TeamDashboard } from "./TeamDashboard";
import { TeamPicker } from "./TeamPicker";
import { TeamSkeleton } from "./TeamSkeleton";

/**
 * Chooses what the Team page shows: the signed-in person's own invitations, if any, then the active team once Roster has the viewer's membership; a
 * plain "you are not a member" with the teams to switch to when it does not (just removed, left,
 * or not set up yet); or a way to pick or create a team.
 */
export function TeamContent({ organizationId }: { organizationId: string | null | undefined }) {
  return (
    <div className="space-y-6">
      <MyInvitations />
      <ActiveTeam organizationId={organizationId} />
    </div>
  );
}

/** The active team's page, or what to do without one. */
function ActiveTeam({ organizationId }: { organizationId: string | null | undefined }) {
  const mine = useQuery(api.organizations.listMine);

  if (organizationId === undefined || mine === undefined) return <TeamSkeleton />;

  if (organizationId === null) {
    if (mine.length === 0)
      return (
        <EmptyState title="You are not in a team yet">
          <p>Create a team, or join one you are invited to (your invitations show above, and in the team switcher).</p>
          <CreateTeamForm />
        </EmptyState>
      );
    return (
      <div className="space-y-6">
        <TeamPicker organizations={mine} />
        <section aria-labelledby="create-team" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="create-team" className="text-base font-semibold text-slate-900">
            Or create a new team
          </h2>
          <CreateTeamForm />
        </section>
      </div>
    );
  }

  const membership = mine.find((organization) => organization.organizationId === organizationId);
  if (membership === undefined)
    return (
      <div className="space-y-6">
        <div role="status" className="rounded-2xl border border-amber-200 bg-amber-50 px-5 py-4 text-amber-950">
          <p className="font-semibold">You are not a member of this team</p>
          <p className="mt-1 text-sm">
            You may have left it or been removed. If you just joined or created it, it shows here in a moment.
          </p>
        </div>
        {mine.length > 0 ? <TeamPicker organizations={mine} title="Switch to another team" /> : null}
      </div>
    );

  return <TeamDashboard key={organizationId} organizationId={organizationId} />;
}
