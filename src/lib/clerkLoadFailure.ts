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
