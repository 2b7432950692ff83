/**
 * The core of `npm run webhook`, free of I/O: command-line arguments and the environment in,
 * the list of signed requests out. Payloads come from the Clerk event catalog
 * (test/clerkEvents.ts); signatures are Svix's own (`svix`'s `Webhook.sign`), so the endpoint
 * verifies them exactly as it verifies Clerk's.
 */
import { Webhook } from "svix";
import {
  CLERK_EVENT_TYPES,
  clerkOrganization,
  clerkUser,
  DEFAULT_ROLES,
  isClerkEventType,
  primaryEmail,
  publicUserData,
  sampleEvent,
  type ClerkEnvelope,
  type ClerkEventType,
  type Overrides,
} from "../../test/clerkEvents";
import type { EnvValues } from "../lib/env";
import { WEBHOOK_PATH, webhookUrlOf } from "../lib/deployment";

/** A mistake on the command line or in the setup; the message says what to do. */
export class UsageError extends Error {}

export const SCENARIOS = ["out-of-order", "delete-then-late-update", "team"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type SenderArgs = {
  type: string | null;
  /** `--set path=value`, in order; the path starts at the envelope (`data.first_name`). */
  sets: Array<{ path: string[]; value: unknown }>;
  /** `--file payload.json`: a whole event, or just its `data`. */
  file: string | null;
  /** `--repeat [n]`: deliver every request n more times with the same svix-id. */
  repeat: number;
  scenario: Scenario | null;
  /** `--members n` for the team scenario. */
  members: number;
  url: string | null;
  dryRun: boolean;
  help: boolean;
};

export const MAX_MEMBERS = 1000;

export const USAGE = `Send signed Clerk webhook events to Roster's endpoint.

  npm run webhook -- <event-type> [options]
  npm run webhook -- --scenario team [--members 20]

Options:
  --set path=value    change the payload (repeatable): --set data.first_name=Ada
                      (values are JSON when they parse: 42, null, true, {"plan":"pro"}; else text)
  --file event.json   start from this payload (a whole event, or just its "data")
  --repeat [n]        deliver each request n more times with the same svix-id (default 1)
  --scenario name     out-of-order             the newer snapshot arrives before the older one
                      delete-then-late-update  created, deleted, then a late (newer) update
                      team                     an organization with --members members (default 5)
  --url url           post here instead of the deployment in .env.local
  --dry-run           sign the requests and print them (URL, svix-* headers, body) without
                      sending anything; needs a secret in the shell or .env.local, since it
                      does not ask the deployment for one

Each event's instance_id is CLERK_INSTANCE_ID from the shell or .env.local (the deployment's own
instance), else left out: an event without one is never checked against the deployment's pinned
Clerk instance and never pins one. --set instance_id=ins_… sends that one instead (on a deployment
with nothing pinned and no CLERK_SECRET_KEY, it pins it).

Signs with CLERK_WEBHOOK_SIGNING_SECRET from the shell or .env.local (else the deployment's, via
npx convex env get); warns on stderr when it does not start with whsec_. Posts to
VITE_CONVEX_URL's .convex.site host${WEBHOOK_PATH} (a local deployment's next port), or --url.

Exit codes: 0 every request was answered 2xx (or --dry-run, --help)
            1 a request was answered otherwise (4xx/5xx) or could not be delivered
            2 a mistake in the arguments or the setup (no URL, no secret): nothing was sent

Event types: ${CLERK_EVENT_TYPES.join(", ")}`;

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const ENVELOPE_KEYS = ["data", "type", "timestamp", "instance_id", "object", "event_attributes"];

/** Reads `npm run webhook` arguments. Throws a UsageError naming what is wrong. */
export function parseArgs(argv: string[]): SenderArgs {
  const args: SenderArgs = {
    type: null,
    sets: [],
    file: null,
    repeat: 0,
    scenario: null,
    members: 5,
    url: null,
    dryRun: false,
    help: false,
  };
  const valueOf = (i: number, flag: string): string => {
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
    return value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    switch (arg) {
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--set": {
        const assignment = valueOf(i++, "--set");
        const eq = assignment.indexOf("=");
        if (eq <= 0)
          throw new UsageError(`--set takes path=value, e.g. --set data.first_name=Ada (got "${assignment}").`);
        const path = assignment.slice(0, eq).split(".");
        if (!ENVELOPE_KEYS.includes(path[0]!)) {
          throw new UsageError(`--set ${assignment}: paths start at the event, e.g. data.${assignment.slice(0, eq)}.`);
        }
        args.sets.push({ path, value: parseValue(assignment.slice(eq + 1)) });
        break;
      }
      case "--file":
        args.file = valueOf(i++, "--file");
        break;
      case "--repeat": {
        const next = argv[i + 1];
        if (next !== undefined && /^\d+$/.test(next)) {
          args.repeat = Number(next);
          i += 1;
        } else {
          args.repeat = 1;
        }
        if (args.repeat < 1 || args.repeat > 100) throw new UsageError("--repeat takes 1 to 100.");
        break;
      }
      case "--scenario": {
        const name = valueOf(i++, "--scenario");
        if (!(SCENARIOS as readonly string[]).includes(name))
          throw new UsageError(`Unknown scenario "${name}"; use one of ${SCENARIOS.join(", ")}.`);
        args.scenario = name as Scenario;
        break;
      }
      case "--members": {
        const n = Number(valueOf(i++, "--members"));
        if (!Number.isInteger(n) || n < 1 || n > MAX_MEMBERS)
          throw new UsageError(`--members takes 1 to ${MAX_MEMBERS}.`);
        args.members = n;
        break;
      }
      case "--url":
        args.url = valueOf(i++, "--url");
        break;
      case "--dry-run":
        args.dryRun = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`Unknown option ${arg}. See npm run webhook -- --help.`);
        if (args.type !== null) throw new UsageError(`One event type at a time (got ${args.type} and ${arg}).`);
        args.type = arg;
    }
  }
  return args;
}

