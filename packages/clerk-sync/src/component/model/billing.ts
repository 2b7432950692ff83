import { arr, obj, PayloadError, requireString, str } from "../lib/payload.js";
import type { EventHandler } from "../webhooks/envelope.js";
import { snapshotHandler, type SyncedFamily } from "./families.js";

/**
 * Clerk billing `commerce_subscription` objects → `subscriptions`: the current status and plans
 * per payer (a user or an organization). Subscription items and payment attempts are only logged.
 */
const subscriptions: SyncedFamily<"subscriptions"> = {
  table: "subscriptions",
  kind: "commerce_subscription",
  read: (data) => {
    const clerkId = requireString(data, "id", "subscription");
    const payer = obj(data, "payer");
    const payerId = str(payer, "organization_id") ?? str(payer, "user_id") ?? str(data, "payer_id");
    if (payerId === null) throw new PayloadError(`subscription ${clerkId}: no payer`);
    const plans = arr(data, "items").flatMap((item) => {
      const name = str(obj(item, "plan"), "name");
      return name === null ? [] : [name];
    });
    return { clerkId, parents: [], fields: { payerId, status: str(data, "status") ?? "unknown", plans } };
  },
};

const onSubscription = snapshotHandler(subscriptions);
export const billingEventHandlers: Record<string, EventHandler> = Object.fromEntries(
  ["created", "updated", "active", "pastDue"].map((what) => [`subscription.${what}`, onSubscription]),
);
