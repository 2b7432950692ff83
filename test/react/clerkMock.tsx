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
import type { KeyboardEvent, ReactNode } from "react";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { useNavigate } from "react-router";
import { TruncatedText, useIsCut } from "../../src/components/TruncatedText";
import { initialsOf } from "../../src/lib/initials";
import type { ClerkRuleRequest } from "../../playground/clerkRules";

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
  instanceSettings = DEFAULT_SETTINGS;
  organizationLogos.clear();
  createTeamDialog = { open: false, returnTo: null };
  clerkRequests.length = 0;
  accountDialog = { open: false, returnTo: null };
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

/**
 * Changes the signed-in user's account fields, as a change made in Clerk would (the playground keeps
 * them in step with the `user.updated` webhooks it sends). Nobody signed in: nothing to change.
 */
export function updateSignedInUser(
  fields: Partial<Pick<SimulatedUser, "firstName" | "lastName" | "email" | "username" | "imageUrl">>,
): void {
  const { user } = state;
  if (user === null) return;
  const changed = (Object.keys(fields) as Array<keyof typeof fields>).some((key) => fields[key] !== user[key]);
  if (changed) update({ user: { ...user, ...fields } });
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
export type ClerkRequest = ClerkRuleRequest;
export type SimulatedInvitation = { id: string; emailAddress: string; role: string };
/** A pending membership request (someone asked to join), as Clerk's SDK lists it. */
export type SimulatedMembershipRequest = {
  id: string;
  createdAt: number;
  publicUserData: {
    userId: string;
    firstName: string | null;
    lastName: string | null;
    identifier: string;
    imageUrl: string | null;
  };
};
/** One of the signed-in user's own pending invitations, as Clerk's SDK lists it. */
export type SimulatedUserInvitation = {
  id: string;
  emailAddress: string;
  role: string;
  publicOrganizationData: { id: string; name: string; imageUrl: string | null };
};
export type SimulatedDomain = {
  id: string;
  name: string;
  enrollmentMode: string | null;
  verificationStatus: string | null;
};
export type ClerkAnswer =
  | {
      id?: string;
      invitations?: SimulatedInvitation[];
      domain?: SimulatedDomain;
      imageUrl?: string | null;
      membershipRequests?: SimulatedMembershipRequest[];
      userInvitations?: SimulatedUserInvitation[];
      /** The organization the user just joined. */
      organization?: SimulatedOrganization;
    }
  | undefined;
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

/**
 * The signed-in user's pending invitations as Clerk's SDK hands them out
 * (`user.getOrganizationInvitations()`): each `accept()` joins the team, and Clerk lists the new
 * membership at once (its webhooks follow).
 */
async function userInvitations() {
  const answer = await ask({ type: "getUserInvitations" });
  const data = (answer?.userInvitations ?? []).map((invitation) => ({
    ...invitation,
    status: "pending",
    accept: async () => {
      const accepted = await ask({ type: "acceptUserInvitation", invitationId: invitation.id });
      const joined = accepted?.organization;
      if (joined) update({ organizations: [...state.organizations.filter((o) => o.id !== joined.id), joined] });
      return { ...invitation, status: "accepted" };
    },
  }));
  return { data, total_count: data.length };
}

/** The error Clerk's SDK throws when the Frontend API refuses a request (`errors[0].longMessage`). */
export function clerkApiError(longMessage: string, code = "not_allowed_access", status = 403): ClerkAPIResponseError {
  return new ClerkAPIResponseError(longMessage, {
    data: [{ code, message: longMessage, long_message: longMessage }],
    status,
  });
}

/**
 * The instance's settings Clerk's dashboard sets, as the simulated Clerk exposes them: in
 * `organization.adminDeleteEnabled`, `user.createOrganizationEnabled` and the environment's
 * `organizationSettings` (`useClerk().__unstable__environment`, where Clerk's own components read it).
 */
export type SimulatedInstanceSettings = {
  adminDeleteEnabled: boolean;
  createOrganizationEnabled: boolean;
  slugDisabled: boolean;
  domainsEnabled: boolean;
  enrollmentModes: string[];
};
const DEFAULT_SETTINGS: SimulatedInstanceSettings = {
  adminDeleteEnabled: true,
  createOrganizationEnabled: true,
  slugDisabled: false,
  domainsEnabled: true,
  enrollmentModes: ["manual_invitation", "automatic_invitation", "automatic_suggestion"],
};
let instanceSettings = DEFAULT_SETTINGS;

/** The simulated instance's settings now. */
export function simulatedInstanceSettings(): Readonly<SimulatedInstanceSettings> {
  return instanceSettings;
}

/** Changes the simulated instance's settings (reset by `resetClerk()`). */
export function setInstanceSettings(settings: Partial<SimulatedInstanceSettings>): void {
  instanceSettings = { ...instanceSettings, ...settings };
  update({});
}

/** A domain as Clerk's SDK hands it out: its fields and the calls that verify, change and remove it. */
function domainResource(organizationId: string, domain: SimulatedDomain) {
  return {
    id: domain.id,
    name: domain.name,
    organizationId,
    enrollmentMode: domain.enrollmentMode,
    verification: domain.verificationStatus === null ? null : { status: domain.verificationStatus },
    prepareAffiliationVerification: async ({ affiliationEmailAddress }: { affiliationEmailAddress: string }) => {
      await ask({
        type: "prepareDomainVerification",
        organizationId,
        domainId: domain.id,
        emailAddress: affiliationEmailAddress,
      });
      return domainResource(organizationId, domain);
    },
    attemptAffiliationVerification: async ({ code }: { code: string }) => {
      await ask({ type: "attemptDomainVerification", organizationId, domainId: domain.id, code });
      return domainResource(organizationId, { ...domain, verificationStatus: "verified" });
    },
    updateEnrollmentMode: async ({
      enrollmentMode,
      deletePending = false,
    }: {
      enrollmentMode: string;
      deletePending?: boolean;
    }) => {
      await ask({ type: "updateDomainEnrollment", organizationId, domainId: domain.id, enrollmentMode, deletePending });
      return domainResource(organizationId, { ...domain, enrollmentMode });
    },
    delete: async () => {
      await ask({ type: "deleteDomain", organizationId, domainId: domain.id });
    },
  };
}

export const SIMULATED_ROLES = [
  { key: "org:admin", name: "Admin", description: "Manages the team and its members." },
  { key: "org:member", name: "Member", description: "Sees the team and its members." },
];

/** The organizations whose logo was uploaded (Clerk's `organization.hasImage`); Clerk's default picture is no logo. */
const organizationLogos = new Map<string, boolean>();

function organizationResource(id: string, name: string) {
  return {
    id,
    name,
    hasImage: organizationLogos.get(id) ?? false,
    adminDeleteEnabled: instanceSettings.adminDeleteEnabled,
    update: async ({ name: newName, slug }: { name: string; slug?: string }) => {
      await ask({
        type: "updateOrganization",
        organizationId: id,
        name: newName,
        ...(slug === undefined ? {} : { slug }),
      });
      return organizationResource(id, newName);
    },
    setLogo: async ({ file }: { file: Blob | string | null }) => {
      await ask({ type: "setOrganizationLogo", organizationId: id, file: typeof file === "string" ? null : file });
      organizationLogos.set(id, file !== null);
      update({});
      return organizationResource(id, name);
    },
    destroy: async () => {
      await ask({ type: "destroyOrganization", organizationId: id });
    },
    createDomain: async (domainName: string) => {
      const answer = await ask({ type: "createDomain", organizationId: id, name: domainName });
      return domainResource(
        id,
        answer?.domain ?? {
          id: answer?.id ?? "",
          name: domainName,
          enrollmentMode: "manual_invitation",
          verificationStatus: null,
        },
      );
    },
    getDomain: async ({ domainId }: { domainId: string }) => {
      const answer = await ask({ type: "getDomain", organizationId: id, domainId });
      if (answer?.domain === undefined) throw clerkApiError("Domain not found.", "resource_not_found", 404);
      return domainResource(id, answer.domain);
    },
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
    getMembershipRequests: async () => {
      const answer = await ask({ type: "getMembershipRequests", organizationId: id });
      const data = (answer?.membershipRequests ?? []).map((request) => ({
        ...request,
        createdAt: new Date(request.createdAt),
        status: "pending",
        accept: async () => {
          await ask({ type: "acceptMembershipRequest", organizationId: id, requestId: request.id });
          return { ...request, status: "accepted" };
        },
        reject: async () => {
          await ask({ type: "rejectMembershipRequest", organizationId: id, requestId: request.id });
          return { ...request, status: "rejected" };
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
  useClerkState();
  return {
    openUserProfile: () => openAccountDialog(),
    openCreateOrganization: () => openCreateTeamDialog(),
    signOut,
    __unstable__environment: {
      organizationSettings: {
        actions: { adminDelete: instanceSettings.adminDeleteEnabled },
        slug: { disabled: instanceSettings.slugDisabled },
        domains: { enabled: instanceSettings.domainsEnabled, enrollmentModes: instanceSettings.enrollmentModes },
      },
    },
  };
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
            createOrganizationEnabled: instanceSettings.createOrganizationEnabled,
            getOrganizationInvitations: userInvitations,
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

/**
 * A menu button as WAI-ARIA's menu button pattern has it: Enter, Space or ↓ on the button opens the
 * menu on its first item (↑: on its last); ↑ ↓ Home End and a typed letter move between the items
 * (`role="menuitem…"`, out of the Tab order); Escape closes it and puts focus back on the button;
 * Tab, choosing an item or a click elsewhere closes it.
 */
function useMenuButton() {
  const [open, setOpen] = useState<false | "first" | "last">(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    const list = items();
    (open === "last" ? list[list.length - 1] : list[0])?.focus();
    const closeOutside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", closeOutside);
    return () => document.removeEventListener("mousedown", closeOutside);
  }, [open]);

  /** Closes the menu; with `refocus`, focus goes back to the button (Escape, an item chosen). */
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const buttonProps = {
    ref: button,
    type: "button" as const,
    "aria-haspopup": "menu" as const,
    "aria-expanded": open !== false,
    "aria-controls": open ? menuId : undefined,
    onClick: () => setOpen(open ? false : "first"),
    onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      setOpen(event.key === "ArrowDown" ? "first" : "last");
    },
  };

  const menuProps = {
    ref: menu,
    id: menuId,
    role: "menu" as const,
    onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => {
      const list = items();
      const index = list.indexOf(document.activeElement as HTMLElement);
      const move = (to: number) => {
        event.preventDefault();
        list[(to + list.length) % list.length]?.focus();
      };
      if (event.key === "ArrowDown") move(index + 1);
      else if (event.key === "ArrowUp") move(index - 1);
      else if (event.key === "Home") move(0);
      else if (event.key === "End") move(list.length - 1);
      else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close(true);
      } else if (event.key === "Tab") setOpen(false);
      else if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // Type-ahead: the next item whose text starts with the letter typed.
        const letter = event.key.toLowerCase();
        const starts = (item: HTMLElement | undefined) => item?.textContent?.trim().toLowerCase().startsWith(letter);
        for (let step = 1; step <= list.length; step += 1) {
          const at = (index + step) % list.length;
          if (starts(list[at])) return move(at);
        }
      }
    },
  };

  return { open: open !== false, root, button, close, buttonProps, menuProps };
}

const POPUP = "absolute right-0 z-50 mt-2 w-64 rounded-xl border border-slate-200 bg-white p-1 shadow-lg";
const MENU_ITEM =
  "group flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500";

/** The mark beside the chosen item of a menu of choices (`aria-checked` says it to a screen reader). */
function CheckMark({ checked }: { checked: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      className={`ml-auto size-4 shrink-0 fill-brand-600 ${checked ? "" : "invisible"}`}
    >
      <path d="M12.7 4.3a1 1 0 0 1 0 1.4l-5.5 5.5a1 1 0 0 1-1.4 0L3.3 8.7a1 1 0 1 1 1.4-1.4l1.8 1.8 4.8-4.8a1 1 0 0 1 1.4 0Z" />
    </svg>
  );
}
/** A name in full under its button while the button has keyboard focus and the name is cut off. */
const TOOLTIP =
  "pointer-events-none absolute top-full right-0 z-50 mt-1 hidden w-max max-w-64 rounded-md bg-slate-900 px-2 py-1 text-xs font-medium text-white [overflow-wrap:anywhere] group-focus-visible:block";

type UserInvitation = Awaited<ReturnType<typeof userInvitations>>["data"][number];

/**
 * The signed-in user's pending invitations while the switcher is open (Clerk's switcher lists them
 * with Join, from Clerk): `join` accepts one and answers the team joined, or null with Clerk's refusal in `problem`.
 */
function useUserInvitations(open: boolean) {
  const [list, setList] = useState<UserInvitation[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const signedIn = useClerkState().user !== null;
  useEffect(() => {
    if (!open || !signedIn) return;
    let current = true;
    setProblem(null);
    userInvitations().then(
      (found) => {
        if (current) setList(found.data);
      },
      () => {
        if (current) setList([]);
      },
    );
    return () => {
      current = false;
    };
  }, [open, signedIn]);
  const join = async (invitation: UserInvitation): Promise<SimulatedOrganization | null> => {
    try {
      await invitation.accept();
      return { id: invitation.publicOrganizationData.id, name: invitation.publicOrganizationData.name };
    } catch (error) {
      const first = (error as { errors?: Array<{ longMessage?: string }> }).errors?.[0];
      setProblem(first?.longMessage ?? "Clerk could not accept this invitation.");
      return null;
    }
  };
  return { list, problem, join };
}

export function OrganizationSwitcher({
  afterSelectOrganizationUrl,
  afterCreateOrganizationUrl,
}: {
  afterSelectOrganizationUrl?: string;
  afterCreateOrganizationUrl?: string;
  hidePersonal?: boolean;
}) {
  const { organizations, activeOrganizationId, activeOrganizationName, user } = useClerkState();
  const navigate = useNavigate();
  const { open, root, button, close, buttonProps, menuProps } = useMenuButton();
  const shown = useRef<HTMLSpanElement>(null);
  const label = activeOrganizationId === null ? "Personal account" : activeOrganizationName;
  // On a phone the name is not shown at all (only the initials): that counts as cut off too.
  const cut = useIsCut(shown, label);
  const choose = (organization: SimulatedOrganization | null) => {
    setActiveOrganization(organization?.id ?? null, organization?.name);
    close(true);
    if (afterSelectOrganizationUrl !== undefined) void navigate(afterSelectOrganizationUrl);
  };
  const invitations = useUserInvitations(open);
  return (
    <div ref={root} className="relative">
      <button
        {...buttonProps}
        title={label}
        className="group relative flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        <span
          aria-hidden="true"
          className="grid size-6 place-items-center rounded-md bg-slate-800 text-[10px] font-bold text-white"
        >
          {initialsOf(label)}
        </span>
        {/* The accessible name, whole on every screen; the name is shown from sm up, cut to fit. */}
        <span className="sr-only">{`Team: ${label}`}</span>
        <span ref={shown} aria-hidden="true" className="sr-only sm:not-sr-only sm:inline-block sm:max-w-40 sm:truncate">
          {label}
        </span>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-slate-400">
          <path d="M4.2 6.2a.75.75 0 0 1 1.06 0L8 8.94l2.74-2.74a.75.75 0 1 1 1.06 1.06l-3.27 3.27a.75.75 0 0 1-1.06 0L4.2 7.26a.75.75 0 0 1 0-1.06Z" />
        </svg>
        {cut && !open ? (
          <span aria-hidden="true" className={TOOLTIP}>
            {label}
          </span>
        ) : null}
      </button>
      {open ? (
        <div {...menuProps} aria-label="Switch team" className={POPUP}>
          {organizations.map((organization) => (
            <button
              key={organization.id}
              type="button"
              tabIndex={-1}
              role="menuitemradio"
              aria-checked={organization.id === activeOrganizationId}
              className={MENU_ITEM}
              onClick={() => choose(organization)}
            >
              <TruncatedText text={organization.name} focus="group" />
              <CheckMark checked={organization.id === activeOrganizationId} />
            </button>
          ))}
          <button
            type="button"
            tabIndex={-1}
            role="menuitemradio"
            aria-checked={activeOrganizationId === null}
            className={MENU_ITEM}
            onClick={() => choose(null)}
          >
            Personal account
            <CheckMark checked={activeOrganizationId === null} />
          </button>
          {invitations.list.length > 0 ? (
            <div role="group" aria-label="Invitations" className="mt-1 border-t border-slate-100 pt-1">
              <p aria-hidden="true" className="px-3 pt-1 pb-0.5 text-xs font-medium text-slate-600">
                Invitations
              </p>
              {invitations.list.map((invitation) => (
                <button
                  key={invitation.id}
                  type="button"
                  tabIndex={-1}
                  role="menuitem"
                  className={MENU_ITEM}
                  onClick={() =>
                    void invitations.join(invitation).then((joined) => {
                      if (joined) choose({ id: joined.id, name: joined.name });
                    })
                  }
                >
                  {/* Read first ("Join Analytical Engines"), shown last, as Clerk's switcher shows it. */}
                  <span className="order-last ml-auto shrink-0 rounded-md bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white">
                    Join
                  </span>{" "}
                  <TruncatedText text={invitation.publicOrganizationData.name} focus="group" />
                </button>
              ))}
            </div>
          ) : null}
          {invitations.problem !== null ? (
            <p role="alert" className="px-3 py-2 text-sm text-red-700">
              {invitations.problem}
            </p>
          ) : null}
          {user !== null && instanceSettings.createOrganizationEnabled ? (
            <button
              type="button"
              tabIndex={-1}
              role="menuitem"
              className={`${MENU_ITEM} border-t border-slate-100`}
              onClick={() => {
                close(false);
                openCreateTeamDialog(button.current);
              }}
            >
              <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 fill-slate-500">
                <path d="M8 3a.75.75 0 0 1 .75.75v3.5h3.5a.75.75 0 0 1 0 1.5h-3.5v3.5a.75.75 0 0 1-1.5 0v-3.5h-3.5a.75.75 0 0 1 0-1.5h3.5v-3.5A.75.75 0 0 1 8 3Z" />
              </svg>
              Create team
            </button>
          ) : null}
        </div>
      ) : null}
      <CreateTeamDialog
        onCreated={() => {
          if (afterCreateOrganizationUrl !== undefined) void navigate(afterCreateOrganizationUrl);
        }}
      />
    </div>
  );
}

/** Whether the simulated "Create team" dialog (Clerk's `<CreateOrganization />` from the switcher) is open. */
let createTeamDialog: { open: boolean; returnTo: HTMLElement | null } = { open: false, returnTo: null };
const createTeamListeners = new Set<() => void>();

function openCreateTeamDialog(returnTo: HTMLElement | null = null): void {
  const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  createTeamDialog = { open: true, returnTo: returnTo ?? from };
  for (const listener of createTeamListeners) listener();
}

function closeCreateTeamDialog(refocus: boolean): void {
  const { returnTo } = createTeamDialog;
  createTeamDialog = { open: false, returnTo: null };
  for (const listener of createTeamListeners) listener();
  if (refocus && returnTo?.isConnected) returnTo.focus();
}

/**
 * Clerk's `<CreateOrganization />` as the switcher opens it, simulated: a name, then Clerk creates
 * the team (its webhooks follow) and makes it the active one, whatever was active before.
 */
function CreateTeamDialog({ onCreated }: { onCreated: () => void }) {
  const { user } = useClerkState();
  const { open } = useSyncExternalStore(
    (listener) => {
      createTeamListeners.add(listener);
      return () => createTeamListeners.delete(listener);
    },
    () => createTeamDialog,
  );
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = open && user !== null;
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (shown && !element.open) {
      element.showModal();
      input.current?.focus();
    } else if (!shown && element.open) element.close();
  }, [shown]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") {
      setProblem("Enter the team's name.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const answer = await ask({ type: "createOrganization", name: trimmed, userId: user?.id ?? "" });
      const created = { id: answer?.id ?? "", name: trimmed };
      update({ organizations: [...state.organizations.filter((o) => o.id !== created.id), created] });
      setActiveOrganization(created.id, created.name);
      setName("");
      closeCreateTeamDialog(false);
      onCreated();
    } catch (error) {
      setProblem(
        error instanceof ClerkAPIResponseError ? (error.errors[0]?.longMessage ?? error.message) : String(error),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      onClose={() => {
        if (createTeamDialog.open) closeCreateTeamDialog(true);
      }}
      aria-labelledby={`${id}-title`}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <form onSubmit={(event) => void create(event)} noValidate className="p-5">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          Create a team
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Clerk is simulated here: the team is created at once, and you switch into it.
        </p>
        <label htmlFor={`${id}-name`} className="mt-4 block text-sm font-medium text-slate-800">
          Team name
        </label>
        <input
          ref={input}
          id={`${id}-name`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          className="mt-1.5 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none"
        />
        {problem ? (
          <p id={`${id}-problem`} className="mt-1 text-sm font-medium text-red-700">
            {problem}
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-3">
          <button
            type="button"
            onClick={() => closeCreateTeamDialog(true)}
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={busy}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
          >
            Create team
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function UserButton() {
  const { user } = useClerkState();
  const { open, close, root, button, buttonProps, menuProps } = useMenuButton();
  const name = user === null ? "" : fullNameOf(user);
  return (
    <div ref={root} className="relative">
      <button
        {...buttonProps}
        title={user === null ? undefined : name}
        className="grid size-8 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white ring-2 ring-brand-100"
      >
        <span aria-hidden="true">{initialsOf(name)}</span>
        <span className="sr-only">{user === null ? "Account" : `Account: ${name}`}</span>
      </button>
      {open && user !== null ? (
        <div className={POPUP}>
          {/* Who is signed in, in full (wrapped, never cut off); the menu's items follow. */}
          <p className="px-3 py-2 text-sm [overflow-wrap:anywhere]">
            <span className="block font-semibold text-slate-900">{name}</span>
            <span className="block text-slate-600">{user.email ?? user.username}</span>
          </p>
          <div {...menuProps} aria-label="Account">
            <button
              type="button"
              tabIndex={-1}
              role="menuitem"
              className={MENU_ITEM}
              onClick={() => {
                close(false);
                openAccountDialog(button.current);
              }}
            >
              Manage account
            </button>
            <button type="button" tabIndex={-1} role="menuitem" className={MENU_ITEM} onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      ) : null}
      <AccountDialog />
    </div>
  );
}

/** Whether the simulated account dialog (what Clerk's `openUserProfile()` opens) is open. */
let accountDialog: { open: boolean; returnTo: HTMLElement | null } = { open: false, returnTo: null };
const accountDialogListeners = new Set<() => void>();

/** Opens the simulated account dialog; when it closes, focus goes back to `returnTo` (else where it was). */
function openAccountDialog(returnTo: HTMLElement | null = null): void {
  const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  accountDialog = { open: true, returnTo: returnTo ?? from };
  for (const listener of accountDialogListeners) listener();
}

function closeAccountDialog(): void {
  const { returnTo } = accountDialog;
  accountDialog = { open: false, returnTo: null };
  for (const listener of accountDialogListeners) listener();
  if (returnTo?.isConnected) returnTo.focus();
}

/**
 * Clerk's account page (`openUserProfile()`), simulated: who is signed in, as Clerk knows them, and
 * where a change to it comes from here. A modal `<dialog>`: Escape or Close shuts it.
 */
function AccountDialog() {
  const { user } = useClerkState();
  const { open } = useSyncExternalStore(
    (listener) => {
      accountDialogListeners.add(listener);
      return () => accountDialogListeners.delete(listener);
    },
    () => accountDialog,
  );
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const shown = open && user !== null;
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (shown && !element.open) {
      element.showModal();
      closeButton.current?.focus();
    } else if (!shown && element.open) element.close();
  }, [shown]);
  const rows: Array<[string, string | null]> = user
    ? [
        ["Name", [user.firstName, user.lastName].filter(Boolean).join(" ") || null],
        ["Email", user.email],
        ["Username", user.username],
        ["Clerk user id", user.id],
      ]
    : [];
  return (
    <dialog
      ref={dialog}
      onClose={() => {
        if (accountDialog.open) closeAccountDialog();
      }}
      aria-labelledby={`${id}-title`}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="p-5">
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="grid size-12 shrink-0 place-items-center rounded-full bg-brand-600 text-sm font-semibold text-white"
          >
            {initialsOf(user === null ? "" : fullNameOf(user))}
          </span>
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            Your account
          </h2>
        </div>
        <dl className="mt-4 grid gap-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-2">
              <dt className="text-slate-600">{label}</dt>
              <dd className={`[overflow-wrap:anywhere] ${value === null ? "text-slate-600 italic" : "text-slate-900"}`}>
                {value ?? "Not set"}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950">
          Clerk is simulated here. With a real Clerk, this is Clerk&rsquo;s account page: you change your name, email
          addresses, password and picture there, and Clerk tells Roster by webhook. Here, rename yourself from the{" "}
          <strong>Clerk events</strong> drawer: it sends the same webhook.
        </p>
        <div className="mt-4 flex justify-end">
          <button
            ref={closeButton}
            type="button"
            onClick={closeAccountDialog}
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
          >
            Close
          </button>
        </div>
      </div>
    </dialog>
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
                {initialsOf(fullNameOf(choice))}
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
