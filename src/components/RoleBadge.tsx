import { roleLabel } from "../lib/format";

/** What an unknown role means, for the badge's hint. */
export const UNKNOWN_ROLE_HINT = "Clerk has no role with this key any more, so it grants nothing here.";

/**
 * A member's role as a small pill; admins stand out. `unknown`: the role's key names no role Clerk
 * has (deleted or renamed), so it grants nothing: the pill says "Unknown role" and why.
 */
export function RoleBadge({
  role,
  roleName,
  unknown = false,
}: {
  role: string | null;
  roleName: string | null;
  unknown?: boolean;
}) {
  if (unknown) {
    return (
      <span
        title={`${roleLabel(role, roleName)}: ${UNKNOWN_ROLE_HINT}`}
        className="inline-flex items-center rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset"
      >
        Unknown role
        <span className="sr-only">
          {" "}
          ({roleLabel(role, roleName)}): {UNKNOWN_ROLE_HINT}
        </span>
      </span>
    );
  }
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
