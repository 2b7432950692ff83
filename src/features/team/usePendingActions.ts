import { useCallback, useEffect, useRef, useState } from "react";
import { convexErrorData } from "../../lib/errors";

/** How long a change accepted by Clerk may wait for Roster to show it before the row says so. */
export const NOT_SYNCED_AFTER_MS = 15_000;
let notSyncedAfterMs = NOT_SYNCED_AFTER_MS;

/** Tests shorten the wait (`setNotSyncedAfter(50)`); `undefined` restores the default. */
export function setNotSyncedAfter(ms: number | undefined): void {
  notSyncedAfterMs = ms ?? NOT_SYNCED_AFTER_MS;
}

/**
 * Where one row's change stands: "saving" (Clerk asked, or Clerk agreed and Roster does not show it
 * yet), "refused" (Clerk said no: its message), "notSynced" (Clerk agreed long ago and Roster still
 * does not show it). A settled change leaves no entry: the row shows the live data again.
 */
export type PendingState =
  | { phase: "saving"; label: string }
  | { phase: "refused"; label: string; message: string }
  | { phase: "notSynced"; label: string };

type Entry<D> = PendingState & { id: number; isSettled: (data: D) => boolean; accepted: boolean };

type ClerkApiErrorLike = { errors: Array<{ message?: unknown; longMessage?: unknown }> };

/**
 * Clerk's own words for a refusal: a ClerkAPIResponseError's `errors[0].longMessage` (checked by
 * shape, as `isClerkAPIResponseError` does, so the first load need not carry Clerk's error module);
 * for a refusal from Roster before Clerk was asked (a ConvexError), Roster's message.
 */
export function clerkMessage(error: unknown): string {
  const roster = convexErrorData(error)?.message;
  if (typeof roster === "string" && roster !== "") return roster;
  const errors = (error as Partial<ClerkApiErrorLike> | null)?.errors;
  if (Array.isArray(errors)) {
    const first = errors[0];
    const words = first?.longMessage ?? first?.message;
    if (typeof words === "string" && words !== "") return words;
  }
  return error instanceof Error && error.message !== "" ? error.message : "Something went wrong. Try again.";
}

/** The code of a refusal: Clerk's `errors[0].code`, or Roster's ConvexError code; null for anything else. */
export function refusalCode(error: unknown): string | null {
  const roster = convexErrorData(error)?.code;
  if (typeof roster === "string") return roster;
  const errors = (error as { errors?: unknown } | null)?.errors;
  const code = Array.isArray(errors) ? (errors[0] as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === "string" ? code : null;
}

/** Roster's LAST_KEEPER, or Clerk's own refusal of the same rule. */
export function isLastKeeperRefusal(error: unknown): boolean {
  const code = refusalCode(error);
  return code === "LAST_KEEPER" || code === "organization_minimum_permissions_needed";
}

/**
 * Pending changes, one per row key, made through Clerk and settled by the live Convex data `data`:
 * `run(key, label, action, isSettled)` calls Clerk, and the row stays "saving" until
 * `isSettled(data)` holds (the webhook landed and the query shows it). If Clerk throws, the row
 * shows Clerk's message; if the data has not caught up `notSyncedAfterMs` after Clerk agreed, the
 * row says so plainly. Never pending forever.
 */
export function usePendingActions<D>(data: D) {
  const [entries, setEntries] = useState<ReadonlyMap<string, Entry<D>>>(new Map());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const nextId = useRef(0);

  const patch = useCallback((key: string, id: number, change: (entry: Entry<D>) => Entry<D> | null) => {
    setEntries((current) => {
      const entry = current.get(key);
      if (entry === undefined || entry.id !== id) return current;
      const next = new Map(current);
      const changed = change(entry);
      if (changed === null) next.delete(key);
      else next.set(key, changed);
      return next;
    });
  }, []);

  // Settle every pending change the live data now shows.
  useEffect(() => {
    const settled = [...entries].filter(([, entry]) => entry.phase !== "refused" && entry.isSettled(data));
    if (settled.length === 0) return;
    for (const [key] of settled) {
      clearTimeout(timers.current.get(key));
      timers.current.delete(key);
    }
    setEntries((current) => {
      const next = new Map(current);
      for (const [key, entry] of settled) if (next.get(key)?.id === entry.id) next.delete(key);
      return next;
    });
  }, [data, entries]);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);

  const run = useCallback(
    async (key: string, label: string, action: () => Promise<unknown>, isSettled: (data: D) => boolean) => {
      const id = ++nextId.current;
      clearTimeout(timers.current.get(key));
      setEntries((current) => new Map(current).set(key, { id, phase: "saving", label, isSettled, accepted: false }));
      try {
        await action();
      } catch (error) {
        patch(key, id, (entry) => ({ ...entry, phase: "refused", message: clerkMessage(error) }));
        return;
      }
      patch(key, id, (entry) => ({ ...entry, accepted: true }));
      timers.current.set(
        key,
        setTimeout(() => {
          timers.current.delete(key);
          patch(key, id, (entry) => (entry.phase === "saving" ? { ...entry, phase: "notSynced" } : entry));
        }, notSyncedAfterMs),
      );
    },
    [patch],
  );

  const dismiss = useCallback((key: string) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setEntries((current) => {
      if (!current.has(key)) return current;
      const next = new Map(current);
      next.delete(key);
      return next;
    });
  }, []);

  const stateOf = useCallback((key: string): PendingState | undefined => entries.get(key), [entries]);

  return { run, dismiss, stateOf, keys: [...entries.keys()] };
}
