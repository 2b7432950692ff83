import { useOrganization, useUser } from "@clerk/react";
import { useRef, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { Avatar } from "../../components/Avatar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { RoleBadge } from "../../components/RoleBadge";
import { useQuery } from "../../lib/convex";
import { announceDeparture } from "./departure";
import { LastKeeperDialog } from "./LastKeeperDialog";
import { PendingNote } from "./PendingNote";
import { clerkMessage, isLastKeeperRefusal, refusalCode, usePendingActions } from "./usePendingActions";
import { useNotedDeparture } from "./useNotedDeparture";

type Organization = {
  organizationId: string;
  name: string;
  slug: string | null;
  imageUrl: string | null;
  membersCount: number | null;
  viewer: { userId: string; role: string; roleName: string | null; canManageMembers: boolean };
};

/**
 * The team's name, picture, slug and size, the viewer's own role in it, and "Leave team" (through
 * Clerk; pending until the viewer's teams no longer list it). The last member who may manage the
 * team is told why they cannot leave, and offered the ways out (`onMakeAdmin`, `onDelete`), before
 * Clerk is asked; Clerk's own refusal of the same rule opens the same explanation.
 */
export function OrganizationSummary({
  organization,
  onMakeAdmin,
  onDelete,
}: {
  organization: Organization;
  onMakeAdmin?: () => void;
  onDelete?: () => void;
}) {
  const { user } = useUser();
  const { organization: active } = useOrganization();
  const mine = useQuery(api.organizations.listMine);
  const keepers = useQuery(api.organizations.keepers, { organizationId: organization.organizationId });
  const depart = useNotedDeparture();
  const pending = usePendingActions(mine);
  const [dialog, setDialog] = useState<null | "confirm" | { lastKeeper: string | null }>(null);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const state = pending.stateOf("leave");
  const soleKeeper = keepers?.soleKeeperId === organization.viewer.userId;
  const others = (organization.membersCount ?? 2) > 1;

  function leave() {
    if (!user) return;
    const { organizationId, name } = organization;
    void pending.run(
      "leave",
      `Leaving ${name}`,
      async () => {
        try {
          await depart(organizationId, organization.viewer.userId, () => user.leaveOrganization(organizationId));
        } catch (error) {
          // The rule Roster checks (or Clerk's refusal of it): explain it and offer the ways out.
          if (isLastKeeperRefusal(error))
            setDialog({ lastKeeper: refusalCode(error) === "LAST_KEEPER" ? null : clerkMessage(error) });
          throw error;
        }
        announceDeparture({ userId: organization.viewer.userId, organizationId, name, how: "left" });
      },
      (now) => now !== undefined && !now.some((team) => team.organizationId === organizationId),
    );
  }

  return (
    <section
      aria-labelledby="organization-name"
      className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm shadow-slate-200/50"
    >
      <div className="flex flex-wrap items-center gap-4">
        <Avatar name={organization.name} imageUrl={organization.imageUrl} size="lg" />
        <div className="min-w-0 flex-1 basis-48">
          <h2 id="organization-name" className="text-xl font-semibold break-words text-slate-900">
            {organization.name}
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">
            {organization.slug ? <span className="font-mono">{organization.slug}</span> : "No slug"}
            {" · "}
            {organization.membersCount === null
              ? "member count unknown"
              : `${organization.membersCount} ${organization.membersCount === 1 ? "member" : "members"}`}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
          <span>
            <span className="mr-2">Your role</span>
            <RoleBadge role={organization.viewer.role} roleName={organization.viewer.roleName} />
          </span>
          {user && active?.id === organization.organizationId ? (
            <button
              ref={leaveButton}
              type="button"
              disabled={state?.phase === "saving"}
              onClick={() => setDialog(soleKeeper ? { lastKeeper: null } : "confirm")}
              className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-50"
            >
              Leave team
            </button>
          ) : null}
        </div>
      </div>
      {soleKeeper ? (
        <p className="mt-3 text-sm text-slate-600">
          You are the only one who may manage this team&rsquo;s members and delete it: to leave, make someone else an
          admin first{onDelete ? ", or delete the team" : ""}.
        </p>
      ) : null}
      {state ? (
        <div className="mt-3">
          <PendingNote state={state} onDismiss={() => pending.dismiss("leave")} />
        </div>
      ) : null}
      <ConfirmDialog
        open={dialog === "confirm"}
        title={`Leave ${organization.name}?`}
        confirmLabel="Leave team"
        returnFocus={leaveButton}
        onClose={() => setDialog((current) => (current === "confirm" ? null : current))}
        onConfirm={() => {
          setDialog(null);
          leave();
        }}
      >
        <p>You lose access to this team at once. To come back, someone in it has to invite you again.</p>
      </ConfirmDialog>
      <LastKeeperDialog
        open={dialog !== null && dialog !== "confirm"}
        teamName={organization.name}
        clerkWords={dialog !== null && dialog !== "confirm" ? dialog.lastKeeper : null}
        onMakeAdmin={organization.viewer.canManageMembers && others ? onMakeAdmin : undefined}
        onDelete={onDelete}
        returnFocus={leaveButton}
        onClose={() => setDialog(null)}
      />
    </section>
  );
}