/** One event to deliver, and what the endpoint should answer when the scenario documents it. */
export type PlannedEvent = { label: string; event: ClerkEnvelope; expected: string | null };

/** How each Clerk object the scenarios play with gets a fresh identity and a visible newer change. */
const FAMILIES: Record<
  string,
  {
    created: ClerkEventType;
    updated: ClerkEventType;
    deleted: ClerkEventType | null;
    fresh: (tag: string) => Overrides;
    newer: Overrides;
  }
> = {
  user: {
    created: "user.created",
    updated: "user.updated",
    deleted: "user.deleted",
    fresh: (tag) => ({ id: `user_${tag}`, ...primaryEmail(`ada.${tag.toLowerCase()}@example.com`, `user_${tag}`) }),
    newer: { first_name: "Newer" },
  },
  organization: {
    created: "organization.created",
    updated: "organization.updated",
    deleted: "organization.deleted",
    fresh: (tag) => ({ id: `org_${tag}`, slug: `org-${tag.toLowerCase()}` }),
    newer: { name: "Newer name" },
  },
  organizationMembership: {
    created: "organizationMembership.created",
    updated: "organizationMembership.updated",
    deleted: "organizationMembership.deleted",
    fresh: (tag) => ({
      id: `orgmem_${tag}`,
      organization: clerkOrganization({ id: `org_${tag}`, slug: `org-${tag.toLowerCase()}` }),
      public_user_data: publicUserData(clerkUser({ id: `user_${tag}` })),
    }),
    newer: { role: "org:member", permissions: [...(DEFAULT_ROLES["org:member"]?.permissions ?? [])] },
  },
  organizationDomain: {
    created: "organizationDomain.created",
    updated: "organizationDomain.updated",
    deleted: "organizationDomain.deleted",
    fresh: (tag) => ({ id: `orgdmn_${tag}`, name: `${tag.toLowerCase()}.example` }),
    newer: { enrollment_mode: "automatic_invitation" },
  },
  role: {
    created: "role.created",
    updated: "role.updated",
    deleted: "role.deleted",
    fresh: (tag) => ({ id: `role_${tag}`, key: `org:${tag.toLowerCase()}` }),
    newer: { name: "Newer role" },
  },
  permission: {
    created: "permission.created",
    updated: "permission.updated",
    deleted: "permission.deleted",
    fresh: (tag) => ({ id: `perm_${tag}`, key: `org:${tag.toLowerCase()}:read` }),
    newer: { name: "Newer permission" },
  },
};

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function applySets(event: ClerkEnvelope, sets: SenderArgs["sets"]): ClerkEnvelope {
  const copy = structuredClone(event);
  for (const { path, value } of sets) setPath(copy, path, value);
  return copy;
}

