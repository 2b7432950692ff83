import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import type { PendingState } from "./usePendingActions";

/**
 * What a row's change is doing, in a line under it: "Saving…" until the team shows it, Clerk's own
 * words when Clerk refused it, or a plain "Saved in Clerk; not synced yet" (with a link to sync
 * health for app admins) when Roster has not caught up after a while.
 */
export function PendingNote({
  state,
  onDismiss,
  action,
}: {
  state: PendingState | undefined;
  onDismiss: () => void;
  /** A way forward beside Dismiss when the change was refused (e.g. "Send again"). */
  action?: { label: string; onClick: () => void };
}) {
  const me = useQuery(api.users.me);
  if (state === undefined) return null;
  if (state.phase === "saving")
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <span
          aria-hidden="true"
          className="size-3 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600"
        />
        {state.label}: Saving…
      </p>
    );
  return (
    <div
      role={state.phase === "refused" ? "alert" : "status"}
      className={`flex flex-wrap items-start gap-x-3 gap-y-1 rounded-lg px-3 py-2 text-sm ${
        state.phase === "refused" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900"
      }`}
    >
      <p className="min-w-0 flex-1">
        {state.phase === "refused" ? (
          <>
            {state.label}: not saved. {state.message}
          </>
        ) : (
          <>
            {state.label}: saved in Clerk; not synced yet.{" "}
            {me?.isAppAdmin ? (
              <Link to="/admin" className="font-medium underline underline-offset-2">
                Check sync health
              </Link>
            ) : (
              "It shows here once Roster catches up."
            )}
          </>
        )}
      </p>
      {action && state.phase === "refused" ? (
        <button
          type="button"
          onClick={action.onClick}
          className="rounded font-semibold underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
        >
          {action.label}
        </button>
      ) : null}
      <button
        type="button"
        onClick={onDismiss}
        className="rounded font-medium underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
      >
        Dismiss
      </button>
    </div>
  );
}
