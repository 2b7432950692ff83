/** The sample world's people as the simulated Clerk knows them (sign-in choices, identities). */
import type { SimulatedOrganization, SimulatedUser } from "../test/react/clerkMock";
import { PEOPLE, TEAMS, type Person } from "./seed";

export function simulatedUser(person: Person): SimulatedUser {
  return {
    id: person.id,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    username: person.username,
    imageUrl: null,
    note: person.note,
    lastActiveOrganization: firstOrganizationOf(person.id),
  };
}

export const SIGN_IN_CHOICES: SimulatedUser[] = PEOPLE.map(simulatedUser);

/** The organization Clerk makes active when `personId` signs in: their first team, if any. */
export function firstOrganizationOf(personId: string): SimulatedOrganization | null {
  const team = TEAMS.find((candidate) => candidate.members.some((member) => member.personId === personId));
  return team ? { id: team.id, name: team.name } : null;
}
