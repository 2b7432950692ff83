import { countOf, formatCount } from "../../../lib/format";
import type { SyncRun } from "../lib/sync";

const KINDS = [
  { kind: "users", noun: "user" },
  { kind: "organizations", noun: "organization" },
  { kind: "memberships", noun: "membership" },
] as const;

/**
 * What a reconcile waiting at its cap would remove, per kind, against the rows it checked, and
 * the cap it went past. Nothing is removed until an admin confirms.
 */
export function SyncRemovalSummary({ removal }: { removal: NonNullable<SyncRun["removal"]> }) {
  const total = removal.found.users + removal.found.organizations + removal.found.memberships;
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">
        This reconcile would remove {countOf(total, "row")}: more than its cap ({countOf(removal.maxRows, "row")} or{" "}
        {formatCount(removal.maxPercent)}&nbsp;% of a table). Nothing has been removed.
      </p>
      <ul aria-label="Would remove" className="mt-1.5 space-y-0.5 tabular-nums">
        {KINDS.map(({ kind, noun }) => {
          const checked = removal.checked[kind];
          const share = checked === 0 ? 0 : Math.round((removal.found[kind] / checked) * 100);
          return (
            <li key={kind}>
              {countOf(removal.found[kind], noun)} of {formatCount(checked)} ({share}&nbsp;%)
            </li>
          );
        })}
      </ul>
      <p className="mt-1.5 text-amber-800">
        Confirm if Clerk really lost them: Roster asks Clerk about each one again before removing it, and a removed row
        comes back when Clerk shows it again. If these numbers look wrong (another Clerk instance&rsquo;s key, a wrong
        CLERK_API_URL), cancel: nothing is removed.
      </p>
    </div>
  );
}
