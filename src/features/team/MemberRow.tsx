import { useId, useRef, useState } from "react";
import { Avatar } from "../../components/Avatar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { RoleBadge, UNKNOWN_ROLE_HINT } from "../../components/RoleBadge";
import { TruncatedText } from "../../components/TruncatedText";
import { roleLabel } from "../../lib/format";
import { MemberMenu } from "./MemberMenu";
import { PendingNote } from "./PendingNote";
import type { PendingState } from "./usePendingActions";
import type { RoleOption } from "./useOrganizationRoles";

export type MemberSummary = {
  membershipId: string;
  userId: string;
  name: string;
  identifier: string | null;
  imageUrl: string | null;
  role: string;
  roleName: string | null;
  /** The role's key names no role Clerk has: it grants nothing. */
  roleUnknown?: boolean;
  isActive: boolean;
};

/**
 * One member: picture, name, email, role, and whether they are signed in right now. For those who
 * may manage members, the role is a select and a menu offers changing it or removing the member
 * (after a confirmation); a pending change shows under the row until the team shows it.
 */
export function MemberRow({
  member,
  isYou,
  canManage,
  roles,
  pending,
  onChangeRole,
  onRemove,
  onDismiss,
}: {
  member: MemberSummary;
  isYou: boolean;
  canManage: boolean;
  roles: readonly RoleOption[];
  pending?: PendingState;
  onChangeRole?: (role: string) => void;
  onRemove?: () => void;
  onDismiss?: () => void;
}) {
  const selectId = useId();
  const roleSelect = useRef<HTMLSelectElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const manageable = canManage && !isYou;
  const busy = pending?.phase === "saving";
  const options =
    roles.some((role) => role.key === member.role) && !member.roleUnknown
      ? roles
      : [
          { key: member.role, name: member.roleUnknown ? "Unknown role" : roleLabel(member.role, member.roleName) },
          ...roles.filter((role) => role.key !== member.role),
        ];

  return (
    <li className="py-3" aria-busy={busy}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="relative">
          <Avatar name={member.name} imageUrl={member.imageUrl} />
          {member.isActive ? (
            <span
              aria-hidden="true"
              className="absolute -right-0.5 -bottom-0.5 size-3 rounded-full bg-emerald-500 ring-2 ring-white"
            />
          ) : null}
        </span>
        <div className="min-w-0 flex-1 basis-40">
          {/* A cut-off name shown whole on focus takes the line; "You" and "Active now" move under it. */}
          <p className="flex min-w-0 items-center gap-x-2 has-[:focus-visible]:flex-wrap">
            <TruncatedText text={member.name} className="font-medium text-slate-900" />
            {isYou ? (
              <span className="shrink-0 rounded-full bg-slate-800 px-2 py-0.5 text-xs font-semibold text-white">
                You
              </span>
            ) : null}
            {member.isActive ? <span className="shrink-0 text-xs font-medium text-emerald-700">Active now</span> : null}
          </p>
          <p className="flex min-w-0 text-sm text-slate-600">
            <TruncatedText text={member.identifier ?? "No email"} />
          </p>
        </div>
        {manageable ? (
          <div className="flex items-center gap-1">
            <label htmlFor={selectId} className="sr-only">
              Role of {member.name}
            </label>
            <select
              id={selectId}
              ref={roleSelect}
              value={member.role}
              disabled={busy}
              onChange={(event) => onChangeRole?.(event.target.value)}
              title={member.roleUnknown ? UNKNOWN_ROLE_HINT : undefined}
              className="rounded-lg border border-slate-300 bg-white py-1.5 pr-8 pl-2 text-sm text-slate-800 shadow-sm focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none disabled:opacity-60"
            >
              {options.map((role) => (
                <option key={role.key} value={role.key}>
                  {role.name}
                </option>
              ))}
            </select>
            <MemberMenu
              name={member.name}
              disabled={busy}
              buttonRef={menuButton}
              onChangeRole={() => roleSelect.current?.focus()}
              onRemove={() => setConfirming(true)}
            />
          </div>
        ) : (
          <RoleBadge role={member.role} roleName={member.roleName} unknown={member.roleUnknown} />
        )}
      </div>
      {pending ? (
        <div className="mt-2 sm:pl-13">
          <PendingNote state={pending} onDismiss={() => onDismiss?.()} />
        </div>
      ) : null}
      {manageable ? (
        <ConfirmDialog
          open={confirming}
          title={`Remove ${member.name} from the team?`}
          confirmLabel="Remove"
          returnFocus={menuButton}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onRemove?.();
          }}
        >
          <p>They lose access to this team at once. You can invite them again later.</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
