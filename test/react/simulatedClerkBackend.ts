/**
 * "Clerk's servers" behind the simulated Clerk's management methods (test/react/clerkMock.tsx):
 * each accepted request answers at once, as Clerk's Frontend API does, and Clerk's webhooks for it
 * follow a little later through the real `POST /clerk-webhook` route, as Svix delivers them. Used by
 * the component tests (which hold the webhooks back, release them, or make Clerk refuse) and by the
 * playground (which delivers them after a short delay).
 *
 * What Clerk knows is read from Roster's own copy, as the signed-in person sees it: close enough
 * for a simulation whose every change reaches Roster by webhook anyway.
 */
import { api } from "../../convex/_generated/api";
import {
  DEFAULT_ROLES,
  clerkEmail,
  clerkOrganization,
  clerkOrganizationDomain,
  envelope,
  deletedObject,
  membershipEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicOrganizationData,
} from "../clerkEvents";
import {
  CLERK_DEFAULT_INSTANCE,
  clerkRefusal,
  type ClerkInstanceSettings,
  type ClerkWorld,
} from "../../playground/clerkRules";
import type {
  ClerkRequest,
  SimulatedClerkBackend,
  SimulatedDomain,
  SimulatedInvitation,
  SimulatedMembershipRequest,
  SimulatedUserInvitation,
} from "./clerkMock";
import { clerkApiError, simulatedInstanceSettings } from "./clerkMock";

/** The requests about a domain: Clerk's answer to them looks at the organization's domains. */
const DOMAIN_REQUESTS: ReadonlySet<ClerkRequest["type"]> = new Set([
  "createDomain",
  "getDomain",
  "prepareDomainVerification",
  "attemptDomainVerification",
  "updateDomainEnrollment",
  "deleteDomain",
]);
import type { ConvexCaller } from "./TestConvexClient";

type Person = { id: string; firstName: string | null; lastName: string | null; email: string | null };
type Member = {
  membershipId: string;
  userId: string;
  name: string;
  identifier: string | null;
  imageUrl: string | null;
  role: string;
};
type Invitation = { invitationId: string; emailAddress: string | null; role: string | null };
type Domain = { domainId: string; name: string; enrollmentMode: string | null; verificationStatus: string | null };
type UserInvitation = {
  invitationId: string;
  organizationId: string;
  organizationName: string | null;
  organizationImageUrl: string | null;
  emailAddress: string;
  role: string | null;
};
type Organization = {
  organizationId: string;
  name: string;
  slug: string | null;
  imageUrl: string | null;
  membersCount: number | null;
};

export type SimulatedClerkOptions = {
  /** Signs and posts one Clerk webhook through the real route (and refreshes the live queries). */
  post: (event: object) => Promise<void>;
  /** Roster's functions as the signed-in person calls them (to learn what Clerk would know). */
  caller: () => ConvexCaller | null;
  /** The signed-in person, as Clerk knows them. */
  viewer: () => Person | null;
  /** Milliseconds between Clerk's answer and its webhooks (default 0). */
  delayMs?: number;
  /** The instance's settings the rules depend on (default: Clerk's defaults, playground/clerkRules.ts). */
  instance?: Partial<ClerkInstanceSettings>;
};

export type SimulatedClerk = {
  backend: SimulatedClerkBackend;
  /** Keep webhooks back until `release()` (true), or send them (false, the default). */
  holdWebhooks: (hold: boolean) => void;
  /** Sends every webhook held back so far, in order. */
  release: () => Promise<void>;
  /** How many webhooks are held back. */
  held: () => number;
  /** Clerk refuses the next requests of this type with `message` and `code` (null: accepts them again). */
  refuse: (type: ClerkRequest["type"], message: string | null, code?: string) => void;
  /** The domain verification codes Clerk emailed, newest last (the playground's drawer shows them). */
  sentCodes: () => readonly SentCode[];
  /** Calls `listener` after each code sent. */
  onCodeSent: (listener: () => void) => () => void;
  /**
   * `person` asks to join `organizationId` (what a verified domain's suggestion leads to). Clerk
   * keeps the request and sends no webhook for it: only Clerk's SDK lists it.
   */
  addMembershipRequest: (organizationId: string, person: Person) => string;
};

