import { internal } from "../_generated/api";
import { httpAction, type ActionCtx } from "../_generated/server";
import { MissingEnvError, webhookSigningSecrets } from "../env";
import type { Outcome } from "../schema";
import { MAX_BODY_BYTES, readSvixHeaders, verifySignature } from "./verify";

function answer(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** What a 500 says: the cause is in the deployment's log, never in an answer anyone on the internet can read. */
const NOT_AVAILABLE = "The webhook endpoint is not available.";
const KEPT_FOR_RETRY = "The event could not be applied. It is kept, and applies when retried.";

/**
 * Applies a verified event in one mutation. When applying throws, the failure is recorded (with
 * the payload, less private metadata) in a mutation of its own, so it survives the rollback, and
 * the outcome is "failed", so Svix retries. "not_json": nothing was written. Shared by the
 * endpoint and the retry tool.
 */
export async function deliver(
  ctx: Pick<ActionCtx, "runMutation">,
  svixId: string,
  payload: string,
): Promise<{ outcome: Outcome | "not_json"; error?: string }> {
  try {
    const outcome = await ctx.runMutation(internal.webhooks.ingest.apply, { svixId, payload });
    return { outcome };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown.message : String(thrown);
    console.error(`Clerk event ${svixId} failed to apply and is kept for a retry: ${error}`);
    await ctx.runMutation(internal.webhooks.ingest.markFailed, { svixId, payload, error });
    return { outcome: "failed", error };
  }
}

/**
 * The body as text, read chunk by chunk and given up as soon as it passes `limit` bytes, whether
 * or not a Content-Length header announced it (a chunked upload has none). Null: over the limit.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
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

/**
 * POST /clerk-webhook: verify the Svix signature on the raw body, apply the event in one
 * mutation (which also parses it: once per event), answer. Unverifiable requests get 4xx and
 * write nothing.
 */
export const clerkWebhook = httpAction(async (ctx, request) => {
  let secrets: string[];
  try {
    secrets = webhookSigningSecrets();
  } catch (error) {
    if (!(error instanceof MissingEnvError)) throw error;
    console.error(error.message);
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

  const { outcome } = await deliver(ctx, headers["svix-id"], body);
  if (outcome === "not_json") return answer(400, { error: "Body is not JSON." });
  return outcome === "failed" ? answer(500, { outcome, error: KEPT_FOR_RETRY }) : answer(200, { outcome });
});
