/**
 * The playground's Clerk instance, as its Backend API sees it: the sample world (Dorothy included,
 * whose `user.created` never arrived), kept in step with every Clerk event the page sends. The
 * worker answers the functions' `fetch` to PLAYGROUND_CLERK_API_URL from it, with the fake Clerk
 * API's routes (test/fakeClerkRoutes.ts), so backfill, reconcile and fetch-missing run for real.
 */
import { clerkDefaultRoles } from "../../test/clerkEvents";
import { clerkError, route, type ClerkObject, type FakeClerkData } from "../../test/fakeClerkRoutes";
import { PLAYGROUND_CLERK_API_URL, PLAYGROUND_CLERK_SECRET_KEY, PLAYGROUND_ISSUER } from "../config";
import { membershipEventFor, organizationSnapshot, PEOPLE, personById, TEAMS, userSnapshot } from "../seed";

/** The instance's data, as of `now`. */
export function sampleClerkData(now: number): FakeClerkData {
  const at = now - 5 * 60 * 60_000;
  return {
    users: PEOPLE.map((person) => userSnapshot(person, at)),
    organizations: TEAMS.map((team) => organizationSnapshot(team, at)),
    memberships: TEAMS.flatMap((team) =>
      team.members.map(
        ({ personId, role }) =>
          membershipEventFor("organizationMembership.created", team, personById(personId)!, role, at).data,
      ),
    ),
    // Clerk's default roles, which every instance lists (the sample memberships copy their permissions).
    roles: clerkDefaultRoles(at - 60 * 24 * 60 * 60_000),
  };
}

const LISTS: Record<string, Exclude<keyof FakeClerkData, "instanceId" | "satellites">> = {
  user: "users",
  organization: "organizations",
  organization_membership: "memberships",
  role: "roles",
};

/** Keeps `data` in step with a Clerk event Roster accepted: snapshots replace, deletes remove. */
export function applyToClerkData(data: FakeClerkData, event: unknown): void {
  if (typeof event !== "object" || event === null) return;
  const { type, data: object } = event as { type?: unknown; data?: unknown };
  if (typeof type !== "string" || typeof object !== "object" || object === null) return;
  const family = type.split(".")[0];
  const list =
    family === "user"
      ? "users"
      : family === "organization"
        ? "organizations"
        : family === "organizationMembership"
          ? "memberships"
          : LISTS[String((object as ClerkObject).object)];
  if (list === undefined) return;
  const id = (object as ClerkObject).id;
  const rest = (data[list] ?? []).filter((item) => item.id !== id);
  data[list] = type.endsWith(".deleted") ? rest : [...rest, object as ClerkObject];
  if (type === "user.deleted" || type === "organization.deleted") {
    const key = type === "user.deleted" ? "user_id" : "id";
    data.memberships = data.memberships.filter((membership) => {
      const owner = type === "user.deleted" ? membership.public_user_data : membership.organization;
      return (owner as ClerkObject | undefined)?.[key] !== id;
    });
  }
}

/** Clerk's answer to a Backend API request, or null when `url` is not the playground's Clerk API. */
export function answerClerkApi(data: FakeClerkData, url: string, init?: RequestInit): Response | null {
  if (!url.startsWith(`${PLAYGROUND_CLERK_API_URL}/`)) return null;
  const headers = new Headers(init?.headers);
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  if (headers.get("authorization") !== `Bearer ${PLAYGROUND_CLERK_SECRET_KEY}`)
    return json(401, clerkError("authentication_invalid", "The provided secret key is invalid"));
  const parsed = new URL(url);
  const path = parsed.pathname.slice(new URL(PLAYGROUND_CLERK_API_URL).pathname.replace(/\/$/, "").length);
  const { status, body } = route(data, path, parsed.searchParams, PLAYGROUND_ISSUER);
  return json(status, body);
}
