/**
 * The network half of `npm run webhook`: posts each signed request in order and says what the
 * endpoint answered. `post` is `fetch` in the CLI and convex-test's `t.fetch` in tests.
 */
import type { SignedRequest } from "./plan";

export type Post = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
) => Promise<Response>;

export type Delivery = { request: SignedRequest; status: number | null; outcome: string | null; error: string | null };

async function answerOf(response: Response): Promise<{ outcome: string | null; error: string | null }> {
  const text = await response.text();
  try {
    const json = JSON.parse(text) as { outcome?: unknown; error?: unknown };
    return {
      outcome: typeof json.outcome === "string" ? json.outcome : null,
      error: typeof json.error === "string" ? json.error : null,
    };
  } catch {
    return { outcome: null, error: text.slice(0, 200) || null };
  }
}

/** Why a request did not arrive: fetch's "fetch failed" and its cause (ECONNREFUSED, ENOTFOUND …). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (!(cause instanceof Error)) return error.message;
  const code = "code" in cause && typeof cause.code === "string" ? cause.code : null;
  return `${error.message}: ${code ?? cause.message}`;
}

/** One line per delivery: status, outcome, event type, svix-id, what it was (and a surprise, if any). */
export function formatDelivery({ request, status, outcome, error }: Delivery): string {
  const surprise = request.expected !== null && outcome !== request.expected ? `  (expected ${request.expected})` : "";
  const answer = outcome ?? error ?? "";
  return `${String(status ?? "ERR").padEnd(4)}${answer.padEnd(10)} ${request.type.padEnd(32)} ${request.svixId}  ${request.label}${surprise}`;
}

/**
 * Posts the requests one after another (scenarios depend on the order), printing each answer.
 * Returns every delivery and the exit code: 1 when any answer was not 2xx or did not arrive.
 */
export async function sendAll(
  url: string,
  requests: SignedRequest[],
  post: Post,
  print: (line: string) => void,
): Promise<{ deliveries: Delivery[]; exitCode: number }> {
  const deliveries: Delivery[] = [];
  for (const request of requests) {
    let delivery: Delivery;
    try {
      const response = await post(url, { method: "POST", headers: request.headers, body: request.body });
      delivery = { request, status: response.status, ...(await answerOf(response)) };
    } catch (error) {
      delivery = { request, status: null, outcome: null, error: `could not reach ${url}: ${reasonOf(error)}` };
    }
    deliveries.push(delivery);
    print(formatDelivery(delivery));
  }
  const failed = deliveries.filter((d) => d.status === null || d.status < 200 || d.status >= 300).length;
  if (failed > 0) print(`${failed} of ${deliveries.length} requests were not accepted.`);
  return { deliveries, exitCode: failed > 0 ? 1 : 0 };
}