/** The catalog's sample of `type`, happening now: its `updated_at` and timestamp are `now`. */
function sampleNow(type: ClerkEventType, overrides: Overrides, now: number, version = now): ClerkEnvelope {
  const sample = sampleEvent(type, overrides, { timestamp: now });
  if (typeof sample.data.updated_at === "number") sample.data.updated_at = version;
  return sample;
}

/** An event from `--file`: a whole event (`type` + `data`), or the `data` of `type`. */
function eventFromFile(text: string, type: string | null, now: number): ClerkEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new UsageError("--file must hold a JSON object.");
  const object = json as Record<string, unknown>;
  if (typeof object.type === "string" && typeof object.data === "object") {
    if (type !== null && type !== object.type)
      throw new UsageError(`--file holds a ${object.type} event, not ${type}.`);
    return object as unknown as ClerkEnvelope;
  }
  if (type === null)
    throw new UsageError(
      "--file holds only data: name the event type too (npm run webhook -- user.updated --file data.json).",
    );
  return { ...sampleEvent(type as ClerkEventType, {}, { timestamp: now }), type, timestamp: now, data: object };
}

function familyOf(type: string) {
  const family = FAMILIES[type.split(".")[0]!];
  if (!family) {
    throw new UsageError(
      `Scenarios work with ${Object.keys(FAMILIES)
        .map((f) => `${f}.*`)
        .join(", ")}; ${type} has no created/updated/deleted events to play with.`,
    );
  }
  return family;
}

