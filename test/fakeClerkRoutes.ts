/**
 * The pure part of the fake Clerk Backend API (test/fakeClerkApi.ts serves it on 127.0.0.1; the
 * playground's worker answers its `fetch` with it): Clerk's answers to the reads backfill,
 * reconcile and fetch-missing make, over a small instance's data.
 */

import { clerkDefaultRoles, INSTANCE_ID } from "./clerkEvents";

export type ClerkObject = Record<string, unknown>;

/**
 * What the fake Clerk instance holds; tests may change it at any time. Without `roles`, it lists
 * Clerk's default roles (Admin, Member), as every Clerk instance does.
 */
export type FakeClerkData = {
  users: ClerkObject[];
  organizations: ClerkObject[];
  memberships: ClerkObject[];
  roles?: ClerkObject[];
  /** The instance's id (what `GET /v1/instance` reports); the catalog's INSTANCE_ID when unset. */
  instanceId?: string;
  /** More Frontend API URLs `GET /v1/domains` lists after the instance's own (satellite domains). */
  satellites?: string[];
};

/** The fake instance's Frontend API (what `GET /v1/domains` reports); set CLERK_JWT_ISSUER_DOMAIN to it. */
export const FAKE_FRONTEND_API = "https://fake-otter-12.clerk.accounts.dev";

export function clerkError(code: string, message: string) {
  return { errors: [{ code, message, long_message: message }] };
}

function sorted(items: ClerkObject[], orderBy: string | null): ClerkObject[] {
  const descending = orderBy === null || orderBy.startsWith("-");
  const field = (orderBy ?? "-created_at").replace(/^[+-]/, "");
  const key = (item: ClerkObject) => {
    const value = item[field];
    return typeof value === "number" ? value : 0;
  };
  const copy = [...items].sort((a, b) => key(a) - key(b) || String(a.id).localeCompare(String(b.id)));
  return descending ? copy.reverse() : copy;
}

function paged(items: ClerkObject[], query: URLSearchParams, idFilter: string): ClerkObject[] {
  const ids = query.getAll(idFilter);
  const filtered = ids.length > 0 ? items.filter((item) => ids.includes(String(item.id))) : items;
  const limit = Math.min(500, Number(query.get("limit") ?? "10"));
  const offset = Number(query.get("offset") ?? "0");
  return sorted(filtered, query.get("order_by")).slice(offset, offset + limit);
}

function userIdOf(membership: ClerkObject): unknown {
  return (membership.public_user_data as ClerkObject | undefined)?.user_id;
}

function orgIdOf(membership: ClerkObject): unknown {
  return (membership.organization as ClerkObject | undefined)?.id;
}

/**
 * Clerk's answer to `GET <path>?<query>` over `data`: a status and a JSON body. The Frontend API
 * that `GET /v1/domains` reports is `frontendApi` (the instance check of backfill and reconcile).
 */
export function route(
  data: FakeClerkData,
  path: string,
  query: URLSearchParams,
  frontendApi: string = FAKE_FRONTEND_API,
): { status: number; body: unknown } {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts[0] !== "v1") return { status: 404, body: clerkError("resource_not_found", "not found") };
  const [, resource, id, sub] = parts;
  const notFound = { status: 404, body: clerkError("resource_not_found", `${resource}/${id} not found`) };
  if (resource === "users") {
    if (id === undefined) return { status: 200, body: paged(data.users, query, "user_id") };
    if (id === "count") return { status: 200, body: { object: "total_count", total_count: data.users.length } };
    const user = data.users.find((u) => u.id === id);
    return user ? { status: 200, body: user } : notFound;
  }
  if (resource === "organizations") {
    if (id === undefined) {
      const ids = query.getAll("organization_id");
      const all = ids.length > 0 ? data.organizations.filter((o) => ids.includes(String(o.id))) : data.organizations;
      return {
        status: 200,
        body: { data: paged(data.organizations, query, "organization_id"), total_count: all.length },
      };
    }
    const organization = data.organizations.find((o) => o.id === id);
    if (!organization) return notFound;
    if (sub === undefined) return { status: 200, body: organization };
    if (sub === "memberships") {
      const members = data.memberships.filter((m) => orgIdOf(m) === id);
      const userIds = query.getAll("user_id");
      const matching = userIds.length > 0 ? members.filter((m) => userIds.includes(String(userIdOf(m)))) : members;
      return { status: 200, body: { data: paged(matching, query, "__none"), total_count: matching.length } };
    }
  }
  if (resource === "instance" && id === undefined) {
    return {
      status: 200,
      body: {
        object: "instance",
        id: data.instanceId ?? INSTANCE_ID,
        environment_type: "development",
        allowed_origins: null,
      },
    };
  }
  if (resource === "domains" && id === undefined) {
    const domain = {
      object: "domain",
      id: "dmn_fake",
      name: new URL(frontendApi).host,
      is_satellite: false,
      frontend_api_url: frontendApi,
    };
    const satellites = (data.satellites ?? []).map((url, i) => ({
      object: "domain",
      id: `dmn_satellite${i}`,
      name: new URL(url).host,
      is_satellite: true,
      frontend_api_url: url,
    }));
    return { status: 200, body: { data: [domain, ...satellites], total_count: 1 + satellites.length } };
  }
  if (resource === "organization_roles") {
    const roles = data.roles ?? clerkDefaultRoles();
    if (id === undefined)
      return { status: 200, body: { data: paged(roles, query, "__none"), total_count: roles.length } };
    const role = roles.find((r) => r.id === id);
    return role ? { status: 200, body: role } : notFound;
  }
  if (resource === "organization_memberships" && id === undefined) {
    return {
      status: 200,
      body: { data: paged(data.memberships, query, "__none"), total_count: data.memberships.length },
    };
  }
  return { status: 404, body: clerkError("resource_not_found", `no route ${path}`) };
}
