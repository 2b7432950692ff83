/**
 * Who keeps a team: Clerk refuses (`organization_minimum_permissions_needed`) any leave, removal or
 * role change that would leave an organization without a member who may both manage its members
 * and delete it. Roster checks the same rule before it asks Clerk, so it can explain the rule and
 * offer a way out instead of only relaying the refusal.
 *
 * The rule is about permissions, not a role's name: a "keeper role" is `org:admin` (which Roster
 * treats as holding everything, model/access.ts) or any role whose current permissions hold all of
 * KEEPER_PERMISSIONS. The check reads the roles (a handful: Clerk instances have few) and, per
 * keeper role, at most two of its holders in the organization (the `by_organization_and_role`
 * index): a bounded read whatever the team's size.
 */
import type { Doc } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import { ADMIN_ROLE, PERMISSION } from "./access.js";

/**
 * What someone must hold so the team is not orphaned: manage (and read) its members, and delete it
 * — what Clerk's Creator role must hold, the set Clerk's rule is inferred to check (the playground's
 * simulated Clerk refuses on the same set, playground/clerkRules.ts MINIMUM_PERMISSIONS).
 */
export const KEEPER_PERMISSIONS = [PERMISSION.readMembers, PERMISSION.manageMembers, PERMISSION.deleteProfile] as const;

/** The most roles the check reads (Clerk instances have a few; more are not keepers Roster knows of). */
export const MAX_ROLES_READ = 100;

/** True when a role's permissions keep a team. */
export function keepsTeam(permissions: readonly string[]): boolean {
  return KEEPER_PERMISSIONS.every((permission) => permissions.includes(permission));
}

/**
 * The role keys that keep a team: `org:admin`, and each role whose current permissions hold every
 * keeper permission. A role Roster has not seen (no `role.*` event, no listing) is not counted.
 */
export async function keeperRoles(ctx: QueryCtx): Promise<string[]> {
  const roles = await ctx.db.query("roles").take(MAX_ROLES_READ);
  const keys = new Set<string>([ADMIN_ROLE]);
  for (const role of roles) if (keepsTeam(role.permissions)) keys.add(role.key);
  // `org:admin` keeps a team even when a custom role set gives it fewer permissions (model/access.ts).
  return [...keys].sort();
}

/**
 * Up to `limit` distinct members of the organization who hold a keeper role, found through the
 * `by_organization_and_role` index (at most `limit` reads per keeper role).
 */
export async function teamKeepers(
  ctx: QueryCtx,
  organizationId: string,
  limit = 2,
  roles?: string[],
): Promise<Array<Doc<"memberships">>> {
  const found = new Map<string, Doc<"memberships">>();
  for (const role of roles ?? (await keeperRoles(ctx))) {
    if (found.size >= limit) break;
    const holders = await ctx.db
      .query("memberships")
      .withIndex("by_organization_and_role", (q) => q.eq("organizationId", organizationId).eq("role", role))
      .take(limit);
    for (const holder of holders) if (found.size < limit) found.set(holder.userId, holder);
  }
  return [...found.values()];
}

/** What the check knows about a team's keepers, as the client shows it. */
export type KeeperStanding = {
  /** The role keys that keep the team. */
  keeperRoles: string[];
  /** The one member who keeps the team, when there is exactly one (else null: several, or none). */
  soleKeeperId: string | null;
  /** No member keeps the team (it is orphaned already, e.g. by a change made outside Roster). */
  orphaned: boolean;
};

/** The team's keeper standing: its keeper roles and, when there is only one, who keeps it. */
export async function keeperStanding(ctx: QueryCtx, organizationId: string): Promise<KeeperStanding> {
  const roles = await keeperRoles(ctx);
  const keepers = await teamKeepers(ctx, organizationId, 2, roles);
  return {
    keeperRoles: roles,
    soleKeeperId: keepers.length === 1 ? keepers[0]!.userId : null,
    orphaned: keepers.length === 0,
  };
}

/**
 * True when `userId` going (leaving, removed), or taking `newRole` instead of their role, would
 * leave the organization without a keeper — the change Clerk refuses. A change that does not touch
 * the last keeper, or a team already without one (nothing left to protect), is not refused here.
 */
export async function wouldOrphan(
  ctx: QueryCtx,
  organizationId: string,
  userId: string,
  newRole: string | null = null,
): Promise<boolean> {
  const { keeperRoles: roles, soleKeeperId } = await keeperStanding(ctx, organizationId);
  if (soleKeeperId !== userId) return false;
  return newRole === null || !roles.includes(newRole);
}
