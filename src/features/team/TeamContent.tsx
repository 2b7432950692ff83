import { useOrganizationList, useUser } from "@clerk/react";
import { useEffect, useRef } from "react";
import { api } from "../../../convex/_generated/api";
import { EmptyState } from "../../components/EmptyState";
import { useQuery } from "../../lib/convex";
import { CreateTeamForm } from "./CreateTeamForm";
import { clearDeparture, useDeparture, type Departure } from "./departure";
import { MyInvitations } from "./MyInvitations";
import { TeamDashboard } from "./TeamDashboard";
import { TeamPicker } from "./TeamPicker";
import { TeamSkeleton } from "./TeamSkeleton";

type MyTeam = { organizationId: string };

/** `userId`'s last departure once Roster no longer lists that team for them (null before, or none). */
function useSettledDeparture(userId: string | undefined, mine: MyTeam[] | undefined): Departure | null {
  const departure = useDeparture(userId);
  if (departure === null || mine === undefined) return null;
  return mine.some((team) => team.organizationId === departure.organizationId) ? null : departure;
}

/** "You left X" (or "X is deleted"), with the focus on it, until dismissed; and where to go next. */
function DepartureNotice({ departure, hasTeams }: { departure: Departure; hasTeams: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [departure]);
  return (
    <div role="status" className="rounded-2xl border border-emerald-200 bg-emerald-50 px-5 py-4 text-emerald-950">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h2 ref={heading} tabIndex={-1} className="font-semibold break-words outline-none">
            {departure.how === "left" ? `You left ${departure.name}` : `${departure.name} is deleted`}
          </h2>
          <p className="mt-1 text-sm">
            {hasTeams
              ? "Carry on in another of your teams (below, or in the team switcher), or start a new one."
              : "You are not in a team now."}
          </p>
        </div>
        <button
          type="button"
          onClick={clearDeparture}
          className="rounded text-sm font-medium underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}

/**
 * Chooses what the Team page shows: after the viewer left or deleted a team, "You left X" first
 * (Clerk's active team switches to another of theirs, or to the personal account when they have
 * none); then the signed-in person's own invitations, if any; then the active team once Roster has
 * the viewer's membership, a plain "you are not a member" with the teams to switch to when it was
 * not their doing (removed, or not set up yet), or a way to pick or create a team.
 */
export function TeamContent({ organizationId }: { organizationId: string | null | undefined }) {
  const mine = useQuery(api.organizations.listMine);
  const { user } = useUser();
  const departure = useSettledDeparture(user?.id, mine);
  const { setActive } = useOrganizationList();
  // Still on the team just left: Clerk's active team moves on, to another team or the personal account.
  const stranded = departure !== null && organizationId === departure.organizationId;
  const next = stranded && mine !== undefined ? (mine[0]?.organizationId ?? null) : undefined;
  useEffect(() => {
    if (next !== undefined) void setActive?.({ organization: next });
  }, [next, setActive]);

  return (
    <div className="space-y-6">
      {departure !== null && mine !== undefined ? (
        <DepartureNotice departure={departure} hasTeams={mine.length > 0} />
      ) : null}
      <MyInvitations />
      {stranded ? null : <ActiveTeam organizationId={organizationId} mine={mine} justLeft={departure !== null} />}
    </div>
  );
}

type Team = {
  organizationId: string;
  name: string;
  imageUrl: string | null;
  role: string;
  roleName: string | null;
  membersCount: number | null;
};

/** The active team's page, or what to do without one. */
function ActiveTeam({
  organizationId,
  mine,
  justLeft,
}: {
  organizationId: string | null | undefined;
  mine: Team[] | undefined;
  /** The viewer has just left (or deleted) a team: "You left" above says the rest. */
  justLeft: boolean;
}) {
  if (organizationId === undefined || mine === undefined) return <TeamSkeleton />;

  if (organizationId === null) {
    if (mine.length === 0)
      return (
        <EmptyState title={justLeft ? "Start or join a team" : "You are not in a team yet"}>
          <p>
            Create a team, or ask a team's admin to invite you: invitations to your verified addresses appear on this
            page and in the team switcher.
          </p>
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
            You may have been removed. If you just joined or created it, it shows here in a moment.
          </p>
        </div>
        {mine.length > 0 ? (
          <TeamPicker organizations={mine} title="Switch to another team" />
        ) : (
          <section aria-labelledby="create-team" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="create-team" className="text-base font-semibold text-slate-900">
              Start a new team
            </h2>
            <CreateTeamForm />
          </section>
        )}
      </div>
    );

  return <TeamDashboard key={organizationId} organizationId={organizationId} />;
}
