/**
 * Roster's simulated Clerk: a stand-in for `@clerk/react` with the parts of its API the app uses.
 * Component tests swap it in with
 *
 *   vi.mock("@clerk/react", () => import("../../test/react/clerkMock"));
 *
 * and set the active organization with `setActiveOrganization`; the playground (playground/,
 * a Vite alias) signs people in and out with `signIn` / `signOut`, offers them in `<SignIn>`
 * (`setSignInChoices`) and lists their organizations in the switcher (`setOrganizations`).
 */
import { ClerkAPIResponseError } from "@clerk/react/errors";
import type { UserIdentity } from "convex/server";
import type { ReactNode } from "react";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { useNavigate } from "react-router";

export type SimulatedUser = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  username: string | null;
  imageUrl: string | null;
  /** A line about this person in the sign-in picker. */
  note?: string;
  /** The organization Clerk makes active when they sign in (Clerk's `last_active_organization_id`). */
  lastActiveOrganization?: SimulatedOrganization | null;
};
export type SimulatedOrganization = { id: string; name: string };

type ClerkState = {
  user: SimulatedUser | null;
  organizations: SimulatedOrganization[];
  activeOrganizationId: string | null;
  activeOrganizationName: string;
  choices: SimulatedUser[];
};

const INITIAL: ClerkState = {
  user: null,
  organizations: [],
  activeOrganizationId: null,
  activeOrganizationName: "",
  choices: [],
};
let state: ClerkState = INITIAL;
const listeners = new Set<() => void>();

