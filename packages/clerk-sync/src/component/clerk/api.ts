/**
 * A small client for the parts of Clerk's Backend API that backfill, reconcile and
 * fetch-missing read. It returns Clerk's raw JSON (snake_case, the shape webhooks carry), so
 * everything goes through the same readers and newer-wins helpers as the webhook, and it turns
 * `429` + `Retry-After` into a `ClerkRateLimitError` the caller reschedules on (Convex actions
 * should not sleep). The endpoints and parameters are the ones `@clerk/backend` uses.
 */
import { isObject, num, str, type JsonObject } from "../lib/payload.js";

/** The Clerk objects Roster lists, fetches and (reconcile) sweeps. */
export type ClerkKind = "users" | "organizations" | "memberships";
/** What backfill lists: the kinds above and the organization roles (listed, never swept). */
export type ListKind = ClerkKind | "roles";

/** Clerk's list endpoints take at most this many items per page (and this many ids per filter). */
export const CLERK_MAX_PAGE = 500;
export const CLERK_MAX_IDS = 100;

/** Clerk answered 429: retry after `retryAfterMs`. */
export class ClerkRateLimitError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Clerk's Backend API rate limit was hit; retrying in ${Math.ceil(retryAfterMs / 1000)} s.`);
  }
}

/** Any other failed request. `transient` ones (5xx, network) are worth retrying; the rest need a fix. */
export class ClerkApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

