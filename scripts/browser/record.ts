/**
 * Records what the real Convex functions answer for each view and state, by running them under
 * convex-test after delivering signed Clerk webhooks (and, for backfill and reconcile, running real
 * runs against the fake Clerk Backend API of test/fakeClerkApi.ts) — so the browser check's preview
 * shows the real views over data the real backend produced, not hand-written fixtures.
 */
import { getFunctionName, type FunctionReference } from "convex/server";
import { ConvexError } from "convex/values";
import { vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Doc } from "../../convex/_generated/dataModel";
import {
  ADA,
  CHARLES,
  ORG,
  clerkId,
  clerkMembership,
  clerkOrganization,
  clerkUser,
  clerkUserCharles,
  emailCreated,
  envelope,
  membershipEvent,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicUserData,
  sampleEvent,
  sessionEvent,
  smsCreated,
  userEvent,
  verifiedDomain,
} from "../../test/clerkEvents";
import { deliver, newBackend, type Backend } from "../../test/convex";
import { FAKE_FRONTEND_API, loopbackFetch, startFakeClerkApi, type FakeClerkData } from "../../test/fakeClerkApi";
import type { RecordedAnswer, Recording, Scenario } from "./recording";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const GRACE = clerkId("user", "gh");
const MARY = clerkId("user", "ms");
const ALAN = clerkId("user", "at");
const ORGANIZATION = { id: ORG, name: "Analytical Engines" };

type Identity = { subject: string; name: string; email?: string; givenName?: string; familyName?: string };
const adaIdentity: Identity = {
  subject: ADA,
  name: "Ada Lovelace",
  email: "ada@example.com",
  givenName: "Ada",
  familyName: "Lovelace",
};
const charlesIdentity: Identity = { subject: CHARLES, name: "Charles Babbage", email: "charles@example.com" };
const graceIdentity: Identity = {
  subject: GRACE,
  name: "Grace Hopper",
  email: "grace@example.com",
  givenName: "Grace",
  familyName: "Hopper",
};

const LOADING: RecordedAnswer = { status: "loading" };

/** Runs a query or mutation and keeps what it answered, errors included. */
async function answerOf(run: () => Promise<unknown>): Promise<RecordedAnswer> {
  try {
    return { status: "ok", value: await run() };
  } catch (error) {
    return {
      status: "error",
      message: error instanceof Error ? error.message : String(error),
      data: error instanceof ConvexError ? (error.data as unknown) : null,
    };
  }
}

const name = (reference: FunctionReference<"query" | "mutation">) => getFunctionName(reference);

/** Delivers a signed webhook and insists on the outcome the story expects. */
async function land(t: Backend, event: object, expected = "applied"): Promise<void> {
  const answer = await deliver(t, event);
  if (answer.outcome !== expected) {
    throw new Error(
      `Recording: expected ${expected}, got ${answer.outcome ?? answer.status} for ${JSON.stringify(event).slice(0, 120)}`,
    );
  }
}

function user(id: string, first: string, last: string, email: string, at: number, extra: Record<string, unknown> = {}) {
  const emailId = `idn_${id.slice(5)}`;
  return clerkUser({
    id,
    first_name: first,
    last_name: last,
    email_addresses: [
      { id: emailId, email_address: email, object: "email_address", verification: { status: "verified" } },
    ],
    primary_email_address_id: emailId,
    image_url: null,
    created_at: at,
    updated_at: at,
    ...extra,
  });
}

