import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";

/**
 * A modal question before something hard to undo (the browser's own `<dialog>`: focus stays
 * inside, Escape closes it, and focus goes back to the button that opened it — or to `returnFocus`
 * when that button is gone, such as a menu's item). "Cancel" comes first and has the focus, so
 * Enter on a reflex does nothing harmful; `confirmDisabled` holds the action back (a name to type).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  returnFocus,
  confirmDisabled = false,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  returnFocus?: RefObject<HTMLElement | null>;
  confirmDisabled?: boolean;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      element.showModal();
      cancel.current?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      onClose={() => {
        onClose();
        // After the browser's own focus return (to the opener, if it is still there).
        const target = returnFocus?.current;
        if (target) setTimeout(() => target.isConnected && target.focus(), 0);
      }}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="px-5 pt-5">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <div id={`${id}-body`} className="mt-2 space-y-2 text-sm text-slate-600">
          {children}
        </div>
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-3 rounded-b-2xl border-t border-slate-100 bg-slate-50/60 px-5 py-3">
        <button
          ref={cancel}
          type="button"
          onClick={onClose}
          className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
        >
          Cancel
        </button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={confirmDisabled}
          className="rounded-lg bg-red-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
