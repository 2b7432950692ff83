import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../convex/_generated/api";
import { deliver, newBackend } from "../test/convex";
import { identityOf } from "../test/react/clerkMock";
import { PLAYGROUND_ISSUER, PLAYGROUND_SIGNING_SECRET } from "./config";
import { SIGN_IN_CHOICES } from "./people";
import { PEOPLE, seedEvents, TEAMS } from "./seed";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", PLAYGROUND_SIGNING_SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the playground's sample world", () => {
  test("every seed event answers as planned through /clerk-webhook, and each person sees their teams", async () => {
    const t = newBackend();
    const outcomes: Array<[string, string | undefined]> = [];
    for (const { event, expected, svixId } of seedEvents(Date.now())) {
      const answer = await deliver(t, event, {
        secret: PLAYGROUND_SIGNING_SECRET,
        ...(svixId === undefined ? {} : { svixId }),
      });
      expect(answer.status, `${event.type} → ${answer.error ?? ""}`).toBe(200);
      outcomes.push([expected, answer.outcome]);
    }
    expect(outcomes.every(([expected, outcome]) => expected === outcome)).toBe(true);
    expect(outcomes.map(([, outcome]) => outcome)).toEqual(expect.arrayContaining(["duplicate", "stale", "ignored"]));

    for (const choice of SIGN_IN_CHOICES) {
      const person = PEOPLE.find((candidate) => candidate.id === choice.id)!;
      const as = t.withIdentity(identityOf(choice, PLAYGROUND_ISSUER));
      const mine = await as.query(api.organizations.listMine);
      const teams = TEAMS.filter((team) => team.members.some((member) => member.personId === person.id));
      expect(mine.map((organization) => organization.name).sort()).toEqual(teams.map((team) => team.name).sort());
      expect(choice.lastActiveOrganization?.id ?? null).toBe(teams[0]?.id ?? null);
      const me = await as.query(api.users.me);
      // Dorothy's user.created has not landed: her profile comes from her token (invariant 8).
      expect(me, person.firstName).toMatchObject({
        clerkId: person.id,
        name: `${person.firstName} ${person.lastName}`,
        syncedFromClerk: person.seeded,
        isAppAdmin: person.rosterAdmin,
      });
    }
  });
});
