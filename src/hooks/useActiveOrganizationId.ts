import { useOrganization } from "@clerk/react";

/**
 * Clerk's active organization as Roster's `organizationId` (`org_…`): null when the personal
 * account is active, undefined while Clerk is still loading.
 */
export function useActiveOrganizationId(): string | null | undefined {
  const { isLoaded, organization } = useOrganization();
  if (!isLoaded) return undefined;
  return organization?.id ?? null;
}
