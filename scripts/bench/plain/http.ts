/**
 * The plain upsert's route: one HTTP action that verifies the Svix signature (the `svix` library,
 * as Clerk's guide does) and runs one mutation for a `user.*` event; other events are answered 200
 * and ignored.
 */
import { httpActionGeneric, httpRouter, makeFunctionReference } from "convex/server";
import { Webhook } from "svix";

type ClerkUser = {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  image_url?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: Array<{ id: string; email_address: string }>;
};

const upsert = makeFunctionReference<"mutation">("users:upsert");
const remove = makeFunctionReference<"mutation">("users:remove");

export const clerkWebhook = httpActionGeneric(async (ctx, request) => {
  const secret = process.env.CLERK_WEBHOOK_SIGNING_SECRET;
  if (secret === undefined) return new Response("CLERK_WEBHOOK_SIGNING_SECRET is not set", { status: 500 });
  const body = await request.text();
  let event: { type: string; data: ClerkUser };
  try {
    // svix 2 throws on a bad signature and returns nothing: the body is parsed once it is verified.
    new Webhook(secret).verify(body, {
      "svix-id": request.headers.get("svix-id") ?? "",
      "svix-timestamp": request.headers.get("svix-timestamp") ?? "",
      "svix-signature": request.headers.get("svix-signature") ?? "",
    });
    event = JSON.parse(body) as typeof event;
  } catch {
    return Response.json({ outcome: "unverified" }, { status: 401 });
  }
  const { type, data } = event;
  if (type === "user.created" || type === "user.updated") {
    const email = data.email_addresses?.find((e) => e.id === data.primary_email_address_id)?.email_address ?? null;
    await ctx.runMutation(upsert, {
      user: {
        clerkId: data.id,
        email,
        firstName: data.first_name ?? null,
        lastName: data.last_name ?? null,
        imageUrl: data.image_url ?? null,
      },
    });
    return Response.json({ outcome: "applied" });
  }
  if (type === "user.deleted") {
    await ctx.runMutation(remove, { clerkId: data.id });
    return Response.json({ outcome: "applied" });
  }
  return Response.json({ outcome: "ignored" });
});

const http = httpRouter();
http.route({ path: "/clerk-webhook", method: "POST", handler: clerkWebhook });
export default http;
