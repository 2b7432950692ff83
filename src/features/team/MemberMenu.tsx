import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from "react";

/**
 * A member's actions menu (change role, remove): a button that opens a menu; arrows move between
 * items, Enter chooses, Escape or a click elsewhere closes it and focus returns to the button.
 */
export function MemberMenu({
  name,
  disabled,
  onChangeRole,
  onRemove,
  buttonRef,
}: {
  name: string;
  disabled: boolean;
  onChangeRole: () => void;
  onRemove: () => void;
  /** The menu's button, for whoever gives focus back to it (a dialog the menu opened). */
  buttonRef?: RefObject<HTMLButtonElement | null>;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const ownButton = useRef<HTMLButtonElement>(null);
  const button = buttonRef ?? ownButton;
  const items = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    if (!open) return;
    items.current[0]?.focus();
    const close = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  function closeAndFocus() {
    setOpen(false);
    button.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    const focusable = items.current.filter((item): item is HTMLButtonElement => item !== null);
    const index = focusable.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") {
      event.preventDefault();
      closeAndFocus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      focusable[(index + step + focusable.length) % focusable.length]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  }

  const choose = (action: () => void) => {
    setOpen(false);
    action();
  };

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-label={`Actions for ${name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        className="grid size-9 place-items-center rounded-lg text-slate-600 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5 fill-current">
          <path d="M10 6a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Zm0 5.5a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3ZM11.5 15.5a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0Z" />
        </svg>
      </button>
      {open ? (
        <div
          id={menuId}
          role="menu"
          aria-label={`Actions for ${name}`}
          onKeyDown={onKeyDown}
          className="absolute right-0 z-20 mt-1 w-48 rounded-xl border border-slate-200 bg-white p-1 shadow-lg"
        >
          <button
            ref={(element) => {
              items.current[0] = element;
            }}
            type="button"
            role="menuitem"
            onClick={() => choose(onChangeRole)}
            className="w-full rounded-lg px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
          >
            Change role
          </button>
          <button
            ref={(element) => {
              items.current[1] = element;
            }}
            type="button"
            role="menuitem"
            onClick={() => choose(onRemove)}
            className="w-full rounded-lg px-3 py-2 text-left text-sm text-red-700 hover:bg-red-50 focus:bg-red-50 focus:outline-none"
          >
            Remove from team
          </button>
        </div>
      ) : null}
    </div>
  );
}
