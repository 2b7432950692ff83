/**
 * A realistic, reproducible stream of Clerk events: people sign up, sign in and out, edit their
 * profiles, create organizations, join them, change roles, leave, and now and then delete their
 * account or an organization. Svix's habits are in it too: a few redeliveries (same svix-id) and
 * a few late, older snapshots. Every event follows from the state before it (a membership names
 * a live user and organization), so handlers do their real work, not their error paths.
 */
import { prng } from "./stats";
import type { EventBuilders } from "./builders";

export type StreamEvent = {
  /** The Clerk event type, or `<type> (redelivery)` for a second delivery of a message. */
  label: string;
  type: string;
  svixId: string;
  body: string;
};

type Member = { membershipId: string; orgId: string; userId: string; role: string };

const ROLES = ["org:member", "org:admin"];

/**
 * `count` events from the PRNG `seed`. Ids carry `prefix`, so streams never collide with seeded
 * rows. `clock` is the first Clerk version (ms); each event is one second after the last.
 */
export function eventStream(
  builders: EventBuilders,
  {
    count,
    seed,
    prefix = "bench",
    clock = 1_760_000_000_000,
  }: { count: number; seed: number; prefix?: string; clock?: number },
): StreamEvent[] {
  const random = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const users: string[] = [];
  const orgs: string[] = [];
  const members: Member[] = [];
  const sessions: Array<{ id: string; userId: string }> = [];
  const sent: StreamEvent[] = [];
  const events: StreamEvent[] = [];
  const next = { user: 0, org: 0, membership: 0, session: 0, message: 0 };
  let version = clock;
  const id = (kind: keyof typeof next, clerkPrefix: string) =>
    `${clerkPrefix}_${prefix}${String(next[kind]++).padStart(7, "0")}`;

  const emit = (type: string, envelope: object, label = type) => {
    const event = { label, type, svixId: id("message", "msg"), body: JSON.stringify(envelope) };
    events.push(event);
    sent.push(event);
  };
  const tick = () => (version += 1_000);

  const join = (orgId: string, userId: string, role: string) => {
    const membershipId = id("membership", "orgmem");
    members.push({ membershipId, orgId, userId, role });
    emit(
      "organizationMembership.created",
      builders.membership("organizationMembership.created", { membershipId, orgId, userId, role }, tick()),
    );
  };

  /** Each action: its weight, and whether it can happen in the current state. */
  const actions: Array<{ weight: number; when: () => boolean; run: () => void }> = [
    {
      weight: 10, // a sign-up: the user, then their first session
      when: () => true,
      run: () => {
        const userId = id("user", "user");
        users.push(userId);
        emit("user.created", builders.user("user.created", userId, tick()));
        const sessionId = id("session", "sess");
        sessions.push({ id: sessionId, userId });
        emit("session.created", builders.session("session.created", sessionId, userId, tick()));
      },
    },
    {
      weight: 18, // a sign-in
      when: () => users.length > 0,
      run: () => {
        const userId = pick(users);
        const sessionId = id("session", "sess");
        sessions.push({ id: sessionId, userId });
        emit("session.created", builders.session("session.created", sessionId, userId, tick()));
      },
    },
    {
      weight: 14, // a sign-out or an expiry
      when: () => sessions.length > 0,
      run: () => {
        const index = Math.floor(random() * sessions.length);
        const [session] = sessions.splice(index, 1);
        if (!session) return;
        const type = pick(["session.ended", "session.ended", "session.removed", "session.revoked"] as const);
        emit(type, builders.session(type, session.id, session.userId, tick()));
      },
    },
    {
      weight: 14, // a profile edit
      when: () => users.length > 0,
      run: () => emit("user.updated", builders.user("user.updated", pick(users), tick())),
    },
    {
      weight: 5, // someone creates an organization and becomes its admin
      when: () => users.length > 0,
      run: () => {
        const orgId = id("org", "org");
        const creator = pick(users);
        orgs.push(orgId);
        emit("organization.created", builders.organization("organization.created", orgId, creator, tick()));
        join(orgId, creator, "org:admin");
      },
    },
    {
      weight: 4,
      when: () => orgs.length > 0,
      run: () => emit("organization.updated", builders.organization("organization.updated", pick(orgs), null, tick())),
    },
    {
      weight: 12, // someone joins an organization they are not in
      when: () => users.length > 0 && orgs.length > 0,
      run: () => {
        const orgId = pick(orgs);
        const userId = pick(users);
        if (members.some((m) => m.orgId === orgId && m.userId === userId)) return;
        join(orgId, userId, "org:member");
      },
    },
    {
      weight: 5, // a role change
      when: () => members.length > 0,
      run: () => {
        const member = pick(members);
        member.role = ROLES[(ROLES.indexOf(member.role) + 1) % ROLES.length] as string;
        emit("organizationMembership.updated", builders.membership("organizationMembership.updated", member, tick()));
      },
    },
    {
      weight: 4, // someone leaves
      when: () => members.length > 0,
      run: () => {
        const [member] = members.splice(Math.floor(random() * members.length), 1);
        if (member)
          emit("organizationMembership.deleted", builders.membership("organizationMembership.deleted", member, tick()));
      },
    },
    {
      weight: 1, // an account deleted: Roster cascades over its memberships and sessions
      when: () => users.length > 5,
      run: () => {
        const [userId] = users.splice(Math.floor(random() * users.length), 1);
        if (!userId) return;
        removeWhere(members, (m) => m.userId === userId);
        removeWhere(sessions, (s) => s.userId === userId);
        emit("user.deleted", builders.userDeleted(userId, tick()));
      },
    },
    {
      weight: 1, // an organization deleted: Roster cascades over its memberships
      when: () => orgs.length > 2,
      run: () => {
        const [orgId] = orgs.splice(Math.floor(random() * orgs.length), 1);
        if (!orgId) return;
        removeWhere(members, (m) => m.orgId === orgId);
        emit("organization.deleted", builders.organizationDeleted(orgId, tick()));
      },
    },
    {
      weight: 2, // Svix delivers a message twice
      when: () => sent.length > 0,
      run: () => {
        const original = pick(sent.slice(-20));
        events.push({ ...original, label: `${original.type} (redelivery)` });
      },
    },
    {
      weight: 2, // a late, older snapshot of a user (out of order): stale
      when: () => users.length > 0,
      run: () =>
        emit("user.updated", builders.user("user.updated", pick(users), clock - 1_000), "user.updated (late, older)"),
    },
  ];
  const total = actions.reduce((sum, a) => sum + a.weight, 0);
  while (events.length < count) {
    let roll = random() * total;
    const action = actions.find((a) => (roll -= a.weight) < 0) ?? actions[0];
    if (action?.when()) action.run();
  }
  return events.slice(0, count);
}

