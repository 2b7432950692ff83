import { Avatar } from "../../components/Avatar";
import { RoleBadge } from "../../components/RoleBadge";

export type MemberSummary = {
  membershipId: string;
  name: string;
  identifier: string | null;
  imageUrl: string | null;
  role: string;
  roleName: string | null;
  isActive: boolean;
};

/** One member: picture, name, email, role, and whether they are signed in right now. */
export function MemberRow({ member }: { member: MemberSummary }) {
  return (
    <li className="flex items-center gap-3 py-3">
      <span className="relative">
        <Avatar name={member.name} imageUrl={member.imageUrl} />
        {member.isActive ? (
          <span
            aria-hidden="true"
            className="absolute -right-0.5 -bottom-0.5 size-3 rounded-full bg-emerald-500 ring-2 ring-white"
          />
        ) : null}
      </span>
      <div className="min-w-0 flex-1">
        <p className="flex min-w-0 items-center gap-2">
          <span className="truncate font-medium text-slate-900">{member.name}</span>
          {member.isActive ? <span className="shrink-0 text-xs font-medium text-emerald-700">Active now</span> : null}
        </p>
        <p className="truncate text-sm text-slate-500">{member.identifier ?? "No email"}</p>
      </div>
      <RoleBadge role={member.role} roleName={member.roleName} />
    </li>
  );
}
