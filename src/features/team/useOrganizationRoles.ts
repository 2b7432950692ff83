import { useOrganization } from "@clerk/react";
import { useEffect, useState } from "react";

export type RoleOption = { key: string; name: string };

/** Clerk's default roles: what the pickers offer until (or unless) Clerk lists the instance's own. */
export const DEFAULT_ROLE_OPTIONS: readonly RoleOption[] = [
  { key: "org:admin", name: "Admin" },
  { key: "org:member", name: "Member" },
];

/** The roles a member of the active organization may be given, as Clerk lists them (`organization.getRoles()`). */
export function useOrganizationRoles(): readonly RoleOption[] {
  const { organization } = useOrganization();
  const [roles, setRoles] = useState<readonly RoleOption[]>(DEFAULT_ROLE_OPTIONS);
  const organizationId = organization?.id;
  useEffect(() => {
    if (!organization) return;
    let current = true;
    organization
      .getRoles({ pageSize: 50 })
      .then(({ data }) => {
        if (current && data.length > 0) setRoles(data.map((role) => ({ key: role.key, name: role.name })));
      })
      // Without the list the defaults stay: Clerk still checks every change.
      .catch(() => {});
    return () => {
      current = false;
    };
    // keyed by the organization's id: Clerk's resource object changes identity on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [organizationId]);
  return roles;
}