function removeWhere<T>(items: T[], predicate: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) items.splice(i, 1);
}

/**
 * A burst for one organization, as Clerk sends one when a company enrols through an SSO domain or
 * an admin bulk-invites: `count` membership events (mostly joins, some role changes, some leaves)
 * for `orgId`, one after another. Each embeds the organization as Clerk does: its own
 * `updated_at` (`organizationVersion`) and a `members_count` that moves with every event.
 */
export function burstStream(
  builders: EventBuilders,
  {
    count,
    seed,
    orgId,
    organizationVersion,
    prefix = "burst",
    clock = 1_770_000_000_000,
  }: { count: number; seed: number; orgId: string; organizationVersion: number; prefix?: string; clock?: number },
): StreamEvent[] {
  const random = prng(seed);
  const members: Member[] = [];
  const events: StreamEvent[] = [];
  let next = 0;
  let version = clock;
  const emit = (
    type: "organizationMembership.created" | "organizationMembership.updated" | "organizationMembership.deleted",
    member: Member,
  ) => {
    version += 1_000;
    const organization = { version: organizationVersion, membersCount: members.length };
    const body = JSON.stringify(builders.membership(type, member, version, organization));
    events.push({ label: type, type, svixId: `msg_${prefix}${String(events.length).padStart(7, "0")}`, body });
  };
  while (events.length < count) {
    const roll = random();
    if (members.length < 10 || roll < 0.6) {
      const n = String(next++).padStart(7, "0");
      const member = { membershipId: `orgmem_${prefix}${n}`, orgId, userId: `user_${prefix}${n}`, role: "org:member" };
      members.push(member);
      emit("organizationMembership.created", member);
    } else if (roll < 0.85) {
      const member = members[Math.floor(random() * members.length)] as Member;
      member.role = ROLES[(ROLES.indexOf(member.role) + 1) % ROLES.length] as string;
      emit("organizationMembership.updated", member);
    } else {
      const [member] = members.splice(Math.floor(random() * members.length), 1);
      if (member) emit("organizationMembership.deleted", member);
    }
  }
  return events;
}
