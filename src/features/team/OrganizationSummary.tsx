import { useOrganization, useUser } from "@clerk/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { Avatar } from "../../components/Avatar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { RoleBadge } from "../../components/RoleBadge";
import { useQuery } from "../../lib/convex";
import { PendingNote } from "./PendingNote";
import { usePendingActions } from "./usePendingActions";

type Organization = {
  organizationId: string;
  name: string;
  slug: string | null;
  imageUrl: string | null;
  membersCount: number | null;
  viewer: { role: string; roleName: string | null };
};

/**
 * The team's name, picture, slug and size, the viewer's own role in it, and "Leave team" (through
 * Clerk; pending until the viewer's teams no longer list it).
 */
export function OrganizationSummary({ organization }: { organization: Organization }) {
  const { user } = useUser();
  const { organization: active } = useOrganization();
  const mine = useQuery(api.organizations.listMine);
  const pending = usePendingActions(mine);
  const [confirming, setConfirming] = useState(false);
  const state = pending.stateOf("leave");

  function leave() {
    if (!user) return;
    void pending.run(
      "leave",
      `Leaving ${organization.name}`,
      () => user.leaveOrganization(organization.organizationId),
      (now) => now !== undefined && !now.some((team) => team.organizationId === organization.organizationId),
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
              type="button"
              disabled={state?.phase === "saving"}
              onClick={() => setConfirming(true)}
              className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-50"
            >
              Leave team
            </button>
          ) : null}
        </div>
      </div>
      {state ? (
        <div className="mt-3">
          <PendingNote state={state} onDismiss={() => pending.dismiss("leave")} />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Leave ${organization.name}?`}
        confirmLabel="Leave team"
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          leave();
        }}
      >
        <p>You lose access to this team at once. To come back, someone in it has to invite you again.</p>
      </ConfirmDialog>
    </section>
  );
}
