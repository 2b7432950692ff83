/**
 * A stand-in for `@clerk/react` in component tests (Clerk's script cannot load here):
 *
 *   vi.mock("@clerk/react", () => import("../../test/react/clerkMock"));
 *
 * The signed-in user and the active organization are set with `setActiveOrganization`.
 */
import type { ReactNode } from "react";
import { useSyncExternalStore } from "react";

type ClerkMockState = { activeOrganizationId: string | null; activeOrganizationName: string };

let state: ClerkMockState = { activeOrganizationId: null, activeOrganizationName: "" };
const listeners = new Set<() => void>();

function useClerkMockState(): ClerkMockState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Makes `organizationId` Clerk's active organization (null: none), as the switcher would. */
export function setActiveOrganization(organizationId: string | null, name = "Active organization"): void {
  state = { activeOrganizationId: organizationId, activeOrganizationName: name };
  for (const listener of listeners) listener();
}

export function useOrganization() {
  const { activeOrganizationId, activeOrganizationName } = useClerkMockState();
  return {
    isLoaded: true,
    organization: activeOrganizationId === null ? null : { id: activeOrganizationId, name: activeOrganizationName },
  };
}

export function useOrganizationList() {
  return {
    isLoaded: true,
    setActive: ({ organization }: { organization: string | null }) => {
      setActiveOrganization(organization);
      return Promise.resolve();
    },
  };
}

export function useClerk() {
  return { openUserProfile: () => {}, openCreateOrganization: () => {} };
}

export function useAuth() {
  return {
    isLoaded: true,
    isSignedIn: true,
    getToken: () => Promise.resolve("test-token"),
    orgId: state.activeOrganizationId,
  };
}

export function ClerkProvider({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
export function ClerkLoaded({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
export function ClerkLoading() {
  return null;
}
export function ClerkFailed() {
  return null;
}
export function OrganizationSwitcher() {
  return <button type="button">Switch organization</button>;
}
export function UserButton() {
  return <button type="button">Account</button>;
}
export function SignIn() {
  return <div>Clerk sign-in</div>;
}
export function SignInButton({ children }: { children?: ReactNode }) {
  return <>{children}</>;
}