function update(next: Partial<ClerkState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

/** Calls `listener` after every change (sign-in, sign-out, organization switch). */
export function subscribeToClerk(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The simulated Clerk's current state. */
export function clerkState(): Readonly<ClerkState> {
  return state;
}

function useClerkState(): ClerkState {
  return useSyncExternalStore(subscribeToClerk, () => state);
}

/** Back to nobody signed in, no organizations, no choices (between tests). */
export function resetClerk(): void {
  clerkBackend = () => Promise.resolve(undefined);
  clerkRequests.length = 0;
  update(INITIAL);
}

/** Makes `organizationId` Clerk's active organization (null: none), as the switcher would. */
export function setActiveOrganization(organizationId: string | null, name?: string): void {
  const known = state.organizations.find((organization) => organization.id === organizationId);
  update({
    activeOrganizationId: organizationId,
    activeOrganizationName: name ?? known?.name ?? "Active organization",
  });
}

/** The organizations the signed-in user belongs to, as Clerk lists them in the switcher. */
export function setOrganizations(organizations: SimulatedOrganization[]): void {
  const active = organizations.find((organization) => organization.id === state.activeOrganizationId);
  update({ organizations, ...(active ? { activeOrganizationName: active.name } : {}) });
}

/** Who `<SignIn>` offers to sign in as. */
export function setSignInChoices(choices: SimulatedUser[]): void {
  update({ choices });
}

/** Signs `user` in (no active organization until one is chosen, as for a fresh Clerk session). */
export function signIn(user: SimulatedUser, activeOrganization: SimulatedOrganization | null = null): void {
  update({
    user,
    organizations: activeOrganization ? [activeOrganization] : [],
    activeOrganizationId: activeOrganization?.id ?? null,
    activeOrganizationName: activeOrganization?.name ?? "",
  });
}

export function signOut(): Promise<void> {
  update({ user: null, organizations: [], activeOrganizationId: null, activeOrganizationName: "" });
  return Promise.resolve();
}

export function fullNameOf(user: Pick<SimulatedUser, "firstName" | "lastName" | "username" | "email">): string {
  return [user.firstName, user.lastName].filter(Boolean).join(" ") || user.username || user.email || "Someone";
}

/**
 * The identity Convex derives from Clerk's "convex" JWT template for a signed-in user: `sub` and
 * `iss`, and the template's profile claims (name, email, given_name, family_name, nickname, picture).
 */
export function clerkIdentity(
  subject: string,
  claims: Partial<UserIdentity> = {},
  issuer = "https://happy-otter-12.clerk.accounts.dev",
): Partial<UserIdentity> {
  return { subject, issuer, tokenIdentifier: `${issuer}|${subject}`, ...claims };
}

/** `clerkIdentity` for a simulated user, with every claim the JWT template carries for them. */
export function identityOf(user: SimulatedUser, issuer?: string): Partial<UserIdentity> {
  const claims: Partial<UserIdentity> = {
    name: fullNameOf(user),
    ...(user.email === null ? {} : { email: user.email }),
    ...(user.firstName === null ? {} : { givenName: user.firstName }),
    ...(user.lastName === null ? {} : { familyName: user.lastName }),
    ...(user.username === null ? {} : { nickname: user.username }),
    ...(user.imageUrl === null ? {} : { pictureUrl: user.imageUrl }),
  };
  return clerkIdentity(user.id, claims, issuer);
}

/**
 * What the simulated Clerk's management methods ask of "Clerk's servers". The default answers every
 * request and sends no webhook; tests and the playground install their own with `setClerkBackend`
 * (test/react/simulatedClerkBackend.ts posts the webhooks Clerk would send), and refuse a request by
 * throwing `clerkApiError(...)`, as Clerk's SDK throws a ClerkAPIResponseError.
 */
export type ClerkRequest =
  | { type: "inviteMember"; organizationId: string; emailAddress: string; role: string }
  | { type: "updateMember"; organizationId: string; userId: string; role: string }
  | { type: "removeMember"; organizationId: string; userId: string }
  | { type: "getInvitations"; organizationId: string }
  | { type: "revokeInvitation"; organizationId: string; invitationId: string }
  | { type: "leaveOrganization"; organizationId: string; userId: string }
  | { type: "createOrganization"; name: string; userId: string };
export type SimulatedInvitation = { id: string; emailAddress: string; role: string };
export type ClerkAnswer = { id?: string; invitations?: SimulatedInvitation[] } | undefined;
export type SimulatedClerkBackend = (request: ClerkRequest) => Promise<ClerkAnswer>;

let clerkBackend: SimulatedClerkBackend = () => Promise.resolve(undefined);
const clerkRequests: ClerkRequest[] = [];

/** Installs what answers the simulated Clerk's management methods (see `ClerkRequest`). */
export function setClerkBackend(backend: SimulatedClerkBackend): void {
  clerkBackend = backend;
}

/** Every management request made since the last `resetClerk()`, oldest first. */
export function clerkRequestLog(): readonly ClerkRequest[] {
  return clerkRequests;
}

function ask(request: ClerkRequest): Promise<ClerkAnswer> {
  clerkRequests.push(request);
  return clerkBackend(request);
}

/** The error Clerk's SDK throws when the Frontend API refuses a request (`errors[0].longMessage`). */
export function clerkApiError(longMessage: string, code = "not_allowed_access", status = 403): ClerkAPIResponseError {
  return new ClerkAPIResponseError(longMessage, {
    data: [{ code, message: longMessage, long_message: longMessage }],
    status,
  });
}

export const SIMULATED_ROLES = [
  { key: "org:admin", name: "Admin", description: "Manages the team and its members." },
  { key: "org:member", name: "Member", description: "Sees the team and its members." },
];

function organizationResource(id: string, name: string) {
  return {
    id,
    name,
    getRoles: () => Promise.resolve({ data: SIMULATED_ROLES, total_count: SIMULATED_ROLES.length }),
    inviteMember: async ({ emailAddress, role }: { emailAddress: string; role: string }) => {
      const answer = await ask({ type: "inviteMember", organizationId: id, emailAddress, role });
      return { id: answer?.id ?? "", emailAddress, role, status: "pending" };
    },
    updateMember: async ({ userId, role }: { userId: string; role: string }) => {
      await ask({ type: "updateMember", organizationId: id, userId, role });
      return { role };
    },
    removeMember: async (userId: string) => {
      await ask({ type: "removeMember", organizationId: id, userId });
      return {};
    },
    getInvitations: async () => {
      const answer = await ask({ type: "getInvitations", organizationId: id });
      const data = (answer?.invitations ?? []).map((invitation) => ({
        ...invitation,
        status: "pending",
        revoke: async () => {
          await ask({ type: "revokeInvitation", organizationId: id, invitationId: invitation.id });
          return { ...invitation, status: "revoked" };
        },
      }));
      return { data, total_count: data.length };
    },
  };
}

export function useOrganization() {
  const { activeOrganizationId, activeOrganizationName } = useClerkState();
  return {
    isLoaded: true,
    organization:
      activeOrganizationId === null ? null : organizationResource(activeOrganizationId, activeOrganizationName),
  };
}

export function useOrganizationList() {
  const { organizations, user } = useClerkState();
  return {
    isLoaded: true,
    userMemberships: { data: organizations.map((organization) => ({ organization })) },
    setActive: ({ organization }: { organization: string | null }) => {
      setActiveOrganization(organization);
      return Promise.resolve();
    },
    createOrganization: async ({ name }: { name: string }) => {
      const answer = await ask({ type: "createOrganization", name, userId: user?.id ?? "" });
      const created = { id: answer?.id ?? "", name };
      update({ organizations: [...state.organizations.filter((o) => o.id !== created.id), created] });
      return created;
    },
  };
}

export function useClerk() {
  return { openUserProfile: () => {}, openCreateOrganization: () => {}, signOut };
}

export function useUser() {
  const { user } = useClerkState();
  return {
    isLoaded: true,
    isSignedIn: user !== null,
    user:
      user === null
        ? null
        : {
            id: user.id,
            fullName: fullNameOf(user),
            firstName: user.firstName,
            imageUrl: user.imageUrl,
            primaryEmailAddress: user.email === null ? null : { emailAddress: user.email },
            leaveOrganization: async (organizationId: string) => {
              await ask({ type: "leaveOrganization", organizationId, userId: user.id });
              return { id: organizationId, deleted: true };
            },
          },
  };
}

export function useAuth() {
  const { user, activeOrganizationId } = useClerkState();
  return {
    isLoaded: true,
    // Component tests render signed-in views without choosing a user.
    isSignedIn: true,
    userId: user?.id ?? null,
    orgId: activeOrganizationId,
    getToken: () => Promise.resolve("test-token"),
    signOut,
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
export function SignedIn({ children }: { children: ReactNode }) {
  return useClerkState().user === null ? null : <>{children}</>;
}
export function SignedOut({ children }: { children: ReactNode }) {
  return useClerkState().user === null ? <>{children}</> : null;
}
export function SignInButton({ children }: { children?: ReactNode }) {
  return <>{children}</>;
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

/** A menu that opens below its button and closes on Escape or a click elsewhere. */
function useMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node))
        setOpen(false);
    };
    document.addEventListener("keydown", close);
    document.addEventListener("mousedown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("mousedown", close);
    };
  }, [open]);
  return { open, setOpen, root };
}

