/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as crons from "../crons.js";
import type * as env from "../env.js";
import type * as http from "../http.js";
import type * as lib_metadata from "../lib/metadata.js";
import type * as lib_payload from "../lib/payload.js";
import type * as model_auth from "../model/auth.js";
import type * as model_profile from "../model/profile.js";
import type * as model_sync from "../model/sync.js";
import type * as model_users from "../model/users.js";
import type * as users from "../users.js";
import type * as webhooks_envelope from "../webhooks/envelope.js";
import type * as webhooks_handler from "../webhooks/handler.js";
import type * as webhooks_ingest from "../webhooks/ingest.js";
import type * as webhooks_log from "../webhooks/log.js";
import type * as webhooks_registry from "../webhooks/registry.js";
import type * as webhooks_verify from "../webhooks/verify.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  crons: typeof crons;
  env: typeof env;
  http: typeof http;
  "lib/metadata": typeof lib_metadata;
  "lib/payload": typeof lib_payload;
  "model/auth": typeof model_auth;
  "model/profile": typeof model_profile;
  "model/sync": typeof model_sync;
  "model/users": typeof model_users;
  users: typeof users;
  "webhooks/envelope": typeof webhooks_envelope;
  "webhooks/handler": typeof webhooks_handler;
  "webhooks/ingest": typeof webhooks_ingest;
  "webhooks/log": typeof webhooks_log;
  "webhooks/registry": typeof webhooks_registry;
  "webhooks/verify": typeof webhooks_verify;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
