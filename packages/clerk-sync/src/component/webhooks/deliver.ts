import type { FunctionReference } from "convex/server";
import { api } from "../_generated/api.js";
import type { Outcome } from "../schema.js";

/** The two mutations a delivery runs: the app's route names them through `components.clerkSync`, the component's own work through `internal`. */
export type DeliveryRefs = {
  apply: FunctionReference<
    "mutation",
    "public" | "internal",
    { svixId: string; payload: string; handles?: { onChange: string | null }; retry?: boolean },
    Outcome | "not_json"
  >;
  markFailed: FunctionReference<
    "mutation",
    "public" | "internal",
    { svixId: string; payload: string; error: string },
    null
  >;
};

type RunMutation = {
  runMutation: <Ref extends FunctionReference<"mutation", "public" | "internal">>(
    ref: Ref,
    args: Ref["_args"],
  ) => Promise<Ref["_returnType"]>;
};

/**
 * Applies a verified event in one mutation. When applying throws (a hook included), the failure is
 * recorded (with the payload, less private metadata) in a mutation of its own, so it survives the
 * rollback, and the outcome is "failed", so Svix retries. "not_json": nothing was written. Shared by
 * the app's route (client/routes.ts) and the component's retry and re-apply work.
 */
export async function deliver(
  ctx: RunMutation,
  refs: DeliveryRefs,
  svixId: string,
  payload: string,
  extra: { handles?: { onChange: string | null }; retry?: boolean } = {},
): Promise<{ outcome: Outcome | "not_json"; error?: string }> {
  try {
    const outcome = await ctx.runMutation(refs.apply, { svixId, payload, ...extra });
    return { outcome };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown.message : String(thrown);
    console.error(`Clerk event ${svixId} failed to apply and is kept for a retry: ${error}`);
    await ctx.runMutation(refs.markFailed, { svixId, payload, error });
    return { outcome: "failed", error };
  }
}

/** The component's own deliveries (retries, kept foreign events): the same two mutations the app's route runs. */
export const OWN_DELIVERY: DeliveryRefs = {
  apply: api.webhooks.ingest.apply,
  markFailed: api.webhooks.ingest.markFailed,
};
