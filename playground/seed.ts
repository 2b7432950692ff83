/**
 * The playground's sample world: a few people and two teams, as Clerk would describe them in its
 * webhooks. At start-up the worker posts these events, signed, through the real `POST
 * /clerk-webhook` route; the Clerk events drawer builds its "about you" events from the same
 * people. Payloads come from the Clerk event catalog (test/clerkEvents.ts).
 */
import {
  ADA,
  CHARLES,
  ORG,
  clerkId,
  clerkOrganization,
  clerkUser,
  emailCreated,
  organizationDomainEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicOrganizationData,
  publicUserData,
  membershipEvent,
  sampleEvent,
  sessionEvent,
  smsCreated,
  userEvent,
  verifiedDomain,
  type ClerkEnvelope,
  type ClerkObject,
  type MembershipEventType,
} from "../test/clerkEvents";
import { withoutRemoteImages } from "./localImages";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Person = {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string | null;
  /** Roster's app admin flag (`public_metadata.rosterAdmin`): may open the admin activity page. */
  rosterAdmin: boolean;
  /** What the sign-in picker says about this person. */
  note: string;
  /** False for someone who has just signed up: Clerk has not delivered their `user.created` yet. */
  seeded: boolean;
};

export type Team = {
  id: string;
  name: string;
  slug: string | null;
  members: Array<{ personId: string; role: string }>;
};

export const PEOPLE: readonly Person[] = [
  {
    id: ADA,
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    username: "ada",
    rosterAdmin: true,
    note: "Roster admin; admin of both teams",
    seeded: true,
  },
  {
    id: CHARLES,
    firstName: "Charles",
    lastName: "Babbage",
    email: "charles@example.com",
    username: "difference-engine",
    rosterAdmin: false,
    note: "member of Analytical Engines; asked to join Difference Lab",
    seeded: true,
  },
  {
    id: clerkId("user", "gh"),
    firstName: "Grace",
    lastName: "Hopper",
    email: "grace@example.com",
    username: null,
    rosterAdmin: false,
    note: "member of both teams",
    seeded: true,
  },
  {
    id: clerkId("user", "ms"),
    firstName: "Mary",
    lastName: "Somerville",
    email: "mary@example.com",
    username: null,
    rosterAdmin: false,
    note: "admin of Analytical Engines",
    seeded: true,
  },
  {
    id: clerkId("user", "kj"),
    firstName: "Katherine",
    lastName: "Johnson",
    email: "katherine@example.com",
    username: null,
    rosterAdmin: false,
    note: "invited, in no team yet",
    seeded: true,
  },
  {
    id: clerkId("user", "dv"),
    firstName: "Dorothy",
    lastName: "Vaughan",
    email: "dorothy@example.com",
    username: null,
    rosterAdmin: false,
    note: "just signed up: no webhook about her yet",
    seeded: false,
  },
];

export const TEAMS: readonly Team[] = [
  {
    id: ORG,
    name: "Analytical Engines",
    slug: "analytical-engines",
    members: [
      { personId: ADA, role: "org:admin" },
      { personId: CHARLES, role: "org:member" },
      { personId: clerkId("user", "gh"), role: "org:member" },
      { personId: clerkId("user", "ms"), role: "org:admin" },
    ],
  },
  {
    id: clerkId("org", "lab"),
    name: "Difference Lab",
    slug: "difference-lab",
    members: [
      { personId: ADA, role: "org:admin" },
      { personId: clerkId("user", "gh"), role: "org:member" },
    ],
  },
];

/**
 * Who has asked to join which team (what a verified domain's suggestion leads to). Clerk keeps
 * these and sends no webhook for them: the simulated Clerk holds them (clerkBackend.ts), and the
 * team page reads them through Clerk's SDK.
 */
export const MEMBERSHIP_REQUESTS: ReadonlyArray<{ organizationId: string; personId: string }> = [
  { organizationId: clerkId("org", "lab"), personId: CHARLES },
];

export function personById(id: string): Person | undefined {
  return PEOPLE.find((person) => person.id === id);
}

export function fullName(person: Pick<Person, "firstName" | "lastName">): string {
  return `${person.firstName} ${person.lastName}`;
}

/**
 * The person as Clerk's `user` object, at version `at` (its `updated_at`), with `overrides`. No
 * picture: Clerk's default ones live on other origins (localImages.ts).
 */
