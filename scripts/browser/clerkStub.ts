/**
 * A stand-in for Clerk's browser scripts (clerk-js and its UI), served by the browser check in place
 * of Clerk's Frontend API so the real app's build gets past "Clerk is loading" with nobody signed in,
 * without any network: enough for @clerk/react to load, not a Clerk. Used to reach the screens that
 * come after Clerk (Convex unreachable).
 */
export const CLERK_JS_STUB = `(() => {
  const resources = { client: { sessions: [], signedInSessions: [], lastActiveSessionId: null }, session: null, user: null, organization: null };
  const listeners = new Set();
  const known = {
    loaded: false,
    version: "stub",
    instanceType: "development",
    frontendApi: "",
    client: resources.client,
    session: null,
    user: null,
    organization: null,
    isSignedIn: false,
    then: undefined,
    status: undefined,
    telemetry: undefined,
    billing: undefined,
    apiKeys: undefined,
    __internal_state: undefined,
    __internal_environment: undefined,
    async load() {
      known.loaded = true;
      for (const listener of listeners) listener(resources);
    },
    addListener(listener, options) {
      listeners.add(listener);
      if (known.loaded && !options?.skipInitialEmit) listener(resources);
      return () => listeners.delete(listener);
    },
  };
  // Every other method (mountSignIn, on, off, ...) does nothing; always the same function, so a
  // useSyncExternalStore snapshot read through it stays stable.
  const nothing = () => undefined;
  window.Clerk = new Proxy(known, { get: (target, name) => (name in target ? target[name] : nothing) });
})();`;

export const CLERK_UI_STUB = `window.__internal_ClerkUICtor = class {};`;

/** Clerk's script URLs: \`https://<frontend api>/npm/@clerk/clerk-js@<version>/dist/…\` and \`…/npm/@clerk/ui@…\`. */
export const CLERK_SCRIPT = /\/npm\/@clerk\/(clerk-js|ui)@/;