/** Ada's organization, a few members, invitations, domains, sessions — and every kind of outcome. */
async function busyBackend(now: number): Promise<Backend> {
  const t = newBackend();
  let at = now - 5 * HOUR;
  const next = (step = 7 * MINUTE) => (at += step);

  const ada = user(ADA, "Ada", "Lovelace", "ada@example.com", next(), {
    public_metadata: { rosterAdmin: true },
    username: "ada",
  });
  await land(t, userEvent("user.created", ada));
  await land(
    t,
    organizationEvent("organization.created", {
      name: ORGANIZATION.name,
      image_url: null,
      created_at: at,
      updated_at: at,
      members_count: 1,
    }),
  );
  const organization = {
    id: ORG,
    name: ORGANIZATION.name,
    slug: "analytical-engines",
    image_url: null,
    members_count: 5,
  };
  const join = async (member: Record<string, unknown>, role: string) => {
    const when = next();
    await land(
      t,
      membershipEvent("organizationMembership.created", {
        role,
        organization,
        public_user_data: publicUserData(member),
        created_at: when,
        updated_at: when,
      }),
    );
  };
  await join(ada, "org:admin");
  const charles = clerkUserCharles({ image_url: null, created_at: next(), updated_at: at });
  await land(t, userEvent("user.created", charles));
  // Clerk delivers this one twice (same svix-id): applied once, then logged as a duplicate.
  const charlesEvent = userEvent("user.updated", { ...charles, username: "difference-engine", updated_at: next() });
  const redelivered = { svixId: "msg_2redelivered0000000000000" };
  if ((await deliver(t, charlesEvent, redelivered)).outcome !== "applied")
    throw new Error("Recording: user.updated not applied");
  if ((await deliver(t, charlesEvent, redelivered)).outcome !== "duplicate")
    throw new Error("Recording: redelivery not deduped");
  await land(t, userEvent("user.updated", { ...charles, updated_at: at - MINUTE }), "stale");
  await join(charles, "org:member");
  const grace = user(GRACE, "Grace", "Hopper", "grace@example.com", next());
  await land(t, userEvent("user.created", grace));
  await join(grace, "org:member");
  const mary = user(MARY, "Mary", "Somerville", "mary@example.com", next());
  await join(mary, "org:member");
  await land(
    t,
    membershipEvent("organizationMembership.updated", {
      role: "org:admin",
      organization,
      public_user_data: publicUserData(mary),
      created_at: at,
      updated_at: next(),
    }),
  );
  const alan = user(ALAN, "Alan", "Turing", "alan@example.com", next());
  await join(alan, "org:member");
  await land(
    t,
    organizationInvitationEvent("organizationInvitation.created", {
      id: clerkId("orginv", "kj"),
      email_address: "katherine@example.com",
      created_at: next(),
      updated_at: at,
    }),
  );
  await land(
    t,
    organizationInvitationEvent("organizationInvitation.created", {
      id: clerkId("orginv", "dv"),
      email_address: "dorothy@example.com",
      role: "org:admin",
      created_at: next(),
      updated_at: at,
    }),
  );
  await land(
    t,
    organizationDomainEvent("organizationDomain.created", { ...verifiedDomain(), created_at: next(), updated_at: at }),
  );
  await land(
    t,
    organizationDomainEvent("organizationDomain.created", {
      id: clerkId("orgdmn", "lab"),
      name: "difference-lab.example",
      enrollment_mode: "manual_invitation",
      created_at: next(),
      updated_at: at,
    }),
  );
  for (const [id, user_id] of [
    [clerkId("sess", "ada"), ADA],
    [clerkId("sess", "gh"), GRACE],
  ] as const) {
    await land(
      t,
      sessionEvent("session.created", {
        id,
        user_id,
        last_active_at: now - MINUTE,
        created_at: next(),
        updated_at: at,
        // Live sessions: Clerk's default lifetime runs from now, not from the sample world's T0.
        expire_at: now + 7 * DAY,
        abandon_at: now + 30 * DAY,
      }),
    );
  }
  // What Clerk sent: verification codes by email and SMS, an invitation, a sign-in link.
  await land(t, emailCreated({}, { timestamp: next() }));
  await land(t, smsCreated({ to_phone_number: "+15555550123" }, { timestamp: next() }));
  await land(
    t,
    emailCreated(
      {
        id: clerkId("ema", "kj"),
        slug: "organization_invitation",
        subject: "Ada Lovelace invited you to join Analytical Engines",
        to_email_address: "katherine@example.com",
        user_id: null,
        email_address_id: null,
      },
      { timestamp: next() },
    ),
  );
  await land(
    t,
    emailCreated(
      {
        id: clerkId("ema", "gh"),
        slug: "magic_link_sign_in",
        subject: "Your Roster sign-in link",
        to_email_address: "grace@example.com",
        user_id: GRACE,
      },
      { timestamp: next() },
    ),
  );
  // The rest of the log's outcomes: a type Roster does not handle, and a payload that fails.
  await land(t, sampleEvent("paymentAttempt.created"), "ignored");
  await land(t, envelope("user.updated", { object: "user", first_name: "Nobody", updated_at: now }, now), "failed");
  return t;
}

/**
 * A Clerk instance to backfill from: Ada (an app admin there too) and `people - 1` others, each a
 * member of one of `teams` organizations (Ada an admin of all), created a second apart from `start`.
 */
