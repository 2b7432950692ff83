import { roleLabel } from "../../lib/format";
import { RelativeTime } from "../../components/RelativeTime";

export type ActivityKind =
  "member_joined" | "member_left" | "role_changed" | "invitation_sent" | "invitation_accepted" | "invitation_revoked";

export type ActivityEntry = { id: string; kind: ActivityKind; subject: string; role: string | null; at: number };

const DOT: Record<ActivityKind, string> = {
  member_joined: "bg-emerald-500",
  member_left: "bg-slate-400",
  role_changed: "bg-brand-500",
  invitation_sent: "bg-sky-500",
  invitation_accepted: "bg-emerald-500",
  invitation_revoked: "bg-red-400",
};

/** The sentence for one entry: "Ada Lovelace joined as Admin". */
export function describeActivity(entry: Pick<ActivityEntry, "kind" | "role">): string {
  const role = entry.role === null ? null : roleLabel(entry.role);
  switch (entry.kind) {
    case "member_joined":
      return role ? `joined as ${role}` : "joined";
    case "member_left":
      return "left the organization";
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
