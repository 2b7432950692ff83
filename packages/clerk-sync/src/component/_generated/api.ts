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
import { anyApi } from "convex/server";
import type * as cascades from "../cascades.js";
import type * as clerk_api from "../clerk/api.js";
import type * as clerk_apply from "../clerk/apply.js";
import type * as clerk_drift from "../clerk/drift.js";
import type * as clerk_driftSchema from "../clerk/driftSchema.js";
import type * as clerk_failures from "../clerk/failures.js";
import type * as clerk_fetchMissing from "../clerk/fetchMissing.js";
import type * as clerk_missing from "../clerk/missing.js";
import type * as clerk_paging from "../clerk/paging.js";
import type * as clerk_phases from "../clerk/phases.js";
import type * as clerk_runs from "../clerk/runs.js";
import type * as clerk_sync from "../clerk/sync.js";
import type * as config from "../config.js";
import type * as crons from "../crons.js";
import type * as env from "../env.js";
import type * as lib_addresses from "../lib/addresses.js";
import type * as lib_answers from "../lib/answers.js";
import type * as lib_bounded from "../lib/bounded.js";
import type * as lib_cursor from "../lib/cursor.js";
import type * as lib_handles from "../lib/handles.js";
import type * as lib_hooks from "../lib/hooks.js";
import type * as lib_metadata from "../lib/metadata.js";
import type * as lib_names from "../lib/names.js";
import type * as lib_payload from "../lib/payload.js";
import type * as lib_queue from "../lib/queue.js";
import type * as migrate from "../migrate.js";
import type * as model_access from "../model/access.js";
import type * as model_billing from "../model/billing.js";
import type * as model_communications from "../model/communications.js";
import type * as model_domains from "../model/domains.js";
import type * as model_eventLog from "../model/eventLog.js";
import type * as model_families from "../model/families.js";
import type * as model_keepers from "../model/keepers.js";
import type * as model_memberCount from "../model/memberCount.js";
import type * as model_memberships from "../model/memberships.js";
import type * as model_orgInvitations from "../model/orgInvitations.js";
import type * as model_organizations from "../model/organizations.js";
import type * as model_pin from "../model/pin.js";
import type * as model_retries from "../model/retries.js";
import type * as model_roles from "../model/roles.js";
import type * as model_sessions from "../model/sessions.js";
import type * as model_signups from "../model/signups.js";
import type * as model_sync from "../model/sync.js";
import type * as model_users from "../model/users.js";
import type * as operator from "../operator.js";
import type * as reads from "../reads.js";
import type * as webhooks_deliver from "../webhooks/deliver.js";
import type * as webhooks_envelope from "../webhooks/envelope.js";
import type * as webhooks_eventHook from "../webhooks/eventHook.js";
import type * as webhooks_ingest from "../webhooks/ingest.js";
import type * as webhooks_instance from "../webhooks/instance.js";
import type * as webhooks_kept from "../webhooks/kept.js";
import type * as webhooks_log from "../webhooks/log.js";
import type * as webhooks_registry from "../webhooks/registry.js";
import type * as work from "../work.js";
import type * as workSchema from "../workSchema.js";

const fullApi: ApiFromModules<{
  cascades: typeof cascades;
  "clerk/api": typeof clerk_api;
  "clerk/apply": typeof clerk_apply;
  "clerk/drift": typeof clerk_drift;
  "clerk/driftSchema": typeof clerk_driftSchema;
  "clerk/failures": typeof clerk_failures;
  "clerk/fetchMissing": typeof clerk_fetchMissing;
  "clerk/missing": typeof clerk_missing;
  "clerk/paging": typeof clerk_paging;
  "clerk/phases": typeof clerk_phases;
  "clerk/runs": typeof clerk_runs;
  "clerk/sync": typeof clerk_sync;
  config: typeof config;
  crons: typeof crons;
  env: typeof env;
  "lib/addresses": typeof lib_addresses;
  "lib/answers": typeof lib_answers;
  "lib/bounded": typeof lib_bounded;
  "lib/cursor": typeof lib_cursor;
  "lib/handles": typeof lib_handles;
  "lib/hooks": typeof lib_hooks;
  "lib/metadata": typeof lib_metadata;
  "lib/names": typeof lib_names;
  "lib/payload": typeof lib_payload;
  "lib/queue": typeof lib_queue;
  migrate: typeof migrate;
  "model/access": typeof model_access;
  "model/billing": typeof model_billing;
  "model/communications": typeof model_communications;
  "model/domains": typeof model_domains;
  "model/eventLog": typeof model_eventLog;
  "model/families": typeof model_families;
  "model/keepers": typeof model_keepers;
  "model/memberCount": typeof model_memberCount;
  "model/memberships": typeof model_memberships;
  "model/orgInvitations": typeof model_orgInvitations;
  "model/organizations": typeof model_organizations;
  "model/pin": typeof model_pin;
  "model/retries": typeof model_retries;
  "model/roles": typeof model_roles;
  "model/sessions": typeof model_sessions;
  "model/signups": typeof model_signups;
  "model/sync": typeof model_sync;
  "model/users": typeof model_users;
  operator: typeof operator;
  reads: typeof reads;
  "webhooks/deliver": typeof webhooks_deliver;
  "webhooks/envelope": typeof webhooks_envelope;
  "webhooks/eventHook": typeof webhooks_eventHook;
  "webhooks/ingest": typeof webhooks_ingest;
  "webhooks/instance": typeof webhooks_instance;
  "webhooks/kept": typeof webhooks_kept;
  "webhooks/log": typeof webhooks_log;
  "webhooks/registry": typeof webhooks_registry;
  work: typeof work;
  workSchema: typeof workSchema;
}> = anyApi as any;

/**
 * A utility for referencing Convex functions in your app's public API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
export const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
> = anyApi as any;

/**
 * A utility for referencing Convex functions in your app's internal API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = internal.myModule.myFunction;
 * ```
 */
export const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
> = anyApi as any;
