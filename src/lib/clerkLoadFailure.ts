/**
 * When Clerk's script cannot load, `@clerk/react` renders <ClerkFailed> (Roster's "Clerk is
 * unreachable" screen) and also rejects a promise nobody awaits. The screen already says what is
 * wrong, so that one rejection is marked handled; every other error still surfaces.
 */
export function isClerkLoadFailure(reason: unknown): boolean {
  if (reason === null || typeof reason !== "object") return false;
  const code = "code" in reason ? reason.code : undefined;
  const message = "message" in reason && typeof reason.message === "string" ? reason.message : "";
  return code === "failed_to_load_clerk_js" || message.includes("failed_to_load_clerk_js");
}

/** Marks Clerk's unawaited load failure as handled (see above). */
export function ignoreClerkLoadFailureRejections(target: Pick<Window, "addEventListener">): void {
  target.addEventListener("unhandledrejection", (event) => {
    if (isClerkLoadFailure(event.reason)) event.preventDefault();
  });
}

/** Whether Clerk's script (clerk-js or its UI) failed to load, and who wants to hear when it does. */
export type ClerkScriptWatch = {
  failed: () => boolean;
  subscribe: (listener: () => void) => () => void;
  stop: () => void;
};

/**
 * Is `target` one of the scripts @clerk/shared appends for clerk-js or Clerk's UI? They carry the
 * publishable key as an attribute, and load from `…/npm/@clerk/clerk-js@…` or `…/npm/@clerk/ui@…`.
 */
export function isClerkScript(target: unknown): boolean {
  if (typeof HTMLScriptElement === "undefined" || !(target instanceof HTMLScriptElement)) return false;
  if (
    target.hasAttribute("data-clerk-publishable-key") ||
    target.hasAttribute("data-clerk-js-script") ||
    target.hasAttribute("data-clerk-ui-script")
  )
    return true;
  return /\/npm\/@clerk\/(clerk-js|ui)@/.test(target.getAttribute("src") ?? "");
}

/**
 * Listens for Clerk's script failing to load. @clerk/react only reports `status: "error"` after its
 * own 15-second timeout (it retries the script meanwhile); the browser tells us at once, through
 * the script's `error` event. That event does not bubble, so the listener captures on `target`.
 * Install it before ClerkProvider renders (main.tsx), so an early failure is not missed.
 */
export function watchClerkScript(target: Pick<Document, "addEventListener" | "removeEventListener">): ClerkScriptWatch {
  let failed = false;
  const listeners = new Set<() => void>();
  const onError = (event: Event) => {
    if (failed || !isClerkScript(event.target)) return;
    failed = true;
    for (const listener of listeners) listener();
  };
  target.addEventListener("error", onError, true);
  return {
    failed: () => failed,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => target.removeEventListener("error", onError, true),
  };
}

let appWatch: ClerkScriptWatch | undefined;

/** The app's one watch over `document`, created on first use (main.tsx uses it before rendering). */
export function clerkScriptWatch(): ClerkScriptWatch {
  appWatch ??= watchClerkScript(document);
  return appWatch;
}
