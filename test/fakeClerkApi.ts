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
import { clerkError, FAKE_FRONTEND_API, route, type FakeClerkData } from "./fakeClerkRoutes";

export { FAKE_FRONTEND_API, type FakeClerkData } from "./fakeClerkRoutes";

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
