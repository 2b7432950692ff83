import { WEBHOOK_PATH } from "../scripts/lib/deployment";
import { signEvents } from "../scripts/webhook/plan";
import { sendAll } from "../scripts/webhook/send";
import type { ClerkEnvelope } from "../test/clerkEvents";
import { clerkState, identityOf } from "../test/react/clerkMock";
import { simulatedClerk, type SimulatedClerk } from "../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../test/react/TestConvexClient";
import type { WorkerBackend } from "./backend/workerBackend";
import { PLAYGROUND_ISSUER, PLAYGROUND_SIGNING_SECRET } from "./config";
import { MEMBERSHIP_REQUESTS, personById } from "./seed";

/**
 * The simulated instance's Organizations settings (playground/clerkRules.ts): personal accounts on,
 * and room for 10 members and pending invitations a team (Clerk's default is 5; an instance may
 * raise it), so the sample team of four with one invitation can still invite.
 */
export const PLAYGROUND_INSTANCE = { maxAllowedMemberships: 10, personalAccounts: true };

/** How long the simulated Clerk takes to deliver the webhooks of a change made on the team page. */
export const PLAYGROUND_WEBHOOK_DELAY_MS = 1200;

let sent = 0;

/** The playground's simulated Clerk, once made (the drawer adds requests to join to it). */
let current: SimulatedClerk | null = null;

/**
 * `person` asks to join `organizationId` in the simulated Clerk (Clerk keeps the request and sends
 * no webhook). False before the simulated Clerk exists.
 */
export function askToJoin(organizationId: string, person: Parameters<SimulatedClerk["addMembershipRequest"]>[1]) {
  if (current === null) return false;
  current.addMembershipRequest(organizationId, person);
  return true;
}

/**
 * The playground's simulated Clerk servers: invitations, role changes, removals, leaving and new
 * teams made on Roster's team page are refused as Clerk refuses them (playground/clerkRules.ts) or
 * answered at once, and their webhooks follow a moment later,
 * signed as Svix signs them, through the real `POST /clerk-webhook` route of the in-browser deployment.
 */
export function playgroundClerk(backend: WorkerBackend, client: TestConvexClient): SimulatedClerk {
  const clerk = simulatedClerk({
    post: async (event) => {
      const requests = signEvents(
        [{ label: "from the team page", event: event as ClerkEnvelope, expected: "applied" }],
        PLAYGROUND_SIGNING_SECRET,
        {
          signedAt: new Date(),
          newSvixId: () => `msg_team${Date.now().toString(36)}${(sent++).toString(36)}`,
          repeat: 0,
        },
      );
      await sendAll(
        WEBHOOK_PATH,
        requests,
        (path, init) => backend.fetch(path, init),
        () => {},
      );
      await client.refresh();
    },
    caller: () => {
      const { user } = clerkState();
      return user === null ? null : backend.withIdentity(identityOf(user, PLAYGROUND_ISSUER));
    },
    viewer: () => clerkState().user,
    delayMs: PLAYGROUND_WEBHOOK_DELAY_MS,
    instance: PLAYGROUND_INSTANCE,
  });
  // Requests to join live in Clerk alone (no webhook carries them): the sample world's one is here.
  for (const { organizationId, personId } of MEMBERSHIP_REQUESTS) {
    const person = personById(personId);
    if (person) clerk.addMembershipRequest(organizationId, person);
  }
  current = clerk;
  return clerk;
}