type Batch = { events: object[]; effect: ((world: ClerkWorld) => void) | undefined };

/** A domain verification code Clerk emailed to an address at the domain. */
export type SentCode = { domain: string; emailAddress: string; code: string; at: number };

/** A fresh 6-digit code, as Clerk's emails carry. */
function sixDigits(): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, "0");
}

/** Where the simulated Clerk keeps an uploaded logo: a URL of this page (never another origin). */
function logoUrl(file: Blob | null): string | null {
  if (file === null) return null;
  return typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : "blob:simulated-logo";
}

function simulatedDomain(domain: Domain): SimulatedDomain {
  return {
    id: domain.domainId,
    name: domain.name,
    enrollmentMode: domain.enrollmentMode,
    verificationStatus: domain.verificationStatus,
  };
}

function randomTail(): string {
  return crypto.randomUUID().replace(/-/g, "").slice(0, 24);
}

function splitName(name: string): { first_name: string | null; last_name: string | null } {
  const [first, ...rest] = name.trim().split(/\s+/);
  return { first_name: first || null, last_name: rest.length > 0 ? rest.join(" ") : null };
}

function roleFields(role: string) {
  const known = DEFAULT_ROLES[role];
  return { role, role_name: known?.name ?? role, permissions: [...(known?.permissions ?? [])] };
}

