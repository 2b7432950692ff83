import { httpRouter } from "convex/server";
import { env } from "./_generated/server";
import { clerk } from "./clerk";

const http = httpRouter();

// Clerk (through Svix) posts here: https://<deployment>.convex.site/clerk-webhook, verified with
// CLERK_WEBHOOK_SIGNING_SECRET (declared in convex.config.ts; several space-separated while rotating).
clerk.registerRoutes(http, { path: "/clerk-webhook", signingSecret: () => env.CLERK_WEBHOOK_SIGNING_SECRET });

export default http;