/** The events to send for these arguments, in order. */
export function planEvents(
  args: SenderArgs,
  { now, newTag, fileText }: { now: number; newTag: () => string; fileText?: string },
): PlannedEvent[] {
  const type = args.type;
  if (type !== null && !isClerkEventType(type) && args.file === null) {
    const near = CLERK_EVENT_TYPES.filter((t) => t.split(".")[0] === type.split(".")[0]);
    throw new UsageError(
      `Unknown event type "${type}". ${near.length > 0 ? `Did you mean ${near.join(", ")}?` : "See npm run webhook -- --help for the list."}`,
    );
  }
  const withSets = (planned: PlannedEvent): PlannedEvent =>
    planned.event.type === type ? { ...planned, event: applySets(planned.event, args.sets) } : planned;

  if (args.scenario === null) {
    if (type === null && args.file === null)
      throw new UsageError(`Name an event type, e.g. npm run webhook -- user.created\n\n${USAGE}`);
    const event =
      args.file !== null ? eventFromFile(fileText ?? "", type, now) : sampleNow(type as ClerkEventType, {}, now);
    return [{ label: args.file ?? "catalog sample", event: applySets(event, args.sets), expected: null }];
  }
  if (args.file !== null)
    throw new UsageError("--file and --scenario do not go together: scenarios build their own payloads.");

  if (args.scenario === "team") {
    if (args.sets.length > 0 && type === null)
      throw new UsageError("With --scenario team, name the event type --set changes (e.g. organization.created).");
    const tag = newTag();
    const organization = {
      id: `org_${tag}`,
      slug: `team-${tag.toLowerCase()}`,
      name: `Team ${tag.slice(-4)}`,
      members_count: args.members,
    };
    const created = withSets({
      label: "the organization",
      event: sampleNow("organization.created", organization, now),
      expected: "applied",
    });
    const events: PlannedEvent[] = [created];
    for (let i = 1; i <= args.members; i += 1) {
      const userId = `user_${tag}${String(i).padStart(4, "0")}`;
      const user = clerkUser({
        id: userId,
        first_name: "Member",
        last_name: String(i),
        ...primaryEmail(`member${i}.${tag.toLowerCase()}@example.com`, userId),
      });
      events.push({ label: `member ${i}`, event: sampleNow("user.created", user, now), expected: "applied" });
      events.push({
        label: `member ${i} joins${i === 1 ? " as admin" : ""}`,
        event: sampleNow(
          "organizationMembership.created",
          {
            id: `orgmem_${tag}${String(i).padStart(4, "0")}`,
            // The organization as organization.created carried it (--set included).
            organization: created.event.data,
            public_user_data: publicUserData(user),
            role: i === 1 ? "org:admin" : "org:member",
            created_at: now,
          },
          now,
        ),
        expected: "applied",
      });
    }
    return events.map((planned) => (planned === created ? planned : withSets(planned)));
  }

  if (type === null)
    throw new UsageError(
      `--scenario ${args.scenario} needs an event type to say which object, e.g. npm run webhook -- user.updated --scenario ${args.scenario}`,
    );
  const family = familyOf(type);
  const fresh = family.fresh(newTag());
  const older = now - 2 * 60_000;
  const newer = now - 60_000;
  if (args.scenario === "out-of-order") {
    return [
      {
        label: "newer snapshot, delivered first",
        event: sampleNow(family.updated, { ...fresh, ...family.newer }, now, newer),
        expected: "applied",
      },
      {
        label: "older snapshot, delivered late",
        event: sampleNow(family.created, fresh, now, older),
        expected: "stale",
      },
    ].map(withSets);
  }
  if (family.deleted === null) throw new UsageError(`${type.split(".")[0]} has no deleted event.`);
  // Clerk's *.deleted carries only the id, except a membership's, which is whole and keeps the
  // updated_at of its last update.
  const gone = family.deleted === "organizationMembership.deleted" ? { ...fresh, updated_at: older } : { id: fresh.id };
  const deleted = sampleEvent(family.deleted, gone, { timestamp: newer });
  return [
    { label: "created", event: sampleNow(family.created, fresh, now, older), expected: "applied" },
    { label: "deleted", event: deleted, expected: "applied" },
    {
      label: "late update, newer than the delete",
      event: sampleNow(family.updated, { ...fresh, ...family.newer }, now, now),
      expected: "stale",
    },
  ].map(withSets);
}

export type SignedRequest = {
  label: string;
  type: string;
  svixId: string;
  body: string;
  headers: Record<string, string>;
  expected: string | null;
};

/**
 * A warning when the secret the sender signs with (the first of several) is not of the `whsec_…`
 * form Clerk's dashboard shows, or null. Svix still signs with a bare base64 key, so this warns
 * and does not stop: the endpoint answers 401 unless the deployment holds the same key.
 */
export function secretWarning(secrets: string, source: string): string | null {
  const first = secrets.split(/\s+/).find((s) => s !== "");
  if (first === undefined || first.startsWith("whsec_")) return null;
  return `Warning: CLERK_WEBHOOK_SIGNING_SECRET from ${source} does not start with whsec_, as Clerk's signing secrets do (Clerk dashboard → Webhooks → your endpoint → Signing Secret). Signing with it anyway; the endpoint answers 401 unless the deployment has the same secret.`;
}

