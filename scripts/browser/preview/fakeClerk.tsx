/**
 * Stands in for `@clerk/react` in the preview build (Clerk cannot be reached here): the active
 * organization and user come from the recorded scenario; the widgets are look-alikes.
 */
import type { ReactNode } from "react";
import type { Scenario } from "../recording";

let scenario: Pick<Scenario, "activeOrganization" | "user"> = {
  activeOrganization: null,
  user: { name: "", imageUrl: null },
};

/** Chooses who is signed in and which organization is active (before the first render). */
export function setClerkScenario(next: Pick<Scenario, "activeOrganization" | "user">): void {
  scenario = next;
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word[0]?.toUpperCase())
      .join("") || "?"
  );
}

export function useOrganization() {
  const active = scenario.activeOrganization;
  return { isLoaded: true, organization: active === null ? null : { id: active.id, name: active.name } };
}

export function useOrganizationList() {
  return { isLoaded: true, setActive: () => Promise.resolve() };
}

export function useClerk() {
  return { openUserProfile: () => {}, openCreateOrganization: () => {} };
}

export function OrganizationSwitcher() {
  const active = scenario.activeOrganization;
  const label = active?.name ?? "Personal account";
  return (
    <button
      type="button"
      aria-label={`Organization: ${label}`}
      className="flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
    >
      <span
        aria-hidden="true"
        className="grid size-6 place-items-center rounded-md bg-slate-800 text-[10px] font-bold text-white"
      >
        {initials(label)}
      </span>
      <span className="hidden max-w-40 truncate sm:inline">{label}</span>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-slate-400">
        <path d="M4.2 6.2a.75.75 0 0 1 1.06 0L8 8.94l2.74-2.74a.75.75 0 1 1 1.06 1.06l-3.27 3.27a.75.75 0 0 1-1.06 0L4.2 7.26a.75.75 0 0 1 0-1.06Z" />
      </svg>
    </button>
  );
}

export function UserButton() {
  return (
    <button
      type="button"
      aria-label={`Account: ${scenario.user.name}`}
      className="grid size-8 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white ring-2 ring-brand-100"
    >
      {initials(scenario.user.name)}
    </button>
  );
}

export function SignIn() {
  return <div>Clerk sign-in (not available in the preview)</div>;
}

export function ClerkLoaded({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
