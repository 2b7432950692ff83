/**
 * Roster's Convex modules read `process.env` when they load (convex/_generated/server's `env`);
 * the drawer's event plans import the webhook registry, so the page needs a `process` too (an
 * empty environment: the page is not the deployment; backend/workerGlobals.ts sets the worker's).
 */
const scope = globalThis as unknown as { process?: { env: Record<string, string | undefined> } };
scope.process ??= { env: {} };
