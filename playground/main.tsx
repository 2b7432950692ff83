/**
 * The playground's entry (never part of the app's build: vite.config.ts builds it only in
 * `--mode playground`). Roster's real routes and views, over Roster's real Convex functions
 * running in a Web Worker (backend/worker.ts), with a simulated Clerk (test/react/clerkMock.tsx,
 * the `@clerk/react` of this build) and a drawer that sends signed Clerk events.
 */
import "./processShim";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ConvexTestProvider } from "../test/react/convexTestHooks";
import {
  clerkState,
  identityOf,
  setClerkBackend,
  setSignInChoices,
  signIn,
  subscribeToClerk,
} from "../test/react/clerkMock";
import { TestConvexClient } from "../test/react/TestConvexClient";
import { WorkerBackend } from "./backend/workerBackend";
import { playgroundClerk } from "./clerkBackend";
import { PLAYGROUND_ISSUER } from "./config";
import { SIGN_IN_CHOICES } from "./people";
import { PlaygroundApp } from "./PlaygroundApp";
import "./playground.css";

const backend = new WorkerBackend(new Worker(new URL("./backend/worker.ts", import.meta.url), { type: "module" }));
const client = new TestConvexClient(backend, null);
backend.onChange(() => void client.refresh());

// Who is signed in decides who the backend sees (set before React renders the signed-in views).
let signedInAs: string | null = null;
subscribeToClerk(() => {
  const { user } = clerkState();
  if ((user?.id ?? null) === signedInAs) return;
  signedInAs = user?.id ?? null;
  void client.setIdentity(user === null ? null : identityOf(user, PLAYGROUND_ISSUER));
});
setSignInChoices(SIGN_IN_CHOICES);
// The team page's invitations, role changes, removals and new teams: answered, then their webhooks.
const clerk = playgroundClerk(backend, client);
setClerkBackend(clerk.backend);

// `?as=user_…` signs that person in at once (links from the README, and the browser check).
const as = new URLSearchParams(window.location.search).get("as");
const chosen = SIGN_IN_CHOICES.find((choice) => choice.id === as);
if (chosen) signIn(chosen, chosen.lastActiveOrganization ?? null);

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <ConvexTestProvider client={client}>
      <PlaygroundApp backend={backend} client={client} clerk={clerk} />
    </ConvexTestProvider>
  </StrictMode>,
);