function clerkInstance(people: number, teams: number, start: number): FakeClerkData {
  const ada = user(ADA, "Ada", "Lovelace", "ada@example.com", start, { public_metadata: { rosterAdmin: true } });
  const others = Array.from({ length: people - 1 }, (_, i) =>
    user(clerkId("user", "p", i + 1), "Person", String(i + 1), `person${i + 1}@example.com`, start + (i + 1) * 1000),
  );
  const organizations = Array.from({ length: teams }, (_, j) =>
    clerkOrganization({
      id: clerkId("org", "t", j + 1),
      name: `Team ${j + 1}`,
      slug: `team-${j + 1}`,
      image_url: null,
      created_at: start + j,
      updated_at: start + j,
    }),
  );
  const membership = (id: string, organization: (typeof organizations)[number], member: typeof ada, role: string) =>
    clerkMembership({
      id,
      organization,
      public_user_data: publicUserData(member),
      role,
      created_at: Number(member.created_at),
      updated_at: Number(member.created_at),
    });
  return {
    users: [ada, ...others],
    organizations,
    memberships: [
      ...organizations.map((organization, j) =>
        membership(clerkId("orgmem", "a", j + 1), organization, ada, "org:admin"),
      ),
      ...others.map((member, i) =>
        membership(clerkId("orgmem", "p", i + 1), organizations[i % teams] ?? organizations[0]!, member, "org:member"),
      ),
    ],
  };
}

/**
 * `api.clerk.admin.syncStatus` as Ada sees it after four real runs, driven step by step (two
 * seconds apart, on fake timers) against the fake Clerk Backend API on 127.0.0.1 that
 * convex/clerk/sync.test.ts uses: a backfill three days ago, a reconcile from the command line that
 * removed what Clerk had deleted (`idle`: as it was then), a backfill that failed on a rotated
 * secret key, and a reconcile started a minute ago that is now waiting out Clerk's rate limit
 * (`going`; Retry-After is Roster's longest, 10 minutes, so the wait outlasts the check).
 */
async function recordSyncRuns(now: number): Promise<{ idle: RecordedAnswer; going: RecordedAnswer }> {
  const clerk = await startFakeClerkApi(clerkInstance(240, 6, now - 30 * DAY));
  const env = {
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_API_URL: clerk.url,
    CLERK_JWT_ISSUER_DOMAIN: FAKE_FRONTEND_API,
  };
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  vi.useFakeTimers({ now: now - 3 * DAY });
  vi.stubGlobal("fetch", loopbackFetch);
  try {
    const t = newBackend();
    const asAda = t.withIdentity(adaIdentity);
    await land(t, userEvent("user.created", { ...clerk.data.users[0] }));
    const drive = async (until: (run: Doc<"clerkSyncRuns">) => boolean) => {
      for (let step = 0; step < 100; step += 1) {
        vi.advanceTimersByTime(2_000);
        await t.finishInProgressScheduledFunctions();
        const run = await t.run(async (ctx) => await ctx.db.query("clerkSyncRuns").order("desc").first());
        if (run !== null && until(run)) return;
      }
      throw new Error("Recording: the Clerk run did not get there");
    };
    const completed = (run: Doc<"clerkSyncRuns">) => run.status === "completed";

    await asAda.mutation(api.clerk.admin.startSync, { mode: "backfill" });
    await drive(completed);

    // Three people deleted in Clerk while the endpoint was down: no webhook told Roster.
    vi.setSystemTime(now - DAY);
    const gone = new Set([1, 2, 3].map((i) => clerkId("user", "p", i)));
    clerk.data.users = clerk.data.users.filter((u) => !gone.has(String(u.id)));
    clerk.data.memberships = clerk.data.memberships.filter(
      (m) => !gone.has(String((m.public_user_data as { user_id?: unknown }).user_id)),
    );
    await t.mutation(internal.clerk.sync.reconcile, {});
    await drive(completed);
    const idle = await answerOf(() => asAda.query(api.clerk.admin.syncStatus, {}));

    // The secret key was rotated in Clerk, and not yet in Convex.
    vi.setSystemTime(now - 2 * HOUR);
    process.env.CLERK_SECRET_KEY = "sk_test_rotatedAwayInClerk000000000000000";
    await asAda.mutation(api.clerk.admin.startSync, { mode: "backfill" });
    await drive((run) => run.status === "failed");
    process.env.CLERK_SECRET_KEY = clerk.secretKey;

    // Two people renamed in Clerk whose webhooks never arrived; then Clerk's rate limit, mid-users.
    vi.setSystemTime(now - 60_000);
    for (const i of [7, 12]) {
      const person = clerk.data.users.find((u) => u.id === clerkId("user", "p", i));
      if (person) Object.assign(person, { last_name: `${i} (renamed)`, updated_at: now - 2 * DAY });
    }
    await asAda.mutation(api.clerk.admin.startSync, { mode: "reconcile" });
    await drive((run) => run.phase === "users" && run.counts.seen.users >= 100);
    clerk.rateLimitNext(1, 600);
    await drive((run) => run.waitingUntil !== null);

    return { idle, going: await answerOf(() => asAda.query(api.clerk.admin.syncStatus, {})) };
  } finally {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await clerk.close();
  }
}

