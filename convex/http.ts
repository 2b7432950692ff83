import { httpRouter } from "convex/server";
import { clerkWebhook } from "./webhooks/handler";

const http = httpRouter();

// Clerk (through Svix) posts here: https://<deployment>.convex.site/clerk-webhook
http.route({ path: "/clerk-webhook", method: "POST", handler: clerkWebhook });

export default http;