/**
 * Signs each event as Svix does (`v1,` HMAC-SHA256 of `id.timestamp.body` with the first of the
 * secrets, which may be several separated by spaces), `repeat` extra deliveries each.
 */
export function signEvents(
  events: PlannedEvent[],
  secrets: string,
  { signedAt, newSvixId, repeat }: { signedAt: Date; newSvixId: () => string; repeat: number },
): SignedRequest[] {
  const secret = secrets.split(/\s+/).find((s) => s !== "");
  if (!secret) throw new UsageError("CLERK_WEBHOOK_SIGNING_SECRET is empty.");
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    throw new UsageError(
      "CLERK_WEBHOOK_SIGNING_SECRET is not a whsec_… secret. Copy it from `npx convex env get CLERK_WEBHOOK_SIGNING_SECRET`.",
    );
  }
  return events.flatMap(({ label, event, expected }) => {
    const svixId = newSvixId();
    const body = JSON.stringify(event);
    const headers = {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
      "svix-signature": webhook.sign(svixId, signedAt, body),
    };
    const first = { label, type: event.type, svixId, body, headers, expected };
    const again = Array.from({ length: repeat }, (_, i) => ({
      ...first,
      label: `${label}, again (${i + 1})`,
      expected: "duplicate",
    }));
    return [first, ...again];
  });
}

/** Where to post: `--url` (with /clerk-webhook added when it has no path), else the deployment's. */
export function targetUrl(args: SenderArgs, env: EnvValues): string {
  if (args.url !== null) {
    let url: URL;
    try {
      url = new URL(args.url);
    } catch {
      throw new UsageError(`--url ${args.url} is not a URL.`);
    }
    return url.pathname === "/" ? `${url.origin}${WEBHOOK_PATH}` : url.href;
  }
  const found = webhookUrlOf(env);
  if ("error" in found)
    throw new UsageError(`${found.error} Run \`npm run setup:convex\` once (it writes .env.local), or pass --url.`);
  return found.url;
}

/**
 * `event` as the tool sends it: with the deployment's own `instanceId` (CLERK_INSTANCE_ID), or
 * without `instance_id` when it is not known, never the catalog's made-up one, which would pin a
 * deployment with nothing pinned and make every real Clerk event "foreign". An instance_id the
 * command line sets (`--set instance_id=…`) is sent as given.
 */
export function withOwnInstance(
  event: ClerkEnvelope,
  instanceId: string | null,
  sets: SenderArgs["sets"],
): ClerkEnvelope {
  if (sets.some(({ path }) => path.length === 1 && path[0] === "instance_id")) return event;
  const { instance_id: _madeUp, ...rest } = event;
  return instanceId === null ? (rest as ClerkEnvelope) : { ...rest, instance_id: instanceId };
}

/** Everything to send for these arguments and this environment: the URL and the signed requests. */
export function planRequests(
  args: SenderArgs,
  env: EnvValues,
  deps: { now: number; newTag: () => string; newSvixId: () => string; fileText?: string },
): { url: string; requests: SignedRequest[] } {
  const instanceId = env.CLERK_INSTANCE_ID?.trim() || null;
  const events = planEvents(args, deps).map((planned) => ({
    ...planned,
    event: withOwnInstance(planned.event, instanceId, args.sets),
  }));
  const url = targetUrl(args, env);
  const secret = env.CLERK_WEBHOOK_SIGNING_SECRET;
  if (!secret) {
    throw new UsageError(
      "No signing secret: set CLERK_WEBHOOK_SIGNING_SECRET in the environment or .env.local to the deployment's (npx convex env get CLERK_WEBHOOK_SIGNING_SECRET).",
    );
  }
  return {
    url,
    requests: signEvents(events, secret, {
      signedAt: new Date(deps.now),
      newSvixId: deps.newSvixId,
      repeat: args.repeat,
    }),
  };
}
