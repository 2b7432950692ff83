import { roleLabel } from "../lib/format";

/** A member's role as a small pill; admins stand out. */
export function RoleBadge({ role, roleName }: { role: string | null; roleName: string | null }) {
  const isAdmin = role === "org:admin";
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        isAdmin ? "bg-brand-50 text-brand-700 ring-brand-100" : "bg-slate-50 text-slate-600 ring-slate-200"
      }`}
    >
      {roleLabel(role, roleName)}
    </span>
  );
}
