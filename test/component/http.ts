/**
 * The component-root test backend's HTTP router (test/component/backend.ts mounts it as the
 * component's `http` module; it is never packaged): the real webhook route from the client library,
 * calling the component's own `webhooks/ingest:apply` / `markFailed` as an app's route calls them
 * through `components.clerkSync`. No handles are passed: the backend stored the config already.
 */
import { httpRouter } from "convex/server";
import type { ComponentApi } from "../../packages/clerk-sync/src/client/index";
import { registerWebhookRoute } from "../../packages/clerk-sync/src/client/routes";
import { api } from "../../packages/clerk-sync/src/component/_generated/api";
import { OTHER_SECRET } from "../webhookRequests";

const http = httpRouter();
// The route names only `webhooks.ingest.apply` and `markFailed`: the component's own references serve.
registerWebhookRoute(http, api as unknown as ComponentApi, { path: "/clerk-webhook" });
// The options an app may pass: another path, and a secret of its own instead of CLERK_WEBHOOK_SIGNING_SECRET.
registerWebhookRoute(http, api as unknown as ComponentApi, {
  path: "/hooks/clerk",
  signingSecret: () => OTHER_SECRET,
});

export default http;
