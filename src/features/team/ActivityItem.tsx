import { roleLabel } from "../../lib/format";
import { RelativeTime } from "../../components/RelativeTime";

export type ActivityKind =
  | "member_joined"
  | "member_left"
  | "member_left_self"
  | "member_removed"
  | "role_changed"
  | "invitation_sent"
  | "invitation_accepted"
  | "invitation_revoked";

export type ActivityEntry = {
  id: string;
  kind: ActivityKind;
  subject: string;
  role: string | null;
  at: number;
  /** Who acted (a removal made through Roster), by name. */
  actor?: string | null;
};

const DOT: Record<ActivityKind, string> = {
  member_joined: "bg-emerald-500",
  member_left: "bg-slate-400",
  member_left_self: "bg-slate-400",
  member_removed: "bg-slate-400",
  role_changed: "bg-brand-500",
  invitation_sent: "bg-sky-500",
  invitation_accepted: "bg-emerald-500",
  invitation_revoked: "bg-red-400",
};

/**
 * The sentence for one entry: "Ada Lovelace joined as Admin". A departure says "left" or "was
 * removed by …" only when Roster knows who acted (it asked Clerk itself); Clerk's webhook alone
 * cannot tell the two apart, so otherwise the words are neutral.
 */
export function describeActivity(entry: Pick<ActivityEntry, "kind" | "role" | "actor">): string {
  const role = entry.role === null ? null : roleLabel(entry.role);
  switch (entry.kind) {
    case "member_joined":
      return role ? `joined as ${role}` : "joined";
    case "member_left":
      return "is no longer a member";
    case "member_left_self":
      return "left the team";
    case "member_removed":
      return entry.actor ? `was removed by ${entry.actor}` : "was removed from the team";
    case "role_changed":
      return role ? `is now ${role}` : "changed role";
    case "invitation_sent":
      return role ? `was invited as ${role}` : "was invited";
    case "invitation_accepted":
      return "accepted the invitation";
    case "invitation_revoked":
      return "had their invitation revoked";
  }
}

/** One line of the activity feed. */
export function ActivityItem({ entry }: { entry: ActivityEntry }) {
  return (
    <li className="relative flex gap-3 pb-4 last:pb-0">
      <span
        aria-hidden="true"
        className={`mt-1.5 size-2.5 shrink-0 rounded-full ring-4 ring-white ${DOT[entry.kind]}`}
      />
      <div className="min-w-0 text-sm">
        <p className="text-slate-700">
          <span className="font-medium text-slate-900">{entry.subject}</span> {describeActivity(entry)}
        </p>
        <p className="text-xs text-slate-500">
          <RelativeTime at={entry.at} />
        </p>
      </div>
    </li>
  );
}
