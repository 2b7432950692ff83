/**
 * The phases of each kind of run, in order: read by the runs (runs.ts) and by the admin view, which
 * imports this file as plain data (it has no imports the client bundle would pull in).
 */
import type { SyncMode, SyncPhase } from "./schema.js";

/**
 * Roles are listed before memberships, so a membership is decided by its role's current
 * permissions from the moment it is written. Reconcile does not sweep roles: a role removed in
 * Clerk without a `role.deleted` webhook keeps granting until that webhook arrives (Svix retries
 * it for days). A sweep would thread a fourth kind through the stored removal counts, candidates,
 * cap and the admin's confirmation view, and its wrong inference would fail whole organizations'
 * members closed at once; for a handful of roles whose deletion Clerk always announces, not worth it.
 */
export const PHASES: Record<SyncMode, SyncPhase[]> = {
  backfill: ["count", "users", "organizations", "roles", "memberships"],
  reconcile: [
    "count",
    "users",
    "organizations",
    "roles",
    "memberships",
    "sweepMemberships",
    "sweepOrganizations",
    "sweepUsers",
    "remove",
  ],
};
