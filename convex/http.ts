import { httpRouter } from "convex/server";
import { clerk } from "./clerk";

const http = httpRouter();

// Clerk (through Svix) posts here: https://<deployment>.convex.site/clerk-webhook
clerk.registerRoutes(http, { path: "/clerk-webhook" });

export default http;