const MENU = "absolute right-0 z-50 mt-2 w-64 rounded-xl border border-slate-200 bg-white p-1 shadow-lg";
const MENU_ITEM =
  "flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none";

export function OrganizationSwitcher({ afterSelectOrganizationUrl }: { afterSelectOrganizationUrl?: string }) {
  const { organizations, activeOrganizationId, activeOrganizationName } = useClerkState();
  const navigate = useNavigate();
  const { open, setOpen, root } = useMenu();
  const menuId = useId();
  const label = activeOrganizationId === null ? "Personal account" : activeOrganizationName;
  const choose = (organization: SimulatedOrganization | null) => {
    setActiveOrganization(organization?.id ?? null, organization?.name);
    setOpen(false);
    if (afterSelectOrganizationUrl !== undefined) void navigate(afterSelectOrganizationUrl);
  };
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        className="flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        <span
          aria-hidden="true"
          className="grid size-6 place-items-center rounded-md bg-slate-800 text-[10px] font-bold text-white"
        >
          {initials(label)}
        </span>
        {/* The name is the button's accessible name on every screen; shown from sm up. */}
        <span className="sr-only">Organization: </span>
        <span className="sr-only sm:not-sr-only sm:inline-block sm:max-w-40 sm:truncate">{label}</span>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-slate-400">
          <path d="M4.2 6.2a.75.75 0 0 1 1.06 0L8 8.94l2.74-2.74a.75.75 0 1 1 1.06 1.06l-3.27 3.27a.75.75 0 0 1-1.06 0L4.2 7.26a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </button>
      {open ? (
        <div id={menuId} role="menu" aria-label="Switch organization" className={MENU}>
          {organizations.map((organization) => (
            <button
              key={organization.id}
              type="button"
              role="menuitemradio"
              aria-checked={organization.id === activeOrganizationId}
              className={MENU_ITEM}
              onClick={() => choose(organization)}
            >
              <span className="truncate">{organization.name}</span>
            </button>
          ))}
          <button
            type="button"
            role="menuitemradio"
            aria-checked={activeOrganizationId === null}
            className={MENU_ITEM}
            onClick={() => choose(null)}
          >
            Personal account
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function UserButton() {
  const { user } = useClerkState();
  const { open, setOpen, root } = useMenu();
  const name = user === null ? "" : fullNameOf(user);
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="grid size-8 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white ring-2 ring-brand-100"
      >
        <span aria-hidden="true">{initials(name)}</span>
        <span className="sr-only">{user === null ? "Account" : `Account: ${name}`}</span>
      </button>
      {open && user !== null ? (
        <div role="menu" aria-label="Account" className={MENU}>
          <p className="px-3 py-2 text-sm">
            <span className="block font-semibold text-slate-900">{name}</span>
            <span className="block truncate text-slate-500">{user.email ?? user.username}</span>
          </p>
          <button type="button" role="menuitem" className={MENU_ITEM} onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Clerk's sign-in, simulated: pick one of the people `setSignInChoices` offers. */
export function SignIn() {
  const { choices } = useClerkState();
  if (choices.length === 0) return <div>Clerk sign-in</div>;
  return (
    <section
      aria-labelledby="simulated-sign-in"
      className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-xl"
    >
      <h2 id="simulated-sign-in" className="text-lg font-bold text-slate-900">
        Sign in to Roster
      </h2>
      <p className="mt-1 text-sm text-slate-600">Clerk is simulated here: sign in as anyone.</p>
      <ul className="mt-4 grid grid-cols-1 gap-2">
        {choices.map((choice) => (
          <li key={choice.id}>
            <button
              type="button"
              onClick={() => signIn(choice, choice.lastActiveOrganization ?? null)}
              className="flex w-full items-center gap-3 rounded-xl border border-slate-200 px-3 py-2 text-left hover:border-brand-500 hover:bg-brand-50"
            >
              <span
                aria-hidden="true"
                className="grid size-9 shrink-0 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white"
              >
                {initials(fullNameOf(choice))}
              </span>
              <span className="min-w-0">
                <span className="block font-semibold text-slate-900">Sign in as {fullNameOf(choice)}</span>
                {choice.note ? <span className="block truncate text-sm text-slate-500">{choice.note}</span> : null}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
