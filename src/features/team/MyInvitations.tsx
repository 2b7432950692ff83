import { useOrganizationList, useUser } from "@clerk/react";
import { useEffect, useRef, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { Avatar } from "../../components/Avatar";
import { RelativeTime } from "../../components/RelativeTime";
import { RoleBadge } from "../../components/RoleBadge";
import { TruncatedText } from "../../components/TruncatedText";
import { useMutation, useQuery } from "../../lib/convex";
import { PendingNote } from "./PendingNote";
import { describeError } from "../../lib/errors";
import { usePendingActions } from "./usePendingActions";

type MyInvitation = {
  invitationId: string;
  organizationId: string;
  organizationName: string | null;
  organizationImageUrl: string | null;
  emailAddress: string;
  role: string | null;
  roleName: string | null;
  invitedAt: number;
  dismissed: boolean;
};

const BUTTON =
  "rounded-lg px-3 py-1.5 text-sm font-medium shadow-sm focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-1 focus-visible:outline-none disabled:opacity-50";

/**
 * The signed-in person's pending team invitations (matched on their verified addresses, live from
 * Roster): Join accepts it through Clerk and opens the team once Roster has the membership; Dismiss
 * hides it here only, since Clerk has no way to decline an invitation. Shows nothing when there are none.
 */
export function MyInvitations() {
  const invitations = useQuery(api.invitations.mine);
  const mine = useQuery(api.organizations.listMine);
  const dismiss = useMutation(api.invitations.dismiss);
  const { user } = useUser();
  const { setActive } = useOrganizationList();
  const pending = usePendingActions(mine);
  const [showDismissed, setShowDismissed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);

  // Once Roster has the membership, the team just joined becomes the active one.
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (joined === null || opened.current === joined) return;
    if (mine?.some((team) => team.organizationId === joined)) {
      opened.current = joined;
      void setActive?.({ organization: joined });
    }
  }, [joined, mine, setActive]);

  if (invitations === undefined) return null;
  const open = invitations.filter((invitation) => !invitation.dismissed);
  const dismissed = invitations.filter((invitation) => invitation.dismissed);
  const shown = showDismissed ? [...open, ...dismissed] : open;
  // A join whose invitation is no longer listed (accepted, or dismissed and hidden) keeps its line here;
  // one still listed shows its state on its own row, once.
  const joining = pending.keys.filter((key) => !shown.some((invitation) => invitation.invitationId === key));
  if (open.length === 0 && dismissed.length === 0 && joining.length === 0) return null;

  function join(invitation: MyInvitation) {
    if (!user) return;
    const name = invitation.organizationName ?? "the team";
    void pending.run(
      invitation.invitationId,
      `Joining ${name}`,
      async () => {
        const { data } = await user.getOrganizationInvitations({ status: "pending", pageSize: 100 });
        const found = data.find((candidate) => candidate.id === invitation.invitationId);
        if (found === undefined)
          throw new Error("Clerk no longer has this invitation: it was revoked, accepted or has expired.");
        await found.accept();
        setJoined(invitation.organizationId);
      },
      (now) => now !== undefined && now.some((team) => team.organizationId === invitation.organizationId),
    );
  }

  function setDismissed(invitation: MyInvitation, value: boolean) {
    setProblem(null);
    dismiss({ invitationId: invitation.invitationId, dismissed: value }).catch((error: unknown) =>
      setProblem(describeError(error).message),
    );
  }

  return (
    <section
      aria-labelledby="my-invitations"
      className="rounded-2xl border border-brand-100 bg-brand-50/50 p-5 shadow-sm"
    >
      <h2 id="my-invitations" className="text-base font-semibold text-slate-900">
        Your invitations
      </h2>
      <p className="mt-0.5 text-sm text-slate-600">
        Teams that invited one of your verified email addresses. Clerk has no way to decline an invitation: Dismiss
        hides it here, and it stays valid until the team revokes it.
      </p>
      <ul aria-label="Your invitations" className="mt-3 divide-y divide-slate-200">
        {joining.map((key) => (
          <li key={`joining-${key}`} className="py-2.5">
            <PendingNote state={pending.stateOf(key)} onDismiss={() => pending.dismiss(key)} />
          </li>
        ))}
        {shown.map((invitation) => {
          const name = invitation.organizationName ?? "A team";
          const state = pending.stateOf(invitation.invitationId);
          const busy = state?.phase === "saving";
          return (
            <li key={invitation.invitationId} className="py-2.5" aria-busy={busy}>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                <Avatar name={name} imageUrl={invitation.organizationImageUrl} size="md" />
                <div className="min-w-0 flex-1 basis-40">
                  <TruncatedText text={name} className="block text-sm font-medium text-slate-900" />
                  <p className="text-xs text-slate-600 [overflow-wrap:anywhere]">
                    To {invitation.emailAddress}, <RelativeTime at={invitation.invitedAt} />
                    {invitation.dismissed ? " · dismissed" : ""}
                  </p>
                </div>
                <RoleBadge role={invitation.role} roleName={invitation.roleName} />
                <div className="flex gap-2">
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => join(invitation)}
                    aria-label={`Join ${name}`}
                    className={`${BUTTON} bg-brand-600 text-white hover:bg-brand-700`}
                  >
                    Join
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => setDismissed(invitation, !invitation.dismissed)}
                    aria-label={
                      invitation.dismissed
                        ? `Restore the invitation to ${name}`
                        : `Dismiss the invitation to ${name} (hides it here only)`
                    }
                    className={`${BUTTON} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50`}
                  >
                    {invitation.dismissed ? "Restore" : "Dismiss"}
                  </button>
                </div>
              </div>
              {state ? (
                <div className="mt-2">
                  <PendingNote state={state} onDismiss={() => pending.dismiss(invitation.invitationId)} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {open.length === 0 && !showDismissed && joining.length === 0 ? (
        <p className="text-sm text-slate-600">No invitations waiting.</p>
      ) : null}
      {dismissed.length > 0 ? (
        <button
          type="button"
          onClick={() => setShowDismissed(!showDismissed)}
          aria-expanded={showDismissed}
          className="mt-2 rounded text-sm font-medium text-brand-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
        >
          {showDismissed ? "Hide dismissed invitations" : `Show dismissed invitations (${dismissed.length})`}
        </button>
      ) : null}
      {problem !== null ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
