import { useOrganization } from "@clerk/react";
import { useId, useMemo, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";
import { RelativeTime } from "../../components/RelativeTime";
import { RoleBadge } from "../../components/RoleBadge";
import { useDebouncedValue } from "../../hooks/useDebouncedValue";
import { useQuery } from "../../lib/convex";
import { checkAddresses, MAX_INVITE_ADDRESSES, parseAddresses, type AddressCheck } from "./inviteAddresses";
import { PendingNote } from "./PendingNote";
import { useOrganizationRoles } from "./useOrganizationRoles";
import { clerkMessage, usePendingActions } from "./usePendingActions";

type Invitation = {
  invitationId: string;
  emailAddress: string | null;
  role: string | null;
  roleName: string | null;
  invitedAt: number;
};

const DEFAULT_ROLE = "org:member";

const BUTTON_SECONDARY =
  "rounded-lg border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50";

const keyOf = (email: string) => email.trim().toLowerCase();
/** The pending-action key of an invitation sent from the form (apart from its row's revoke/resend). */
const inviteKey = (address: string) => `invite:${address}`;

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

/** A resend whose revoke went through and whose new invitation did not: the address has none now. */
class HalfResent extends Error {}

/**
 * Pending invitations (for those who may manage members): invite one or several addresses with a
 * role (one Clerk call each, one result each; an address already a member or already invited is
 * caught first, from Roster's live data), revoke an invitation after a confirmation, or resend it
 * (Clerk revokes it and sends a new one). Every change goes through Clerk and stays pending on its
 * row until the list shows it; Clerk's own refusal shows as Clerk words it.
 */
export function InvitationsPanel({ organizationId }: { organizationId: string }) {
  const invitations = useQuery(api.organizations.invitations, { organizationId }) as Invitation[] | undefined;
  const { organization } = useOrganization();
  const roles = useOrganizationRoles();
  const pending = usePendingActions(invitations ?? []);
  const emailId = useId();
  const roleId = useId();
  const [text, setText] = useState("");
  const [role, setRole] = useState(DEFAULT_ROLE);
  const [problem, setProblem] = useState<string | null>(null);
  const [batch, setBatch] = useState<Array<{ address: string; check: AddressCheck; role: string }>>([]);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  /** Addresses whose resend revoked the old invitation but did not send the new one, with its role. */
  const [halfResent, setHalfResent] = useState<ReadonlyMap<string, string>>(new Map());

  // "Already a member", live from Roster for the addresses typed (checked again when they change).
  const typed = useDebouncedValue(
    useMemo(() => parseAddresses(text).slice(0, MAX_INVITE_ADDRESSES), [text]),
    200,
  );
  const memberCheck = useQuery(
    api.organizations.memberAddressesAmong,
    typed.length === 0 ? "skip" : { organizationId, emailAddresses: typed },
  );
  // Every answer is kept (by address), so a send right after typing uses the last one known.
  const [members, setMembers] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [lastCheck, setLastCheck] = useState<string | null>(null);
  const checkKey = memberCheck === undefined ? null : JSON.stringify([typed, memberCheck]);
  if (memberCheck !== undefined && checkKey !== lastCheck) {
    setLastCheck(checkKey);
    const found = new Set(memberCheck);
    const next = new Map(members);
    for (const address of typed) next.set(address, found.has(address));
    setMembers(next);
  }

  // What the typed addresses already are, shown under the field as they are typed.
  const known = checkAddresses(
    typed,
    new Set(typed.filter((address) => members.get(address) === true)),
    invitations ?? [],
  ).filter(({ check }) => check.kind === "member" || check.kind === "invited");

  const hasEmail = (list: Invitation[], address: string) =>
    list.some((invitation) => invitation.emailAddress !== null && keyOf(invitation.emailAddress) === address);

  function send(address: string, sendRole: string) {
    if (!organization) return;
    void pending.run(
      inviteKey(address),
      `Inviting ${address}`,
      () => organization.inviteMember({ emailAddress: address, role: sendRole }),
      (now) => hasEmail(now, address),
    );
  }

  function invite(event: FormEvent) {
    event.preventDefault();
    if (!organization) return;
    const addresses = parseAddresses(text);
    if (addresses.length === 0) {
      setProblem("Enter an email address, like name@example.com.");
      return;
    }
    if (addresses.length > MAX_INVITE_ADDRESSES) {
      setProblem(`Invite at most ${MAX_INVITE_ADDRESSES} addresses at once.`);
      return;
    }
    const known = new Set(addresses.filter((address) => members.get(address) === true));
    const checked = checkAddresses(addresses, known, invitations ?? []);
    if (checked.every(({ check }) => check.kind === "invalid")) {
      setProblem(
        addresses.length === 1
          ? "Enter an email address, like name@example.com."
          : "None of these is an email address, like name@example.com.",
      );
      return;
    }
    setProblem(null);
    setBatch(checked.map((entry) => ({ ...entry, role })));
    setText("");
    setRole(DEFAULT_ROLE);
    for (const { address, check } of checked) if (check.kind === "send") send(address, role);
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
    const key = keyOf(address);
    const resendRole = invitation.role ?? DEFAULT_ROLE;
    setHalfResent((now) => {
      const next = new Map(now);
      next.delete(key);
      return next;
    });
    void pending.run(
      key,
      `Resending the invitation to ${address}`,
      async () => {
        await (await clerkInvitation(organization, invitation.invitationId)).revoke();
        try {
          await organization.inviteMember({ emailAddress: address, role: resendRole });
        } catch (error) {
          setHalfResent((now) => new Map(now).set(key, resendRole));
          throw new HalfResent(
            `The old invitation was revoked, but the new one was not sent, so ${address} has no invitation now. ${clerkMessage(error)}`,
          );
        }
      },
      (now) => !now.some((candidate) => candidate.invitationId === invitation.invitationId) && hasEmail(now, key),
    );
  }

  /** After a half-done resend: send the new invitation again, under the same row. */
  function sendAgain(key: string) {
    const againRole = halfResent.get(key);
    if (!organization || againRole === undefined) return;
    setHalfResent((now) => {
      const next = new Map(now);
      next.delete(key);
      return next;
    });
    void pending.run(
      key,
      `Sending a new invitation to ${key}`,
      () => organization.inviteMember({ emailAddress: key, role: againRole }),
      (now) => hasEmail(now, key),
    );
  }

  const sendAgainAction = (key: string) =>
    halfResent.has(key) ? { label: "Send again", onClick: () => sendAgain(key) } : undefined;

  const listed = new Set((invitations ?? []).flatMap((i) => (i.emailAddress === null ? [] : [keyOf(i.emailAddress)])));
  // Revokes and resends whose row has gone (the invitation is no longer listed) keep their line.
  const ghosts = pending.keys.filter((key) => !key.startsWith("invite:") && !listed.has(key));
  const batchInvitation = (address: string) =>
    (invitations ?? []).find(
      (invitation) => invitation.emailAddress !== null && keyOf(invitation.emailAddress) === address,
    );

  return (
    <Panel title="Invitations" description="Invite people by email; they join once they accept.">
      <form onSubmit={invite} noValidate className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-52">
          <label htmlFor={emailId} className="block text-sm font-medium text-slate-700">
            Email addresses
          </label>
          <textarea
            id={emailId}
            value={text}
            rows={text.includes("\n") ? 3 : 1}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              // Enter sends, as in a one-line field; Shift+Enter starts a new line.
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
            autoComplete="off"
            placeholder="name@example.com, another@example.com"
            aria-invalid={problem !== null}
            aria-describedby={[
              `${emailId}-hint`,
              ...(known.length > 0 ? [`${emailId}-known`] : []),
              ...(problem !== null ? [`${emailId}-problem`] : []),
            ].join(" ")}
            className="mt-1 block w-full resize-y rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none"
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
          Send invitations
        </button>
        {known.length > 0 ? (
          <ul id={`${emailId}-known`} aria-label="Already on the team" className="w-full text-sm text-amber-900">
            {known.map(({ address, check }) => (
              <li key={address} className="[overflow-wrap:anywhere]">
                {address}: {check.kind === "member" ? "already a member" : "already invited"}
              </li>
            ))}
          </ul>
        ) : null}
        <p id={`${emailId}-hint`} className="w-full text-xs text-slate-600">
          Several at once: separate them with commas, spaces or new lines (up to {MAX_INVITE_ADDRESSES}). Each gets its
          own invitation, and its own result below.
        </p>
        {problem !== null ? (
          <p id={`${emailId}-problem`} role="alert" className="w-full text-sm text-red-700">
            {problem}
          </p>
        ) : null}
      </form>

      {batch.length > 0 ? (
        <div className="mt-4 rounded-xl border border-slate-200 bg-slate-50/60 p-3">
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold text-slate-900">Last sent</h3>
            <button
              type="button"
              onClick={() => setBatch([])}
              className="rounded text-sm font-medium text-slate-700 underline underline-offset-2"
            >
              Clear
            </button>
          </div>
          <ul aria-label="Invitation results" className="mt-2 grid gap-2">
            {batch.map(({ address, check, role: sentRole }) => {
              const key = inviteKey(address);
              const state = pending.stateOf(key);
              const existing = check.kind === "invited" ? batchInvitation(address) : undefined;
              return (
                <li key={address} className="text-sm">
                  {check.kind === "invalid" ? (
                    <p className="text-red-800">
                      <span className="font-medium [overflow-wrap:anywhere]">{address}</span>: not an email address; not
                      sent.
                    </p>
                  ) : check.kind === "member" ? (
                    <p className="text-amber-900">
                      <span className="font-medium [overflow-wrap:anywhere]">{address}</span>: already a member of this
                      team; not sent.
                    </p>
                  ) : check.kind === "invited" ? (
                    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-amber-900">
                      <p>
                        <span className="font-medium [overflow-wrap:anywhere]">{address}</span>: already invited; not
                        sent again. Resend it?
                      </p>
                      {existing ? (
                        <button
                          type="button"
                          onClick={() => resend(existing)}
                          disabled={pending.stateOf(address)?.phase === "saving"}
                          aria-label={`Resend the invitation to ${address}`}
                          className={BUTTON_SECONDARY}
                        >
                          Resend
                        </button>
                      ) : null}
                    </div>
                  ) : state ? (
                    <PendingNote
                      state={state}
                      onDismiss={() => pending.dismiss(key)}
                      action={{ label: "Try again", onClick: () => send(address, sentRole) }}
                    />
                  ) : listed.has(address) ? (
                    <p className="text-emerald-800">
                      <span className="font-medium [overflow-wrap:anywhere]">{address}</span>: invited.
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}

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
                    <PendingNote
                      state={pending.stateOf(key)}
                      onDismiss={() => pending.dismiss(key)}
                      action={sendAgainAction(key)}
                    />
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
                        <p
                          className="truncate text-sm font-medium text-slate-900"
                          title={invitation.emailAddress ?? undefined}
                        >
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
                          onClick={() => setRevoking(invitation)}
                          aria-label={`Revoke the invitation to ${invitation.emailAddress ?? "this address"}`}
                          className={BUTTON_SECONDARY}
                        >
                          Revoke
                        </button>
                      </div>
                    </div>
                    {state ? (
                      <div className="mt-2">
                        <PendingNote
                          state={state}
                          onDismiss={() => pending.dismiss(key)}
                          action={sendAgainAction(key)}
                        />
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the invitation to ${revoking?.emailAddress ?? "this address"}?`}
        confirmLabel="Revoke invitation"
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke(revoking);
          setRevoking(null);
        }}
      >
        <p>
          A revoked invitation cannot be restored: the link in its email stops working. To invite this address again
          later, send a new invitation.
        </p>
      </ConfirmDialog>
    </Panel>
  );
}
