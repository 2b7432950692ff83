import { defineTable, type TableDefinition } from "convex/server";
import { v, type VAny } from "convex/values";

/**
 * The sync engine's tables as Roster's own schema held them before the clerkSync component (main at
 * d9d518d), under their old names: emptied by convex/migrate.ts, removed in a later release.
 */
export const LEGACY_TABLES = [
  "users",
  "organizations",
  "memberships",
  "memberCountShards",
  "organizationDomains",
  "organizationInvitations",
  "roles",
  "deletedRoles",
  "roleListings",
  "permissions",
  "sessions",
  "communications",
  "appInvitations",
  "waitlistEntries",
  "subscriptions",
  "tombstones",
  "webhookEvents",
  "webhookRetryRuns",
  "failedPayloads",
  "failedPayloadSubjects",
  "clerkInstance",
  "clerkInstanceChecks",
  "clerkSyncRuns",
  "clerkSyncCandidates",
] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/** Each old table, accepting any document: the old rows validate whatever shape they had. */
export const legacyTables = Object.fromEntries(LEGACY_TABLES.map((table) => [table, defineTable(v.any())])) as {
  [T in LegacyTable]: TableDefinition<VAny>;
};
