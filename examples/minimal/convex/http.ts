import { httpRouter } from "convex/server";
import { clerk } from "./clerk";

const http = httpRouter();

// Clerk's webhook endpoint (Clerk dashboard → Webhooks): https://<deployment>.convex.site/clerk-webhook
clerk.registerRoutes(http, { path: "/clerk-webhook" });

export default http;
