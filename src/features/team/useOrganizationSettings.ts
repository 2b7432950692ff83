import { useClerk } from "@clerk/react";

/** The instance's organization settings Roster's team page follows (Clerk's dashboard sets them). */
export type OrganizationSettings = {
  /** Slugs are turned off: the slug field is not shown. */
  slugDisabled: boolean;
  /** Verified domains are turned on for the instance. */
  domainsEnabled: boolean;
  /** The enrollment modes a domain may be given. */
  enrollmentModes: string[];
};

const ALL_MODES = ["manual_invitation", "automatic_invitation", "automatic_suggestion"];

type EnvironmentLike = {
  organizationSettings?: {
    slug?: { disabled?: boolean };
    domains?: { enabled?: boolean; enrollmentModes?: string[] };
  };
};

/**
 * The instance's organization settings as Clerk's own `<OrganizationProfile />` reads them (its
 * environment). `@clerk/react` exposes no public hook for them, so they are read from the loaded
 * Clerk's environment where present; without it, Roster shows what Clerk allows by default (slug,
 * domains with every mode) and Clerk still refuses what its settings forbid.
 */
export function useOrganizationSettings(): OrganizationSettings {
  const clerk = useClerk() as unknown as { __unstable__environment?: EnvironmentLike | null };
  const settings = clerk.__unstable__environment?.organizationSettings;
  const modes = settings?.domains?.enrollmentModes?.filter((mode) => ALL_MODES.includes(mode));
  return {
    slugDisabled: settings?.slug?.disabled === true,
    domainsEnabled: settings?.domains?.enabled ?? true,
    enrollmentModes: modes && modes.length > 0 ? modes : ALL_MODES,
  };
}
