import { Webhook } from "svix";

/** Clerk payloads are a few kB; metadata is capped at 8 kB per kind. Anything past this is refused with 413. */
export const MAX_BODY_BYTES = 256 * 1024;

export type SvixHeaders = { "svix-id": string; "svix-timestamp": string; "svix-signature": string };

export type Verification = { ok: true } | { ok: false; status: 400 | 401 | 500; error: string };

/** The three Svix headers, or what is wrong with them (any missing or empty; a timestamp that is not whole seconds). */
export function readSvixHeaders(headers: Headers): { ok: true; headers: SvixHeaders } | { ok: false; error: string } {
  const id = headers.get("svix-id");
  const timestamp = headers.get("svix-timestamp");
  const signature = headers.get("svix-signature");
  if (!id || !timestamp || !signature)
    return { ok: false, error: "Missing svix-id, svix-timestamp or svix-signature header." };
  if (!/^\d{1,15}$/.test(timestamp))
    return { ok: false, error: "The svix-timestamp header is not a time in whole seconds." };
  return { ok: true, headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature } };
}

/**
 * Checks the Svix signature of the raw body text against each configured secret (several during
 * a rotation); any one that matches is enough. Timestamps outside Svix's five-minute tolerance
 * are refused, which also bounds how long a captured request could be replayed.
 */
export function verifySignature(body: string, headers: SvixHeaders, secrets: string[]): Verification {
  let lastError = "No matching signature found";
  let usableSecrets = 0;
  for (const secret of secrets) {
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      console.error("One of the CLERK_WEBHOOK_SIGNING_SECRET values is not a valid whsec_… secret; it is skipped.");
      continue;
    }
    usableSecrets += 1;
    try {
      webhook.verify(body, headers);
      return { ok: true };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
  }
  if (usableSecrets === 0) {
    return {
      ok: false,
      status: 500,
      error:
        "CLERK_WEBHOOK_SIGNING_SECRET holds no valid secret. Copy the signing secret from Clerk's dashboard and run " +
        "`npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…`.",
    };
  }
  // A timestamp problem is the sender's clock or a replay, not a forged body: say which.
  return { ok: false, status: /timestamp/i.test(lastError) ? 400 : 401, error: lastError };
}
