import { useLayoutEffect, useRef, useState, type RefObject } from "react";

/**
 * Whether the element's text is cut off (wider than its box), measured again whenever the box
 * changes size. While the element itself has focus it keeps its last answer: text shown in full on
 * focus fits, and losing the answer would take away the focus that shows it.
 */
export function useIsCut(ref: RefObject<HTMLElement | null>, text: string, enabled = true): boolean {
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!enabled || element === null) return;
    const measure = () => {
      if (document.activeElement !== element) setCut(element.scrollWidth > element.clientWidth + 1);
    };
    measure();
    element.addEventListener("blur", measure);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      element.removeEventListener("blur", measure);
    };
  }, [ref, text, enabled]);
  return cut;
}

/**
 * A name cut to one line with an ellipsis whose full text stays within reach: on hover (`title`),
 * to a screen reader (the text in the page is whole; only its display is cut), and from the keyboard.
 *
 * - `focus="self"` (plain text, such as a member's name): once the text is actually cut, it takes
 *   focus (Tab) and shows in full, wrapped, while focused (in a flex row that may wrap, on a line of
 *   its own). Text that fits adds no tab stop.
 * - `focus="group"` (inside a button or link, which takes focus itself): the text shows in full
 *   while that ancestor, marked with Tailwind's `group` class, has keyboard focus.
 */
export function TruncatedText({
  text,
  className = "",
  focus = "self",
}: {
  text: string;
  className?: string;
  focus?: "self" | "group";
}) {
  const ref = useRef<HTMLSpanElement>(null);
  const cut = useIsCut(ref, text, focus === "self");
  const expand =
    focus === "self"
      ? "focus-visible:basis-full focus-visible:overflow-visible focus-visible:whitespace-normal focus-visible:[overflow-wrap:anywhere]"
      : "group-focus-visible:overflow-visible group-focus-visible:whitespace-normal group-focus-visible:[overflow-wrap:anywhere]";
  return (
    <span
      ref={ref}
      title={text}
      tabIndex={focus === "self" && cut ? 0 : undefined}
      className={`truncate ${expand} ${className}`}
    >
      {text}
    </span>
  );
}