export function userSnapshot(person: Person, at: number, overrides: Record<string, unknown> = {}): ClerkObject {
  const emailId = `idn_${person.id.slice(5)}`;
  const user = clerkUser({
    id: person.id,
    first_name: person.firstName,
    last_name: person.lastName,
    username: person.username,
    email_addresses: [
      {
        id: emailId,
        object: "email_address",
        email_address: person.email,
        linked_to: [],
        verification: { status: "verified", strategy: "email_code", attempts: 1, expire_at: at },
      },
    ],
    primary_email_address_id: emailId,
    image_url: null,
    has_image: false,
    public_metadata: person.rosterAdmin ? { rosterAdmin: true } : {},
    created_at: at - 30 * DAY,
    updated_at: at,
    ...overrides,
  });
  return withoutRemoteImages(user);
}

/** The team as Clerk's `organization` object, at version `at`. */
export function organizationSnapshot(team: Team, at: number): ClerkObject {
  const organization = clerkOrganization({
    id: team.id,
    name: team.name,
    slug: team.slug,
    image_url: null,
    members_count: team.members.length,
    created_at: at - 60 * DAY,
    updated_at: at,
  });
  return withoutRemoteImages(organization);
}

/** An `organizationMembership.*` event: `person` in `team` as `role`, at version `at` (also its timestamp). */
export function membershipEventFor(
  type: MembershipEventType,
  team: Team,
  person: Person,
  role: string,
  at: number,
  user: ClerkObject = userSnapshot(person, at),
): ClerkEnvelope {
  return membershipEvent(
    type,
    {
      id: `orgmem_${team.id.slice(4)}${person.id.slice(5, 12)}`,
      role,
      organization: organizationSnapshot(team, at),
      public_user_data: publicUserData(user),
      created_at: at - 20 * DAY,
      updated_at: at,
    },
    { timestamp: at },
  );
}

/** One event of the story, and the outcome the endpoint must answer. */
export type SeedEvent = { event: ClerkEnvelope; expected: string; svixId?: string };

/**
 * The sample world's history, oldest first, ending just before `now`: people sign up, teams form,
 * members join, an invitation and a domain, live sessions, the messages Clerk sent — and one
 * redelivery (duplicate), one late snapshot (stale) and an event type Roster ignores, so the admin
 * page's event log shows every outcome.
 */
export function seedEvents(now: number): SeedEvent[] {
  let at = now - 5 * HOUR;
  const next = (step = 3 * MINUTE) => (at += step);
  const events: SeedEvent[] = [];
  const add = (event: ClerkEnvelope, expected = "applied", svixId?: string) =>
    events.push(svixId === undefined ? { event, expected } : { event, expected, svixId });

  const users = new Map<string, ClerkObject>();
  for (const person of PEOPLE.filter((p) => p.seeded)) {
    // Charles picks his username later (the update Clerk delivers twice, below).
    const user = userSnapshot(person, next(), person.id === CHARLES ? { username: null } : {});
    users.set(person.id, user);
    add(userEvent("user.created", user));
  }
  for (const team of TEAMS) {
    add(organizationEvent("organization.created", organizationSnapshot(team, next())));
    for (const { personId, role } of team.members) {
      const person = personById(personId)!;
      add(membershipEventFor("organizationMembership.created", team, person, role, next(), users.get(personId)));
    }
  }

  // Clerk redelivers a message (same svix-id): applied once, then logged as a duplicate.
  const charles = personById(CHARLES)!;
  const renamed = userEvent("user.updated", userSnapshot(charles, next()));
  add(renamed, "applied", "msg_playgroundRedelivered000001");
  add(renamed, "duplicate", "msg_playgroundRedelivered000001");
  // A snapshot older than the one applied: newer wins, this one is logged as stale.
  add(userEvent("user.updated", userSnapshot(charles, at - HOUR, { username: null })), "stale");

  const engines = TEAMS[0]!;
  add(
    organizationInvitationEvent("organizationInvitation.created", {
      id: clerkId("orginv", "kj"),
      email_address: "katherine@example.com",
      organization_id: engines.id,
      public_organization_data: publicOrganizationData(organizationSnapshot(engines, at)),
      created_at: next(),
      updated_at: at,
    }),
  );
  add(
    organizationDomainEvent("organizationDomain.created", { ...verifiedDomain(), created_at: next(), updated_at: at }),
  );
  for (const personId of [ADA, clerkId("user", "gh")]) {
    add(
      sessionEvent("session.created", {
        id: `sess_${personId.slice(5)}`,
        user_id: personId,
        last_active_at: now - MINUTE,
        created_at: next(),
        updated_at: at,
        expire_at: now + 7 * DAY,
        abandon_at: now + 30 * DAY,
      }),
    );
  }
  add(emailCreated({}, { timestamp: next() }));
  add(smsCreated({ to_phone_number: "+15555550123" }, { timestamp: next() }));
  add(sampleEvent("paymentAttempt.created", {}, { timestamp: next() }), "ignored");
  return events.map((seed) => ({ ...seed, event: withoutRemoteImages(seed.event) }));
}
