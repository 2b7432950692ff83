/**
 * A fake of the parts of Clerk's Backend API that backfill, reconcile and fetch-missing read,
 * served on 127.0.0.1 for tests. It answers like Clerk (`GET /v1/users` is a bare array, the
 * other lists are `{ data, total_count }`, `order_by`, `limit`, `offset` and id filters work,
 * 404 for unknown ids, 401 for a wrong key), records every request, and can be told to answer
 * 429 with a `Retry-After` or to change its data between requests. Loopback only, and it stops
 * itself after `lifetimeMs` even if a test forgets to close it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
// Node's own timers: tests fake the global ones, and the self-stop must not fire when they run all timers.
import { clearTimeout, setTimeout } from "node:timers";

type ClerkObject = Record<string, unknown>;

/** What the fake Clerk instance holds; tests may change it at any time. */
export type FakeClerkData = { users: ClerkObject[]; organizations: ClerkObject[]; memberships: ClerkObject[] };

/** The fake instance's Frontend API (what `GET /v1/domains` reports); set CLERK_JWT_ISSUER_DOMAIN to it. */
export const FAKE_FRONTEND_API = "https://fake-otter-12.clerk.accounts.dev";

export type RecordedRequest = { path: string; query: URLSearchParams; at: number; status: number };

export type FakeClerkApi = {
  /** The base URL to set as CLERK_API_URL. */
  url: string;
  secretKey: string;
  data: FakeClerkData;
  requests: RecordedRequest[];
  /** Answer the next `count` requests with 429 and `Retry-After: <seconds>`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next `count` requests with this status (e.g. 503). */
  failNext(count: number, status: number): void;
  /** Called before each request is answered (after recording it), to change data mid-run. */
  beforeAnswer: ((request: RecordedRequest) => void) | null;
  /**
   * Answers a request in place of the fake Clerk (raw text, e.g. a proxy's HTML 404 page) when it
   * returns an answer; null lets the fake answer.
   */
  answerInstead: ((request: RecordedRequest) => { status: number; text: string } | null) | null;
  close(): Promise<void>;
};

export const FAKE_SECRET_KEY = "sk_test_fakeClerkApiSecretKey0000000000";

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function clerkError(code: string, message: string) {
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

function route(
  data: FakeClerkData,
  path: string,
  query: URLSearchParams,
  frontendApi: string,
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
  if (resource === "domains" && id === undefined) {
    const domain = {
      object: "domain",
      id: "dmn_fake",
      name: new URL(frontendApi).host,
      is_satellite: false,
      frontend_api_url: frontendApi,
    };
    return { status: 200, body: { data: [domain], total_count: 1 } };
  }
  if (resource === "organization_memberships" && id === undefined) {
    return {
      status: 200,
      body: { data: paged(data.memberships, query, "__none"), total_count: data.memberships.length },
    };
  }
  return { status: 404, body: clerkError("resource_not_found", `no route ${path}`) };
}

/** Starts a fake Clerk Backend API on 127.0.0.1 (a free port) holding `data`. */
export async function startFakeClerkApi(
  data: FakeClerkData,
  {
    secretKey = FAKE_SECRET_KEY,
    lifetimeMs = 60_000,
    frontendApi = FAKE_FRONTEND_API,
  }: {
    secretKey?: string;
    lifetimeMs?: number;
    /** The instance's Frontend API (what `GET /v1/domains` reports): another one fakes another instance. */
    frontendApi?: string;
  } = {},
): Promise<FakeClerkApi> {
  let rateLimited: { count: number; retryAfterSeconds: number } = { count: 0, retryAfterSeconds: 0 };
  let failing: { count: number; status: number } = { count: 0, status: 500 };

  const api: FakeClerkApi = {
    url: "",
    secretKey,
    data,
    requests: [],
    rateLimitNext(count, retryAfterSeconds) {
      rateLimited = { count, retryAfterSeconds };
    },
    failNext(count, status) {
      failing = { count, status };
    },
    beforeAnswer: null,
    answerInstead: null,
    close: async () => {
      clearTimeout(selfStop);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const recorded: RecordedRequest = { path: url.pathname, query: url.searchParams, at: Date.now(), status: 0 };
    api.requests.push(recorded);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      send(res, status, body, headers);
    };
    if (req.method !== "GET") return answer(405, clerkError("method_not_allowed", "GET only"));
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return answer(401, clerkError("authentication_invalid", "The provided secret key is invalid."));
    }
    if (rateLimited.count > 0) {
      rateLimited.count -= 1;
      return answer(429, clerkError("too_many_requests", "Too many requests"), {
        "Retry-After": String(rateLimited.retryAfterSeconds),
      });
    }
    if (failing.count > 0) {
      failing.count -= 1;
      return answer(failing.status, clerkError("internal_error", "Something went wrong"));
    }
    api.beforeAnswer?.(recorded);
    const instead = api.answerInstead?.(recorded) ?? null;
    if (instead !== null) {
      recorded.status = instead.status;
      res.writeHead(instead.status, { "Content-Type": "text/html" });
      res.end(instead.text);
      return;
    }
    const { status, body } = route(api.data, url.pathname, url.searchParams, frontendApi);
    answer(status, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the fake Clerk API has no port");
  api.url = `http://127.0.0.1:${address.port}`;
  // Never outlive the test run, even when a test forgets close().
  const selfStop = setTimeout(() => server.close(), lifetimeMs);
  selfStop.unref();
  server.unref();
  return api;
}

/**
 * `fetch` over node:http, for GETs to the fake API while fake timers run. The runtime's own fetch
 * keeps its timeouts on the global timers, which the tests fake and run all at once, so it
 * times out mid-request; node:http keeps its own. Install it with
 * `vi.stubGlobal("fetch", loopbackFetch)`; it refuses anything but 127.0.0.1.
 */
export const loopbackFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") throw new TypeError(`loopbackFetch only reaches 127.0.0.1, not ${url.host}`);
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  return await new Promise<Response>((resolve, reject) => {
    const req = httpRequest(url, { method: init?.method ?? "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (typeof value === "string") responseHeaders.set(key, value);
        }
        resolve(
          new Response(Buffer.concat(chunks).toString("utf8"), {
            status: res.statusCode ?? 500,
            headers: responseHeaders,
          }),
        );
      });
      res.on("error", reject);
    });
    req.on("error", (error) => reject(new TypeError(`fetch failed: ${error.message}`)));
    req.end();
  });
};
