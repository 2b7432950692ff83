import { useSyncExternalStore } from "react";

/**
 * The team the viewer just left or deleted, remembered above the team page's views: the page that
 * showed the team goes away with the membership, and the next one says what happened ("You left
 * X") and what to do next. Cleared by dismissing it or signing in as someone else (a reload).
 */
export type Departure = {
  /** Who left: a departure is shown to them only (the playground signs several people in in turn). */
  userId: string;
  organizationId: string;
  name: string;
  how: "left" | "deleted";
};

let current: Departure | null = null;
const listeners = new Set<() => void>();

function set(next: Departure | null): void {
  current = next;
  for (const listener of listeners) listener();
}

/** Remembers that the viewer left (or deleted) a team, once Clerk has agreed. */
export function announceDeparture(departure: Departure): void {
  set(departure);
}

/** Forgets the last departure (the notice was dismissed). */
export function clearDeparture(): void {
  set(null);
}

/** `userId`'s last departure, live (null for anyone else's). */
export function useDeparture(userId: string | null | undefined): Departure | null {
  const departure = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  return departure !== null && departure.userId === userId ? departure : null;
}