const DEFAULT_RETRY_AFTER_MS = 10_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * The wait a `Retry-After` header asks for, in ms (seconds or an HTTP date), clamped to
 * 1 s … 10 min; 10 s when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number {
  const clamp = (ms: number) => Math.min(MAX_RETRY_AFTER_MS, Math.max(1_000, Math.ceil(ms)));
  if (header === null || header.trim() === "") return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return clamp(seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? clamp(date - now) : DEFAULT_RETRY_AFTER_MS;
}

export type ClerkApiOptions = {
  secretKey: string;
  /** e.g. https://api.clerk.com (no trailing slash); requests go to `<baseUrl>/v1/…`. */
  baseUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
};

type Query = Record<string, string | number | string[]>;

/** Clerk's Backend API, reading raw JSON. */
export class ClerkApi {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: ClerkApiOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  /** GETs `/v1/<path>`; null for Clerk's own 404 (no such object). Throws ClerkRateLimitError or ClerkApiError otherwise. */
  async get(path: string, query: Query = {}): Promise<unknown> {
    const url = new URL(`${this.options.baseUrl}/v1/${path}`);
    for (const [key, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    let response: Response;
    try {
      response = await this.fetchFn(url.href, {
        headers: { Authorization: `Bearer ${this.options.secretKey}`, Accept: "application/json" },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClerkApiError(`Clerk's Backend API (${url.origin}) could not be reached: ${reason}`, null, true);
    }
    if (response.status === 429)
      throw new ClerkRateLimitError(retryAfterMs(response.headers.get("retry-after"), this.now()));
    const text = await response.text();
    // Only Clerk's own "resource_not_found" means the object is gone: a 404 page from a mistyped
    // CLERK_API_URL or a proxy must stop a reconcile, never read as "everything is gone".
    if (response.status === 404) {
      if (isClerkNotFound(text)) return null;
      throw new ClerkApiError(notClerk(url.origin, `GET /v1/${path} with a 404 that is not Clerk's`), 404, false);
    }
    if (!response.ok)
      throw new ClerkApiError(describeFailure(response.status, path, text), response.status, response.status >= 500);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ClerkApiError(
        notClerk(url.origin, `GET /v1/${path} with a body that is not JSON`),
        response.status,
        false,
      );
    }
  }

  /**
   * One page of users, organizations, roles or memberships, oldest first, with Clerk's total count
   * (null when the endpoint gives none: the users list is a bare array).
   */
  async listPage(
    kind: ListKind,
    offset: number,
    limit: number,
  ): Promise<{ items: JsonObject[]; totalCount: number | null }> {
    const query = { limit, offset, order_by: "+created_at" };
    const body = await this.get(LIST_PATHS[kind], query);
    if (Array.isArray(body)) return { items: body.filter(isObject), totalCount: null };
    if (isObject(body) && Array.isArray(body.data))
      return { items: body.data.filter(isObject), totalCount: num(body, "total_count") };
    throw new ClerkApiError(
      `Clerk's Backend API answered GET /v1/${LIST_PATHS[kind]} with an unexpected shape.`,
      200,
      false,
    );
  }

  /** How many users, organizations, roles or memberships the instance has. */
  async count(kind: ListKind): Promise<number | null> {
    if (kind === "users") return num(await this.get("users/count"), "total_count");
    return (await this.listPage(kind, 0, 1)).totalCount;
  }

  /**
   * The user Clerk changed last (`GET /v1/users?order_by=-updated_at&limit=1`: users are the one
   * list Clerk orders by `updated_at`), or null when the instance has none. The drift watch's probe.
   */
  async newestUser(): Promise<JsonObject | null> {
    const body = await this.get(LIST_PATHS.users, { order_by: "-updated_at", limit: 1 });
    const items = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.data) ? body.data : null;
    if (items === null)
      throw new ClerkApiError("Clerk's Backend API answered GET /v1/users with an unexpected shape.", 200, false);
    const first: unknown = items[0];
    return isObject(first) ? first : null;
  }

  /** Which of these user or organization ids (at most 100) Clerk still has. */
  async existingIds(kind: "users" | "organizations", ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    if (ids.length > CLERK_MAX_IDS) throw new Error(`existingIds takes at most ${CLERK_MAX_IDS} ids`);
    const filter = kind === "users" ? "user_id" : "organization_id";
    const body = await this.get(LIST_PATHS[kind], { [filter]: ids, limit: ids.length });
    const items = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.data) ? body.data : null;
    if (items === null)
      throw new ClerkApiError(
        `Clerk's Backend API answered GET /v1/${LIST_PATHS[kind]} with an unexpected shape.`,
        200,
        false,
      );
    return new Set(items.map((item) => str(item, "id")).filter((id) => id !== null));
  }

  /**
   * The membership ids Clerk still has for these users (at most 100) in one organization, or
   * null when the organization itself is gone.
   */
  async existingMemberships(organizationId: string, userIds: string[]): Promise<Set<string> | null> {
    if (userIds.length > CLERK_MAX_IDS) throw new Error(`existingMemberships takes at most ${CLERK_MAX_IDS} users`);
    const body = await this.get(`organizations/${encodeURIComponent(organizationId)}/memberships`, {
      user_id: userIds,
      limit: Math.max(1, userIds.length),
    });
    if (body === null) return null;
    if (!isObject(body) || !Array.isArray(body.data)) {
      throw new ClerkApiError(
        "Clerk's Backend API answered a memberships request with an unexpected shape.",
        200,
        false,
      );
    }
    return new Set(body.data.map((item) => str(item, "id")).filter((id) => id !== null));
  }

  /**
   * The Frontend API hosts of the instance the secret key belongs to (its primary and satellite
   * domains), lower case. Throws a ClerkApiError when the answer is not a Clerk instance's list of
   * domains (a 404, another shape, no Frontend API URL): the same-instance check cannot be skipped.
   */
  async frontendApiHosts(): Promise<Set<string>> {
    const body = await this.get("domains");
    const items = isObject(body) && Array.isArray(body.data) ? body.data : [];
    const hosts = new Set<string>();
    const origin = new URL(this.options.baseUrl).origin;
    for (const item of items) {
      const url = str(item, "frontend_api_url");
      if (url === null) continue;
      try {
        hosts.add(new URL(url.includes("://") ? url : `https://${url}`).host.toLowerCase());
      } catch {
        // Not a URL: nothing to compare.
      }
    }
    if (hosts.size === 0)
      throw new ClerkApiError(notClerk(origin, "GET /v1/domains without any Frontend API URL"), 200, false);
    return hosts;
  }

  /**
   * The id (`ins_…`) of the instance the secret key belongs to (`GET /v1/instance`, as
   * `@clerk/backend`'s `instance.get()` reads it). Throws a ClerkApiError when the answer is not an
   * instance.
   */
  async instanceId(): Promise<string> {
    const body = await this.get("instance");
    const id = str(body, "id");
    if (id === null || !id.startsWith("ins_"))
      throw new ClerkApiError(
        notClerk(new URL(this.options.baseUrl).origin, "GET /v1/instance without an instance id"),
        200,
        false,
      );
    return id;
  }

  /** One user or organization by id, or null when Clerk has none. */
  async getOne(kind: "users" | "organizations", id: string): Promise<JsonObject | null> {
    const body = await this.get(`${LIST_PATHS[kind]}/${encodeURIComponent(id)}`);
    return isObject(body) ? body : null;
  }
}

const LIST_PATHS: Record<ListKind, string> = {
  users: "users",
  organizations: "organizations",
  roles: "organization_roles",
  memberships: "organization_memberships",
};

/** True for Clerk's own "no such object" answer: `{ errors: [{ code: "resource_not_found" }] }`. */
function isClerkNotFound(text: string): boolean {
  try {
    const errors: unknown = (JSON.parse(text) as JsonObject).errors;
    return Array.isArray(errors) && errors.some((error) => str(error, "code") === "resource_not_found");
  } catch {
    return false;
  }
}

function notClerk(origin: string, what: string): string {
  return (
    `${origin} does not answer as Clerk's Backend API (it answered ${what}); nothing was removed. ` +
    "Check CLERK_API_URL (unset it with `npx convex env remove CLERK_API_URL` to use https://api.clerk.com) and CLERK_SECRET_KEY, then resume."
  );
}

/** Clerk's own words for a failed request: the first error's message, else the start of the body. */
function errorDetail(text: string): string {
  try {
    const errors: unknown = (JSON.parse(text) as JsonObject).errors;
    const first: unknown = Array.isArray(errors) ? errors[0] : null;
    return str(first, "long_message") ?? str(first, "message") ?? "";
  } catch {
    return text.slice(0, 200);
  }
}

function describeFailure(status: number, path: string, text: string): string {
  const detail = errorDetail(text).trim().replace(/\.$/, "");
  const hint =
    status === 401 || status === 403
      ? " CLERK_SECRET_KEY was refused: copy the secret key of the same Clerk instance (Configure → API keys) and run `npx convex env set CLERK_SECRET_KEY sk_…`."
      : "";
  return `Clerk's Backend API answered GET /v1/${path} with ${status}${detail ? `: ${detail}` : ""}.${hint}`;
}