/** Everything the profile, team and admin views ask, in every state, as the real functions answered. */
export async function recordScenarios(now = Date.now()): Promise<Recording> {
  const syncRuns = await recordSyncRuns(now);
  const busy = await busyBackend(now);
  const asAda = busy.withIdentity(adaIdentity);
  await asAda.mutation(api.users.updateProfile, {
    bio: "Writes the first programs for the Analytical Engine. Poetical science enthusiast.",
    country: "GB",
    birthday: "1990-12-10",
  });
  const adaMe = await answerOf(() => asAda.query(api.users.me));
  const adaUser = { name: "Ada Lovelace", imageUrl: null };
  const membersArgs = { organizationId: ORG, paginationOpts: { numItems: 20, cursor: null } };
  const teamQueries = async (as: ReturnType<Backend["withIdentity"]>) => ({
    [name(api.organizations.get)]: await answerOf(() => as.query(api.organizations.get, { organizationId: ORG })),
    [name(api.organizations.members)]: await answerOf(() => as.query(api.organizations.members, membersArgs)),
    [name(api.organizations.activity)]: await answerOf(() =>
      as.query(api.organizations.activity, { organizationId: ORG, limit: 25 }),
    ),
    [name(api.organizations.invitations)]: await answerOf(() =>
      as.query(api.organizations.invitations, { organizationId: ORG }),
    ),
    [name(api.organizations.domains)]: await answerOf(() =>
      as.query(api.organizations.domains, { organizationId: ORG }),
    ),
  });
  const eventLogArgs = { paginationOpts: { numItems: 25, cursor: null } };

  const invalidProfile = {
    bio: "Writes the first programs for the Analytical Engine. Poetical science enthusiast.",
    country: "XX",
    birthday: "1990-12-10",
  };
  const profileLoaded: Scenario = {
    path: "/profile",
    activeOrganization: ORGANIZATION,
    user: adaUser,
    queries: { [name(api.users.me)]: adaMe },
    mutations: {
      [name(api.users.updateProfile)]: [
        { args: invalidProfile, answer: await answerOf(() => asAda.mutation(api.users.updateProfile, invalidProfile)) },
      ],
    },
  };

  // A user who has just signed in: no webhook yet, nothing of Roster's own.
  const fresh = newBackend();
  const graceMe = await answerOf(() => fresh.withIdentity(graceIdentity).query(api.users.me));
  await land(fresh, userEvent("user.created", user(GRACE, "Grace", "Hopper", "grace@example.com", now - HOUR)));
  const asLoneGrace = fresh.withIdentity(graceIdentity);

  // Charles, removed from the organization while Clerk still has it active for him.
  const removed = await busyBackend(now);
  const asCharles = removed.withIdentity(charlesIdentity);
  const charlesMine = await answerOf(() => asCharles.query(api.organizations.listMine));
  const charlesMe = await answerOf(() => asCharles.query(api.users.me));
  await land(
    removed,
    membershipEvent(
      "organizationMembership.deleted",
      {
        role: "org:member",
        public_user_data: publicUserData(clerkUserCharles()),
        updated_at: now,
      },
      { timestamp: now },
    ),
  );

  // An app admin before any webhook has arrived (the admin flag set on the row directly).
  const quiet = newBackend();
  await quiet.run(async (ctx) => {
    await ctx.db.insert("users", {
      clerkId: ADA,
      clerkVersion: 0,
      email: "ada@example.com",
      phone: null,
      username: null,
      firstName: "Ada",
      lastName: "Lovelace",
      imageUrl: null,
      publicMetadata: JSON.stringify({ rosterAdmin: true }),
    });
  });
  const asQuietAda = quiet.withIdentity(adaIdentity);

  // Ada, an app admin when the page loaded, demoted in Clerk a moment later.
  const demoted = await busyBackend(now);
  const demotedMe = await answerOf(() => demoted.withIdentity(adaIdentity).query(api.users.me));
  await land(
    demoted,
    userEvent("user.updated", user(ADA, "Ada", "Lovelace", "ada@example.com", now, { public_metadata: {} })),
  );
  const asDemotedAda = demoted.withIdentity(adaIdentity);

  const me = name(api.users.me);
  const listMine = name(api.organizations.listMine);
  const syncStatus = name(api.clerk.admin.syncStatus);
  const communications = name(api.admin.communications);
  const communicationsArgs = { limit: 20 };
  return {
    "profile-loaded": profileLoaded,
    "profile-empty": {
      path: "/profile",
      activeOrganization: null,
      user: { name: "Grace Hopper", imageUrl: null },
      queries: { [me]: graceMe },
      mutations: {},
    },
    "profile-error": {
      path: "/profile",
      activeOrganization: null,
      user: adaUser,
      // What the Convex client throws when a query fails on the server (not a ConvexError).
      queries: { [me]: { status: "error", message: "[CONVEX Q(users:me)] Server Error", data: null } },
      mutations: {},
    },
    "profile-loading": {
      path: "/profile",
      activeOrganization: null,
      user: adaUser,
      queries: { [me]: LOADING },
      mutations: {},
    },
    "team-loaded": {
      path: "/team",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: {
        [me]: adaMe,
        [listMine]: await answerOf(() => asAda.query(api.organizations.listMine)),
        ...(await teamQueries(asAda)),
      },
      mutations: {},
    },
    "team-empty": {
      path: "/team",
      activeOrganization: null,
      user: { name: "Grace Hopper", imageUrl: null },
      queries: {
        [me]: await answerOf(() => asLoneGrace.query(api.users.me)),
        [listMine]: await answerOf(() => asLoneGrace.query(api.organizations.listMine)),
      },
      mutations: {},
    },
    "team-error": {
      path: "/team",
      activeOrganization: ORGANIZATION,
      user: { name: "Charles Babbage", imageUrl: null },
      queries: { [me]: charlesMe, [listMine]: charlesMine, ...(await teamQueries(asCharles)) },
      mutations: {},
    },
    "team-loading": {
      path: "/team",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: { [me]: adaMe, [listMine]: LOADING },
      mutations: {},
    },
    "admin-loaded": {
      path: "/admin",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: {
        [me]: adaMe,
        [name(api.admin.syncHealth)]: await answerOf(() => asAda.query(api.admin.syncHealth)),
        [name(api.admin.eventLog)]: await answerOf(() => asAda.query(api.admin.eventLog, eventLogArgs)),
        [syncStatus]: syncRuns.going,
        [communications]: await answerOf(() => asAda.query(api.admin.communications, communicationsArgs)),
      },
      mutations: {},
    },
    "admin-empty": {
      path: "/admin",
      activeOrganization: null,
      user: adaUser,
      queries: {
        [me]: await answerOf(() => asQuietAda.query(api.users.me)),
        [name(api.admin.syncHealth)]: await answerOf(() => asQuietAda.query(api.admin.syncHealth)),
        [name(api.admin.eventLog)]: await answerOf(() => asQuietAda.query(api.admin.eventLog, eventLogArgs)),
        // CLERK_SECRET_KEY is not set here: "not configured", and no run yet.
        [syncStatus]: await answerOf(() => asQuietAda.query(api.clerk.admin.syncStatus, {})),
        [communications]: await answerOf(() => asQuietAda.query(api.admin.communications, communicationsArgs)),
      },
      mutations: {},
    },
    "admin-error": {
      path: "/admin",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: {
        [me]: demotedMe,
        [name(api.admin.syncHealth)]: await answerOf(() => asDemotedAda.query(api.admin.syncHealth)),
        [name(api.admin.eventLog)]: await answerOf(() => asDemotedAda.query(api.admin.eventLog, eventLogArgs)),
        [syncStatus]: await answerOf(() => asDemotedAda.query(api.clerk.admin.syncStatus, {})),
        [communications]: await answerOf(() => asDemotedAda.query(api.admin.communications, communicationsArgs)),
      },
      mutations: {},
    },
    "admin-idle": {
      path: "/admin",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: {
        [me]: adaMe,
        [name(api.admin.syncHealth)]: await answerOf(() => asAda.query(api.admin.syncHealth)),
        [name(api.admin.eventLog)]: await answerOf(() => asAda.query(api.admin.eventLog, eventLogArgs)),
        [syncStatus]: syncRuns.idle,
        [communications]: await answerOf(() => asAda.query(api.admin.communications, communicationsArgs)),
      },
      mutations: {},
    },
    "admin-loading": {
      path: "/admin",
      activeOrganization: ORGANIZATION,
      user: adaUser,
      queries: {
        [me]: adaMe,
        [name(api.admin.syncHealth)]: LOADING,
        [name(api.admin.eventLog)]: LOADING,
        [syncStatus]: LOADING,
        [communications]: LOADING,
      },
      mutations: {},
    },
  };
}
