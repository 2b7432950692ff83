import { useEffect, useId, useRef } from "react";

const BUTTON =
  "rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";

/**
 * Why the viewer cannot leave (or be taken out of) a team yet: Clerk insists that someone keeps the
 * permissions to manage its members and to delete it. Offers the two ways out that exist — make
 * another member an admin, or delete the team — where the viewer may take them. A modal `<dialog>`:
 * Escape or Close shuts it and focus goes back to `returnFocus`.
 */
export function LastKeeperDialog({
  open,
  teamName,
  clerkWords,
  onMakeAdmin,
  onDelete,
  onClose,
  returnFocus,
}: {
  open: boolean;
  teamName: string;
  /** Clerk's own refusal, when it came from Clerk rather than Roster's check. */
  clerkWords?: string | null;
  /** Offered when there is someone else to make admin and the viewer may. */
  onMakeAdmin?: () => void;
  /** Offered when the viewer may delete the team. */
  onDelete?: () => void;
  onClose: () => void;
  returnFocus?: React.RefObject<HTMLElement | null>;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  /** A way out was chosen: it places the focus itself. */
  const chosen = useRef(false);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      element.showModal();
      first.current?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);

  const choose = (action: () => void) => {
    chosen.current = true;
    dialog.current?.close();
    action();
  };

  return (
    <dialog
      ref={dialog}
      onClose={() => {
        onClose();
        const target = chosen.current ? null : returnFocus?.current;
        chosen.current = false;
        if (target) setTimeout(() => target.isConnected && target.focus(), 0);
      }}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="px-5 pt-5">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          Someone has to keep {teamName}
        </h2>
        <div id={`${id}-body`} className="mt-2 space-y-2 text-sm text-slate-600">
          <p>
            Every team needs at least one member who may manage its members and delete it (an admin). You are the only
            one, so you cannot leave or give up that role yet.
          </p>
          <p>
            {onMakeAdmin && onDelete
              ? "Make another member an admin first, or delete the team."
              : onMakeAdmin
                ? "Make another member an admin first."
                : onDelete
                  ? "You are its only member: delete the team instead."
                  : "Ask Clerk's dashboard owner to give someone else these permissions."}
          </p>
          {clerkWords ? (
            <p className="rounded-lg bg-slate-100 px-3 py-2 text-slate-700">Clerk says: {clerkWords}</p>
          ) : null}
        </div>
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-3 rounded-b-2xl border-t border-slate-100 bg-slate-50/60 px-5 py-3">
        <button ref={first} type="button" onClick={() => dialog.current?.close()} className={BUTTON}>
          Close
        </button>
        {onDelete ? (
          <button type="button" onClick={() => choose(onDelete)} className={BUTTON}>
            Delete the team…
          </button>
        ) : null}
        {onMakeAdmin ? (
          <button
            type="button"
            onClick={() => choose(onMakeAdmin)}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
          >
            Make someone else admin
          </button>
        ) : null}
      </div>
    </dialog>
  );
}
