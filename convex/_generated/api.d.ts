/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type * as admin from "../admin.js";
import type * as clerk from "../clerk.js";
import type * as clerk_admin from "../clerk/admin.js";
import type * as crons from "../crons.js";
import type * as http from "../http.js";
import type * as invitations from "../invitations.js";
import type * as memberships from "../memberships.js";
import type * as migrate from "../migrate.js";
import type * as model_access from "../model/access.js";
import type * as model_activity from "../model/activity.js";
import type * as model_changes from "../model/changes.js";
import type * as model_departures from "../model/departures.js";
import type * as model_erasure from "../model/erasure.js";
import type * as model_legacyTables from "../model/legacyTables.js";
import type * as model_myInvitations from "../model/myInvitations.js";
import type * as model_names from "../model/names.js";
import type * as model_profile from "../model/profile.js";
import type * as model_profileView from "../model/profileView.js";
import type * as model_teams from "../model/teams.js";
import type * as organizations from "../organizations.js";
import type * as users from "../users.js";

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";

declare const fullApi: ApiFromModules<{
  admin: typeof admin;
  clerk: typeof clerk;
  "clerk/admin": typeof clerk_admin;
  crons: typeof crons;
  http: typeof http;
  invitations: typeof invitations;
  memberships: typeof memberships;
  migrate: typeof migrate;
  "model/access": typeof model_access;
  "model/activity": typeof model_activity;
  "model/changes": typeof model_changes;
  "model/departures": typeof model_departures;
  "model/erasure": typeof model_erasure;
  "model/legacyTables": typeof model_legacyTables;
  "model/myInvitations": typeof model_myInvitations;
  "model/names": typeof model_names;
  "model/profile": typeof model_profile;
  "model/profileView": typeof model_profileView;
  "model/teams": typeof model_teams;
  organizations: typeof organizations;
  users: typeof users;
}>;

/**
 * A utility for referencing Convex functions in your app's public API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;

/**
 * A utility for referencing Convex functions in your app's internal API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = internal.myModule.myFunction;
 * ```
 */
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  clerkSync: import("convex-clerk-sync/_generated/component.js").ComponentApi<"clerkSync">;
};
