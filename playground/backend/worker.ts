/**
 * The playground's Convex deployment: Roster's real functions (every module of convex/) run by
 * convex-test inside this Web Worker, with the real schema, the clerkSync component mounted and its
 * change hook calling Roster's (deployment.ts), the real HTTP router and the real scheduler. The
 * page sends queries, mutations and HTTP requests by message (protocol.ts); at start-up the worker
 * posts the sample world's Clerk events (seed.ts), signed, through `POST /clerk-webhook`. One
 * backend flow runs at a time (asyncLocalStorage.ts).
 */
import { afterEachTimer, clerkData } from "./workerGlobals";
import { makeFunctionReference } from "convex/server";
import { ConvexError } from "convex/values";
import { postEvent } from "../../test/webhookRequests";
import { PLAYGROUND_SIGNING_SECRET } from "../config";
import { seedEvents } from "../seed";
import { enter, leave, whenIdle } from "./asyncLocalStorage";
import { applyToClerkData } from "./clerkInstance";
import { playgroundDeployment } from "./deployment";
import type { BackendMessage, BackendRequest, SerializedError } from "./protocol";

// Roster's functions with the clerkSync component mounted (deployment.ts), under Convex's limits.
const t = playgroundDeployment();

const post = (message: BackendMessage) => self.postMessage(message);

/** Whether something wrote since the page last heard "changed". */
let dirty = false;
function announceChanges(): void {
  if (!dirty) return;
  dirty = false;
  post({ op: "changed" });
}
afterEachTimer(() => {
  dirty = true;
  // The timer's function is running now; say so once it (and anything it started) has settled.
  whenIdle(announceChanges);
});

/** Runs `work` as one backend flow, once every earlier flow has settled. */
function serially<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    whenIdle(() => {
      enter();
      work()
        .then(resolve, reject)
        .finally(() => {
          leave();
          whenIdle(announceChanges);
        });
    });
  });
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof ConvexError) return { message: error.message, convexErrorData: error.data as unknown };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function handle(request: BackendRequest): Promise<unknown> {
  if (request.op === "fetch") {
    dirty = true;
    const response = await t.fetch(request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    const body = await response.text();
    // What Clerk sent, Clerk has (when it applied: a stale snapshot is older than what Clerk holds),
    // so backfill and reconcile find the world the events described.
    if (request.path === "/clerk-webhook" && response.ok) {
      try {
        if ((JSON.parse(body) as { outcome?: unknown }).outcome === "applied")
          applyToClerkData(clerkData, JSON.parse(request.body));
      } catch {
        // Not JSON: nothing applied.
      }
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  }
  const caller = request.identity === null ? t : t.withIdentity(request.identity);
  if (request.op === "mutation") {
    dirty = true;
    return await caller.mutation(makeFunctionReference<"mutation">(request.name), request.args);
  }
  return await caller.query(makeFunctionReference<"query">(request.name), request.args);
}

self.addEventListener("message", (message: MessageEvent<BackendRequest>) => {
  const request = message.data;
  serially(() => handle(request)).then(
    (value) => post({ id: request.id, ok: true, value }),
    (error: unknown) => post({ id: request.id, ok: false, error: serializeError(error) }),
  );
});

/** Posts the sample world's history through the webhook route; says how it went. */
async function seed(): Promise<void> {
  const failures: string[] = [];
  const events = seedEvents(Date.now());
  for (const { event, expected, svixId } of events) {
    dirty = true;
    const response = await serially(() =>
      postEvent(t, event, { secret: PLAYGROUND_SIGNING_SECRET, ...(svixId === undefined ? {} : { svixId }) }),
    );
    const answer = (await response.json()) as { outcome?: string; error?: string };
    if (answer.outcome !== expected)
      failures.push(`${event.type}: ${answer.outcome ?? answer.error ?? response.status}`);
  }
  post({ op: "seeded", events: events.length, failures });
}

void seed();
