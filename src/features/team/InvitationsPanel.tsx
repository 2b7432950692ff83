import { useOrganization } from "@clerk/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";
import { RelativeTime } from "../../components/RelativeTime";
import { RoleBadge } from "../../components/RoleBadge";
import { useQuery } from "../../lib/convex";
import { PendingNote } from "./PendingNote";
import { useOrganizationRoles } from "./useOrganizationRoles";
import { usePendingActions } from "./usePendingActions";

type Invitation = {
  invitationId: string;
  emailAddress: string | null;
  role: string | null;
  roleName: string | null;
  invitedAt: number;
};

const BUTTON_SECONDARY =
  "rounded-lg border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50";

const keyOf = (email: string) => email.trim().toLowerCase();

/** Looks an invitation up in Clerk (its resource carries `revoke()`). */
async function clerkInvitation(
  organization: NonNullable<ReturnType<typeof useOrganization>["organization"]>,
  id: string,
) {
  const { data } = await organization.getInvitations({ status: ["pending"], pageSize: 100 });
  const found = data.find((invitation) => invitation.id === id);
  if (found === undefined) throw new Error("This invitation is no longer pending.");
  return found;
}

/**
 * Pending invitations (for those who may manage members): invite someone by email with a role,
 * revoke an invitation, or resend it (Clerk revokes it and sends a new one). Every change goes
 * through Clerk and stays pending on its row until the list shows it.
 */
export function InvitationsPanel({ organizationId }: { organizationId: string }) {
  const invitations = useQuery(api.organizations.invitations, { organizationId }) as Invitation[] | undefined;
  const { organization } = useOrganization();
  const roles = useOrganizationRoles();
  const pending = usePendingActions(invitations ?? []);
  const emailId = useId();
  const roleId = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("org:member");
  const [problem, setProblem] = useState<string | null>(null);

  const hasEmail = (list: Invitation[], address: string) =>
    list.some((invitation) => invitation.emailAddress !== null && keyOf(invitation.emailAddress) === address);

  function invite(event: FormEvent) {
    event.preventDefault();
    const address = keyOf(email);
    if (!organization) return;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setProblem("Enter an email address, like name@example.com.");
      return;
    }
    setProblem(null);
    setEmail("");
    void pending.run(
      address,
      `Inviting ${address}`,
      () => organization.inviteMember({ emailAddress: address, role }),
      (now) => hasEmail(now, address),
    );
  }

  function revoke(invitation: Invitation) {
    if (!organization || invitation.emailAddress === null) return;
    void pending.run(
      keyOf(invitation.emailAddress),
      `Revoking the invitation of ${invitation.emailAddress}`,
      async () => (await clerkInvitation(organization, invitation.invitationId)).revoke(),
      (now) => !now.some((candidate) => candidate.invitationId === invitation.invitationId),
    );
  }

  function resend(invitation: Invitation) {
    const address = invitation.emailAddress;
    if (!organization || address === null) return;
    void pending.run(
      keyOf(address),
      `Resending the invitation to ${address}`,
      async () => {
        await (await clerkInvitation(organization, invitation.invitationId)).revoke();
        await organization.inviteMember({ emailAddress: address, role: invitation.role ?? "org:member" });
      },
      (now) =>
        !now.some((candidate) => candidate.invitationId === invitation.invitationId) && hasEmail(now, keyOf(address)),
    );
  }

  const listed = new Set((invitations ?? []).flatMap((i) => (i.emailAddress === null ? [] : [keyOf(i.emailAddress)])));
  const ghosts = pending.keys.filter((key) => !listed.has(key));

  return (
    <Panel title="Invitations" description="Invite people by email; they join once they accept.">
      <form onSubmit={invite} noValidate className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-52">
          <label htmlFor={emailId} className="block text-sm font-medium text-slate-700">
            Email address
          </label>
          <input
            id={emailId}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            autoComplete="off"
            placeholder="name@example.com"
            aria-invalid={problem !== null}
            aria-describedby={problem !== null ? `${emailId}-problem` : undefined}
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none"
          />
        </div>
        <div>
          <label htmlFor={roleId} className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select
            id={roleId}
            value={role}
            onChange={(event) => setRole(event.target.value)}
            className="mt-1 block rounded-lg border border-slate-300 bg-white py-2 pr-8 pl-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none"
          >
            {roles.map((option) => (
              <option key={option.key} value={option.key}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none"
        >
          Send invitation
        </button>
        {problem !== null ? (
          <p id={`${emailId}-problem`} role="alert" className="w-full text-sm text-red-700">
            {problem}
          </p>
        ) : null}
      </form>

      <div className="mt-4">
        {invitations === undefined ? (
          <LoadingState label="Loading invitations…" rows={2} />
        ) : invitations.length === 0 && ghosts.length === 0 ? (
          <EmptyState title="No pending invitations">People you invite show here until they accept.</EmptyState>
        ) : (
          <>
            <p className="text-xs text-slate-600">
              Resend revokes an invitation and sends a new one to the same address.
            </p>
            <ul aria-label="Pending invitations" className="divide-y divide-slate-100">
              {ghosts.map((key) => (
                <li key={`pending-${key}`} className="py-2.5">
                  <p className="truncate text-sm font-medium text-slate-900">{key}</p>
                  <div className="mt-1">
                    <PendingNote state={pending.stateOf(key)} onDismiss={() => pending.dismiss(key)} />
                  </div>
                </li>
              ))}
              {invitations.map((invitation) => {
                const key = invitation.emailAddress === null ? invitation.invitationId : keyOf(invitation.emailAddress);
                const state = pending.stateOf(key);
                const busy = state?.phase === "saving";
                return (
                  <li key={invitation.invitationId} className="py-2.5" aria-busy={busy}>
                    <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                      <div className="min-w-0 flex-1 basis-40">
                        <p className="truncate text-sm font-medium text-slate-900">
                          {invitation.emailAddress ?? "Unknown address"}
                        </p>
                        <p className="text-xs text-slate-600">
                          Invited <RelativeTime at={invitation.invitedAt} />
                        </p>
                      </div>
                      <RoleBadge role={invitation.role} roleName={invitation.roleName} />
                      <div className="flex gap-2">
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => resend(invitation)}
                          aria-label={`Resend the invitation to ${invitation.emailAddress ?? "this address"} (revokes it and sends a new one)`}
                          title="Revokes this invitation and sends a new one"
                          className={BUTTON_SECONDARY}
                        >
                          Resend
                        </button>
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => revoke(invitation)}
                          aria-label={`Revoke the invitation to ${invitation.emailAddress ?? "this address"}`}
                          className={BUTTON_SECONDARY}
                        >
                          Revoke
                        </button>
                      </div>
                    </div>
                    {state ? (
                      <div className="mt-2">
                        <PendingNote state={state} onDismiss={() => pending.dismiss(key)} />
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </Panel>
  );
}
