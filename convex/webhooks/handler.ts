import { internal } from "../_generated/api";
import { httpAction, type ActionCtx } from "../_generated/server";
import { MissingEnvError, webhookSigningSecrets } from "../env";
import type { Outcome } from "../schema";
import { MAX_BODY_BYTES, readSvixHeaders, verifySignature } from "./verify";

function answer(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/**
 * Applies a verified event in one mutation. When applying throws, the failure is recorded with
 * the payload in a mutation of its own (so it survives the rollback) and the answer is 500, so
 * Svix retries. Shared by the endpoint and the retry tool.
 */
export async function deliver(
  ctx: Pick<ActionCtx, "runMutation">,
  svixId: string,
  payload: string,
): Promise<{ outcome: Outcome; error?: string }> {
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
 * POST /clerk-webhook: verify the Svix signature on the raw body, apply the event in one
 * mutation, answer. Unverifiable requests get 4xx and write nothing.
 */
export const clerkWebhook = httpAction(async (ctx, request) => {
  let secrets: string[];
  try {
    secrets = webhookSigningSecrets();
  } catch (error) {
    if (!(error instanceof MissingEnvError)) throw error;
    console.error(error.message);
    return answer(500, { error: "The webhook signing secret is not configured on this deployment." });
  }

  const svix = readSvixHeaders(request.headers);
  if (!svix.ok) return answer(400, { error: svix.error });
  const headers = svix.headers;

  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_BODY_BYTES) return answer(413, { error: `Body over ${MAX_BODY_BYTES} bytes.` });
  const body = await request.text();
  if (new TextEncoder().encode(body).length > MAX_BODY_BYTES) {
    return answer(413, { error: `Body over ${MAX_BODY_BYTES} bytes.` });
  }

  const verification = verifySignature(body, headers, secrets);
  if (!verification.ok) {
    if (verification.status === 500) console.error(verification.error);
    return answer(verification.status, {
      error: verification.status === 500 ? "Webhook secret misconfigured." : verification.error,
    });
  }

  try {
    JSON.parse(body);
  } catch {
    return answer(400, { error: "Body is not JSON." });
  }

  const { outcome, error } = await deliver(ctx, headers["svix-id"], body);
  return outcome === "failed" ? answer(500, { outcome, error: error ?? "" }) : answer(200, { outcome });
});