/** A simulated Clerk that turns each accepted request into the webhooks real Clerk sends for it. */
export function simulatedClerk(options: SimulatedClerkOptions): SimulatedClerk {
  const delayMs = options.delayMs ?? 0;
  let hold = false;
  const heldBack: Batch[] = [];
  const refusals = new Map<ClerkRequest["type"], { message: string; code?: string }>();
  const instance: ClerkInstanceSettings = { ...CLERK_DEFAULT_INSTANCE, ...options.instance };
  /** Pending membership requests by organization: Clerk's alone (no webhook tells Roster). */
  const membershipRequests = new Map<string, SimulatedMembershipRequest[]>();
  const codes = new Map<string, { emailAddress: string; code: string }>();
  const sent: SentCode[] = [];
  const codeListeners = new Set<() => void>();

  /**
   * Clerk's own changes whose webhooks Roster has not applied yet: Clerk decides on what it knows
   * (an invitation revoked a moment ago is gone for Clerk at once), so each change's effect on the
   * world stays here until its webhooks have been posted.
   */
  const unsynced = new Set<(world: ClerkWorld) => void>();

  async function deliver(batch: Batch): Promise<void> {
    try {
      for (const event of batch.events) await options.post(event);
    } finally {
      if (batch.effect) unsynced.delete(batch.effect);
    }
  }

  function send(events: object[], effect?: (world: ClerkWorld) => void): void {
    const batch: Batch = { events, effect };
    if (effect) unsynced.add(effect);
    if (hold) {
      heldBack.push(batch);
      return;
    }
    setTimeout(() => void deliver(batch), delayMs);
  }

  function caller(): ConvexCaller {
    const found = options.caller();
    if (found === null) throw clerkApiError("You need to be signed in.", "signed_out", 401);
    return found;
  }

  async function organization(organizationId: string): Promise<Organization> {
    return (await caller().query(api.organizations.get, { organizationId })) as Organization;
  }

  /** The organization a membership event embeds, with its members count after the change. */
  function organizationObject(found: Organization, membersChange = 0) {
    return clerkOrganization({
      id: found.organizationId,
      name: found.name,
      slug: found.slug,
      image_url: found.imageUrl,
      members_count: found.membersCount === null ? null : Math.max(0, found.membersCount + membersChange),
      // Older than Roster's copy: only the members count is news; the organization's fields stay.
      created_at: 1,
      updated_at: 1,
    });
  }

  async function member(organizationId: string, userId: string): Promise<Member> {
    const page = (await caller().query(api.organizations.members, {
      organizationId,
      paginationOpts: { numItems: 100, cursor: null },
    })) as { page: Member[] };
    const found = page.page.find((candidate) => candidate.userId === userId);
    if (found === undefined)
      throw clerkApiError("This user is not a member of the organization.", "resource_not_found", 404);
    return found;
  }

  function membershipData(found: Member, organizationObj: object, role: string, at: number) {
    return {
      id: found.membershipId,
      organization: organizationObj,
      public_user_data: {
        ...splitName(found.name),
        user_id: found.userId,
        identifier: found.identifier ?? "",
        image_url: found.imageUrl,
        has_image: found.imageUrl !== null,
        profile_image_url: found.imageUrl,
        banned: false,
        username: null,
      },
      ...roleFields(role),
      created_at: at - 60_000,
      updated_at: at,
    };
  }

  async function invitations(organizationId: string): Promise<Invitation[]> {
    return (await caller().query(api.organizations.invitations, { organizationId })) as Invitation[];
  }

  /** Every member of the organization, as far as the caller may read them. */
  async function allMembers(organizationId: string): Promise<Member[]> {
    const members: Member[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const result = (await caller().query(api.organizations.members, {
        organizationId,
        paginationOpts: { numItems: 100, cursor },
      })) as { page: Member[]; isDone: boolean; continueCursor: string };
      members.push(...result.page);
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    return members;
  }

  /** What Clerk knows when it decides on `request` (playground/clerkRules.ts), read from Roster's copy. */
  async function world(request: ClerkRequest): Promise<ClerkWorld> {
    const viewer = options.viewer();
    const found = options.caller();
    const mine =
      found === null ? [] : ((await found.query(api.organizations.listMine, {})) as Array<{ organizationId: string }>);
    const roles: Record<string, readonly string[]> = Object.fromEntries(
      Object.entries(DEFAULT_ROLES).map(([key, role]) => [key, role.permissions]),
    );
    const invited = found === null ? [] : ((await found.query(api.invitations.mine, {})) as UserInvitation[]);
    const dashboard = simulatedInstanceSettings();
    const base = {
      // The dashboard's settings the team page reads through the SDK live with the simulated SDK.
      instance: {
        ...instance,
        createOrganization: dashboard.createOrganizationEnabled,
        adminDelete: dashboard.adminDeleteEnabled,
        slugs: !dashboard.slugDisabled,
        domains: dashboard.domainsEnabled,
        enrollmentModes: dashboard.enrollmentModes,
      },
      roles,
      caller:
        viewer === null
          ? null
          : {
              userId: viewer.id,
              organizationsCount: mine.length,
              // Clerk knows nothing of Roster's Dismiss: every pending invitation counts.
              invitations: invited.map((invitation) => ({
                id: invitation.invitationId,
                organizationId: invitation.organizationId,
              })),
            },
    };
    if (!("organizationId" in request) || found === null || viewer === null) return { ...base, organization: null };
    const { organizationId } = request;
    let details: { viewer: { role: string; permissions: string[]; isAdmin: boolean } };
    try {
      details = (await found.query(api.organizations.get, { organizationId })) as typeof details;
    } catch {
      return { ...base, organization: null };
    }
    const members = await allMembers(organizationId).catch(() => [] as Member[]);
    const pending = await invitations(organizationId).catch(() => [] as Invitation[]);
    const self = {
      userId: viewer.id,
      emailAddresses: viewer.email === null ? [] : [viewer.email.toLowerCase()],
      role: details.viewer.role,
      // `org:admin` holds every system permission (convex/model/access.ts), whatever the row lists.
      permissions: details.viewer.isAdmin
        ? [...(roles["org:admin"] ?? []), ...details.viewer.permissions]
        : details.viewer.permissions,
    };
    return {
      ...base,
      organization: {
        id: organizationId,
        members: [
          self,
          ...members
            .filter((member) => member.userId !== viewer.id)
            .map((member) => ({
              userId: member.userId,
              emailAddresses: member.identifier === null ? [] : [member.identifier.toLowerCase()],
              role: member.role,
              permissions: roles[member.role] ?? [],
            })),
        ],
        pendingInvitations: pending.map((invitation) => ({
          id: invitation.invitationId,
          emailAddress: invitation.emailAddress ?? "",
          role: invitation.role ?? "org:member",
        })),
        membershipRequests: (membershipRequests.get(organizationId) ?? []).map((found) => ({
          id: found.id,
          userId: found.publicUserData.userId,
        })),
        ...(DOMAIN_REQUESTS.has(request.type)
          ? {
              domains: (await domains(organizationId).catch(() => [] as Domain[])).map((domain) => ({
                id: domain.domainId,
                name: domain.name,
              })),
            }
          : {}),
      },
    };
  }

  /** The effect of a membership's removal on what Clerk knows. */
  function withoutMember(userId: string) {
    return (world: ClerkWorld) => {
      if (world.organization)
        world.organization.members = world.organization.members.filter((member) => member.userId !== userId);
    };
  }

  async function answer(request: ClerkRequest) {
    const refusal = refusals.get(request.type);
    if (refusal !== undefined) throw clerkApiError(refusal.message, refusal.code);
    const known = await world(request);
    for (const effect of unsynced) effect(known);
    const refused = clerkRefusal(request, known);
    if (refused !== null) throw clerkApiError(refused.message, refused.code, refused.status);
    const at = Date.now();
    const viewer = options.viewer();
    switch (request.type) {
      case "inviteMember": {
        const found = await organization(request.organizationId);
        const id = `orginv_${randomTail()}`;
        send(
          [
            organizationInvitationEvent("organizationInvitation.created", {
              id,
              email_address: request.emailAddress,
              ...roleFields(request.role),
              permissions: undefined,
              organization_id: request.organizationId,
              public_organization_data: publicOrganizationData(organizationObject(found)),
              inviter_id: viewer?.id ?? null,
              created_at: at,
              updated_at: at,
            }),
          ],
          (world) =>
            world.organization?.pendingInvitations.push({ id, emailAddress: request.emailAddress, role: request.role }),
        );
        return { id };
      }
      case "updateMember":
      case "removeMember": {
        const found = await member(request.organizationId, request.userId);
        const organizationObj = organizationObject(
          await organization(request.organizationId),
          request.type === "removeMember" ? -1 : 0,
        );
        const { role } = request as { role?: string };
        if (role !== undefined)
          send(
            [membershipEvent("organizationMembership.updated", membershipData(found, organizationObj, role, at))],
            (world) => {
              for (const other of world.organization?.members ?? [])
                if (other.userId === found.userId) Object.assign(other, { role, permissions: world.roles[role] ?? [] });
            },
          );
        else
          send(
            [membershipEvent("organizationMembership.deleted", membershipData(found, organizationObj, found.role, at))],
            withoutMember(found.userId),
          );
        return { id: found.membershipId };
      }
      case "getInvitations": {
        const pending: SimulatedInvitation[] = (known.organization?.pendingInvitations ?? []).map((invitation) => ({
          ...invitation,
        }));
        return { invitations: pending };
      }
      case "revokeInvitation": {
        const found = known.organization?.pendingInvitations.find(
          (invitation) => invitation.id === request.invitationId,
        );
        if (found === undefined) throw clerkApiError("Resource not found", "resource_not_found", 404);
        send(
          [
            organizationInvitationEvent("organizationInvitation.revoked", {
              id: found.id,
              email_address: found.emailAddress,
              ...roleFields(found.role),
              permissions: undefined,
              organization_id: request.organizationId,
              created_at: at - 60_000,
              updated_at: at,
            }),
          ],
          (world) => {
            if (world.organization)
              world.organization.pendingInvitations = world.organization.pendingInvitations.filter(
                (invitation) => invitation.id !== found.id,
              );
          },
        );
        return { id: found.id };
      }
      case "leaveOrganization": {
        const mine = (await caller().query(api.organizations.listMine, {})) as Array<Organization & { role: string }>;
        const membership = mine.find((candidate) => candidate.organizationId === request.organizationId);
        if (membership === undefined || viewer === null)
          throw clerkApiError("You are not a member of this organization.", "resource_not_found", 404);
        const organizationObj = organizationObject(membership, -1);
        const self: Member = {
          membershipId: `orgmem_${request.userId.slice(request.userId.indexOf("_") + 1)}`,
          userId: request.userId,
          name: [viewer.firstName, viewer.lastName].filter(Boolean).join(" "),
          identifier: viewer.email,
          imageUrl: null,
          role: membership.role,
        };
        const found = await member(request.organizationId, request.userId).catch(() => self);
        send(
          [membershipEvent("organizationMembership.deleted", membershipData(found, organizationObj, found.role, at))],
          withoutMember(found.userId),
        );
        return { id: found.membershipId };
      }
      case "getUserInvitations": {
        const ids = new Set((known.caller?.invitations ?? []).map((invitation) => invitation.id));
        const listed = ((await caller().query(api.invitations.mine, {})) as UserInvitation[]).filter((invitation) =>
          ids.has(invitation.invitationId),
        );
        const userInvitations: SimulatedUserInvitation[] = listed.map((invitation) => ({
          id: invitation.invitationId,
          emailAddress: invitation.emailAddress,
          role: invitation.role ?? "org:member",
          publicOrganizationData: {
            id: invitation.organizationId,
            name: invitation.organizationName ?? "A team",
            imageUrl: invitation.organizationImageUrl,
          },
        }));
        return { userInvitations };
      }
      case "acceptUserInvitation": {
        const invitation = ((await caller().query(api.invitations.mine, {})) as UserInvitation[]).find(
          (candidate) => candidate.invitationId === request.invitationId,
        );
        if (invitation === undefined || viewer === null)
          throw clerkApiError("This invitation is no longer pending.", "organization_invitation_not_pending", 404);
        const role = invitation.role ?? "org:member";
        const organizationObj = clerkOrganization({
          id: invitation.organizationId,
          name: invitation.organizationName ?? "A team",
          image_url: invitation.organizationImageUrl,
          members_count: null,
          // Older than Roster's copy: the organization's fields stay as they are.
          created_at: 1,
          updated_at: 1,
        });
        const joined: Member = {
          membershipId: `orgmem_${randomTail()}`,
          userId: viewer.id,
          name: [viewer.firstName, viewer.lastName].filter(Boolean).join(" "),
          identifier: invitation.emailAddress,
          imageUrl: null,
          role,
        };
        send(
          [
            organizationInvitationEvent("organizationInvitation.accepted", {
              id: invitation.invitationId,
              email_address: invitation.emailAddress,
              ...roleFields(role),
              permissions: undefined,
              organization_id: invitation.organizationId,
              public_organization_data: publicOrganizationData(organizationObj),
              user_id: viewer.id,
              created_at: at - 60_000,
              updated_at: at,
            }),
            membershipEvent("organizationMembership.created", membershipData(joined, organizationObj, role, at)),
          ],
          (world) => {
            if (world.caller)
              world.caller.invitations = world.caller.invitations.filter(
                (found) => found.id !== invitation.invitationId,
              );
          },
        );
        return {
          id: invitation.invitationId,
          organization: { id: invitation.organizationId, name: invitation.organizationName ?? "A team" },
        };
      }
      case "getMembershipRequests":
        return { membershipRequests: [...(membershipRequests.get(request.organizationId) ?? [])] };
      case "acceptMembershipRequest":
      case "rejectMembershipRequest": {
        const list = membershipRequests.get(request.organizationId) ?? [];
        const found = list.find((candidate) => candidate.id === request.requestId);
        if (found === undefined) throw clerkApiError("Resource not found", "resource_not_found", 404);
        membershipRequests.set(
          request.organizationId,
          list.filter((candidate) => candidate !== found),
        );
        if (request.type === "acceptMembershipRequest") {
          // The new member gets the default role; Clerk's webhook for a membership follows (none for the request).
          const { publicUserData } = found;
          const joined: Member = {
            membershipId: `orgmem_${randomTail()}`,
            userId: publicUserData.userId,
            name: [publicUserData.firstName, publicUserData.lastName].filter(Boolean).join(" "),
            identifier: publicUserData.identifier,
            imageUrl: publicUserData.imageUrl,
            role: "org:member",
          };
          const organizationObj = organizationObject(await organization(request.organizationId), 1);
          send(
            [
              membershipEvent(
                "organizationMembership.created",
                membershipData(joined, organizationObj, "org:member", at),
              ),
            ],
            (world) =>
              world.organization?.members.push({
                userId: joined.userId,
                emailAddresses: [publicUserData.identifier.toLowerCase()],
                role: "org:member",
                permissions: world.roles["org:member"] ?? [],
              }),
          );
        }
        return { id: found.id };
      }
      case "createOrganization": {
        if (viewer === null) throw clerkApiError("You need to be signed in.", "signed_out", 401);
        const id = `org_${randomTail()}`;
        const created = clerkOrganization({
          id,
          name: request.name,
          slug:
            request.name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, "-")
              .replace(/^-|-$/g, "") || null,
          created_by: viewer.id,
          members_count: 1,
          image_url: null,
          has_image: false,
          created_at: at,
          updated_at: at,
        });
        const self: Member = {
          membershipId: `orgmem_${randomTail()}`,
          userId: viewer.id,
          name: [viewer.firstName, viewer.lastName].filter(Boolean).join(" "),
          identifier: viewer.email,
          imageUrl: null,
          role: "org:admin",
        };
        send([
          organizationEvent("organization.created", created),
          membershipEvent("organizationMembership.created", membershipData(self, created, "org:admin", at)),
        ]);
        return { id };
      }
      case "updateOrganization":
      case "setOrganizationLogo": {
        const found = await organization(request.organizationId);
        const imageUrl = request.type === "setOrganizationLogo" ? logoUrl(request.file) : found.imageUrl;
        send([
          organizationEvent(
            "organization.updated",
            clerkOrganization({
              id: found.organizationId,
              name: request.type === "updateOrganization" ? request.name : found.name,
              slug: request.type === "updateOrganization" && request.slug !== undefined ? request.slug : found.slug,
              image_url: imageUrl,
              has_image: imageUrl !== null,
              members_count: found.membersCount,
              created_at: 1,
              updated_at: at,
            }),
          ),
        ]);
        return { id: found.organizationId, imageUrl };
      }
      case "destroyOrganization": {
        const found = await organization(request.organizationId);
        send([
          envelope(
            "organization.deleted",
            deletedObject("organization", found.organizationId, { slug: found.slug }),
            at,
          ),
        ]);
        return { id: found.organizationId };
      }
      case "createDomain": {
        const found = await organization(request.organizationId);
        const id = `orgdmn_${randomTail()}`;
        send([domainEvent("organizationDomain.created", found, { id, name: request.name }, at)]);
        return {
          id,
          domain: { id, name: request.name, enrollmentMode: "manual_invitation", verificationStatus: null },
        };
      }
      case "getDomain": {
        const domain = await domain_(request.organizationId, request.domainId);
        return { domain: simulatedDomain(domain) };
      }
      case "prepareDomainVerification": {
        const domain = await domain_(request.organizationId, request.domainId);
        const address = request.emailAddress.trim().toLowerCase();
        const code = sixDigits();
        codes.set(domain.domainId, { emailAddress: address, code });
        sent.push({ domain: domain.name, emailAddress: address, code, at });
        for (const listener of codeListeners) listener();
        // Clerk emails the code, and says so by webhook (the message's body never reaches Roster's tables).
        send([
          envelope(
            "email.created",
            clerkEmail({
              id: `ema_${randomTail()}`,
              to_email_address: address,
              user_id: viewer?.id ?? null,
              email_address_id: null,
              slug: "affiliation_code",
              subject: `${code} is your verification code`,
              body: `Your code to verify ${domain.name}: ${code}`,
              body_plain: `Your code to verify ${domain.name}: ${code}`,
              data: { otp_code: code },
            }),
            at,
          ),
        ]);
        return { domain: simulatedDomain(domain) };
      }
      case "attemptDomainVerification": {
        const domain = await domain_(request.organizationId, request.domainId);
        const expected = codes.get(domain.domainId);
        if (expected === undefined) throw clerkApiError("Send a verification code first.", "verification_missing", 400);
        if (expected.code !== request.code.trim()) throw clerkApiError("Incorrect code", "form_code_incorrect", 422);
        codes.delete(domain.domainId);
        const found = await organization(request.organizationId);
        send([
          domainEvent(
            "organizationDomain.updated",
            found,
            {
              id: domain.domainId,
              name: domain.name,
              enrollment_mode: domain.enrollmentMode ?? "manual_invitation",
              affiliation_email_address: expected.emailAddress,
              verification: { attempts: 1, expire_at: null, status: "verified", strategy: "email_code" },
            },
            at,
          ),
        ]);
        return { domain: { ...simulatedDomain(domain), verificationStatus: "verified" } };
      }
      case "updateDomainEnrollment": {
        const domain = await domain_(request.organizationId, request.domainId);
        if (domain.verificationStatus !== "verified")
          throw clerkApiError(
            "Verify the domain before choosing how people join.",
            "organization_domain_not_verified",
            422,
          );
        const found = await organization(request.organizationId);
        send([
          domainEvent(
            "organizationDomain.updated",
            found,
            {
              id: domain.domainId,
              name: domain.name,
              enrollment_mode: request.enrollmentMode,
              verification: { attempts: 1, expire_at: null, status: "verified", strategy: "email_code" },
            },
            at,
          ),
        ]);
        return { domain: { ...simulatedDomain(domain), enrollmentMode: request.enrollmentMode } };
      }
      case "deleteDomain": {
        const domain = await domain_(request.organizationId, request.domainId);
        send([envelope("organizationDomain.deleted", deletedObject("organization_domain", domain.domainId), at)]);
        return { id: domain.domainId };
      }
    }
  }

  async function domains(organizationId: string): Promise<Domain[]> {
    return (await caller().query(api.organizations.domains, { organizationId })) as Domain[];
  }

  async function domain_(organizationId: string, domainId: string): Promise<Domain> {
    const found = (await domains(organizationId)).find((domain) => domain.domainId === domainId);
    if (found === undefined) throw clerkApiError("Domain not found.", "resource_not_found", 404);
    return found;
  }

  function domainEvent(
    type: "organizationDomain.created" | "organizationDomain.updated",
    found: Organization,
    fields: Record<string, unknown>,
    at: number,
  ) {
    return envelope(
      type,
      clerkOrganizationDomain({
        organization_id: found.organizationId,
        public_organization_data: publicOrganizationData(organizationObject(found)),
        enrollment_mode: "manual_invitation",
        created_at: at,
        ...fields,
        updated_at: at,
      }),
      at,
    );
  }

  return {
    backend: answer,
    holdWebhooks: (next) => {
      hold = next;
    },
    release: async () => {
      for (const batch of heldBack.splice(0)) await deliver(batch);
    },
    held: () => heldBack.reduce((count, batch) => count + batch.events.length, 0),
    refuse: (type, message, code) => {
      if (message === null) refusals.delete(type);
      else refusals.set(type, code === undefined ? { message } : { message, code });
    },
    sentCodes: () => sent,
    onCodeSent: (listener) => {
      codeListeners.add(listener);
      return () => codeListeners.delete(listener);
    },
    addMembershipRequest: (organizationId, person) => {
      const id = `orgmemreq_${randomTail()}`;
      const list = (membershipRequests.get(organizationId) ?? []).filter(
        (found) => found.publicUserData.userId !== person.id,
      );
      list.push({
        id,
        createdAt: Date.now(),
        publicUserData: {
          userId: person.id,
          firstName: person.firstName,
          lastName: person.lastName,
          identifier: person.email ?? person.id,
          imageUrl: null,
        },
      });
      membershipRequests.set(organizationId, list);
      return id;
    },
  };
}
