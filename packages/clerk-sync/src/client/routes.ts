import { httpActionGeneric, type HttpRouter } from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import { environmentVariable } from "../component/env.js";
import { deliver } from "../component/webhooks/deliver.js";
import { MAX_BODY_BYTES, readSvixHeaders, verifySignature } from "./verify.js";

/** The app's variable holding the endpoint's Svix signing secret(s), space-separated while rotating. */
export const SIGNING_SECRET_VARIABLE = "CLERK_WEBHOOK_SIGNING_SECRET";

/** Thrown when the signing secret is missing; the message says what to run. */
export class MissingSecretError extends Error {}

/** The secrets in `raw`, separated by whitespace; none for an unset or blank variable. */
function secretsIn(raw: string | undefined): string[] {
  return (raw ?? "").split(/\s/).filter((s) => s.length > 0);
}

/** What to do when `variable` holds no secret. */
function missingSecret(variable: string): string {
  return (
    `${variable} is not set. Copy the endpoint's signing secret from ` +
    "Clerk's dashboard (Webhooks → your endpoint → Signing Secret) and run " +
    `\`npx convex env set ${variable} whsec_…\`.`
  );
}

/** The secrets in `raw` (space-separated), or a MissingSecretError naming the variable and the command. */
export function signingSecrets(raw: string | undefined, variable = SIGNING_SECRET_VARIABLE): string[] {
  const secrets = secretsIn(raw);
  if (secrets.length === 0) throw new MissingSecretError(missingSecret(variable));
  return secrets;
}

function answer(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** What a 500 says: the cause is in the deployment's log, never in an answer anyone on the internet can read. */
const NOT_AVAILABLE = "The webhook endpoint is not available.";
const KEPT_FOR_RETRY = "The event could not be applied. It is kept, and applies when retried.";

/**
 * The body as text, read chunk by chunk and given up as soon as it passes `limit` bytes, whether
 * or not a Content-Length header announced it (a chunked upload has none). Null: over the limit.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  // No header: Number(null), 0.
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) return null;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // As request.text() decodes: UTF-8, invalid sequences replaced.
  return new TextDecoder().decode(bytes);
}

export type WebhookRouteOptions = {
  /** The secret(s) to verify with; default: the app's CLERK_WEBHOOK_SIGNING_SECRET, read at each request. */
  signingSecret?: () => string | undefined;
};

type RouteHandles = { handles?: () => Promise<{ onChange: string | null }> };

/**
 * The webhook endpoint as an HTTP action of the app: verify the Svix signature on the raw body,
 * apply the event in ONE component mutation (which parses it, dedupes, applies newer-wins and calls
 * the app's hooks), answer. Unverifiable requests get 4xx and write nothing; an event that fails to
 * apply is kept (a second mutation) and answered 500 so Svix retries.
 */
export function webhookAction(component: ComponentApi, options: WebhookRouteOptions & RouteHandles = {}) {
  // As Convex's generated `env` reads it: the app's deployment environment, read at each request.
  const readSecret = options.signingSecret ?? (() => environmentVariable(SIGNING_SECRET_VARIABLE));
  return httpActionGeneric(async (ctx, request) => {
    const secrets = secretsIn(readSecret());
    if (secrets.length === 0) {
      console.error(missingSecret(SIGNING_SECRET_VARIABLE));
      return answer(500, { error: NOT_AVAILABLE });
    }

    const svix = readSvixHeaders(request.headers);
    if (!svix.ok) return answer(400, { error: svix.error });
    const headers = svix.headers;

    const body = await readBodyWithin(request, MAX_BODY_BYTES);
    if (body === null) return answer(413, { error: `Body over ${MAX_BODY_BYTES} bytes.` });

    const verification = verifySignature(body, headers, secrets);
    if (!verification.ok) {
      if (verification.status === 500) console.error(verification.error);
      return answer(verification.status, { error: verification.status === 500 ? NOT_AVAILABLE : verification.error });
    }

    const refs = { apply: component.webhooks.ingest.apply, markFailed: component.webhooks.ingest.markFailed };
    const extra = options.handles === undefined ? {} : { handles: await options.handles() };
    const { outcome } = await deliver(ctx, refs, headers["svix-id"], body, extra);
    if (outcome === "not_json") return answer(400, { error: "Body is not JSON." });
    return outcome === "failed" ? answer(500, { outcome, error: KEPT_FOR_RETRY }) : answer(200, { outcome });
  });
}

/** Mounts the webhook endpoint on the app's router: POST `path` (default "/clerk-webhook"). */
export function registerWebhookRoute(
  http: HttpRouter,
  component: ComponentApi,
  options: WebhookRouteOptions & RouteHandles & { path?: string } = {},
): void {
  const path = options.path ?? "/clerk-webhook";
  if (!path.startsWith("/")) throw new Error(`The webhook path must start with "/": got ${JSON.stringify(path)}.`);
  http.route({ path, method: "POST", handler: webhookAction(component, options) });
}
