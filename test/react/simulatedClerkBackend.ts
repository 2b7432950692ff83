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
import type { ClerkRequest, SimulatedClerkBackend, SimulatedDomain, SimulatedInvitation } from "./clerkMock";
import { clerkApiError } from "./clerkMock";
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
};

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
  const heldBack: object[] = [];
  const refusals = new Map<ClerkRequest["type"], { message: string; code?: string }>();
  const codes = new Map<string, { emailAddress: string; code: string }>();
  const sent: SentCode[] = [];
  const codeListeners = new Set<() => void>();

  function send(events: object[]): void {
    if (hold) {
      heldBack.push(...events);
      return;
    }
    setTimeout(() => {
      void (async () => {
        for (const event of events) await options.post(event);
      })();
    }, delayMs);
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

  async function answer(request: ClerkRequest) {
    const refusal = refusals.get(request.type);
    if (refusal !== undefined) throw clerkApiError(refusal.message, refusal.code);
    const at = Date.now();
    const viewer = options.viewer();
    switch (request.type) {
      case "inviteMember": {
        const found = await organization(request.organizationId);
        const id = `orginv_${randomTail()}`;
        send([
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
        ]);
        return { id };
      }
      case "updateMember":
      case "removeMember": {
        const found = await member(request.organizationId, request.userId);
        const organizationObj = organizationObject(
          await organization(request.organizationId),
          request.type === "removeMember" ? -1 : 0,
        );
        if (request.type === "updateMember")
          send([
            membershipEvent("organizationMembership.updated", membershipData(found, organizationObj, request.role, at)),
          ]);
        else
          send([
            membershipEvent("organizationMembership.deleted", membershipData(found, organizationObj, found.role, at)),
          ]);
        return { id: found.membershipId };
      }
      case "getInvitations": {
        const pending: SimulatedInvitation[] = (await invitations(request.organizationId)).map((invitation) => ({
          id: invitation.invitationId,
          emailAddress: invitation.emailAddress ?? "",
          role: invitation.role ?? "org:member",
        }));
        return { invitations: pending };
      }
      case "revokeInvitation": {
        const found = (await invitations(request.organizationId)).find(
          (invitation) => invitation.invitationId === request.invitationId,
        );
        if (found === undefined)
          throw clerkApiError("This invitation is no longer pending.", "resource_not_found", 404);
        send([
          organizationInvitationEvent("organizationInvitation.revoked", {
            id: found.invitationId,
            email_address: found.emailAddress,
            ...roleFields(found.role ?? "org:member"),
            permissions: undefined,
            organization_id: request.organizationId,
            created_at: at - 60_000,
            updated_at: at,
          }),
        ]);
        return { id: found.invitationId };
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
        send([
          membershipEvent("organizationMembership.deleted", membershipData(found, organizationObj, found.role, at)),
        ]);
        return { id: found.membershipId };
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
        const known = await domains(request.organizationId);
        if (known.some((domain) => domain.name === request.name))
          throw clerkApiError(
            "This domain is already used by this organization.",
            "organization_domain_already_exists_same_organization",
            422,
          );
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
        if (!address.endsWith(`@${domain.name}`))
          throw clerkApiError(
            "The provided email address doesn't match the organization domain name.",
            "organization_domain_mismatch",
            422,
          );
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
      const events = heldBack.splice(0);
      for (const event of events) await options.post(event);
    },
    held: () => heldBack.length,
    refuse: (type, message, code) => {
      if (message === null) refusals.delete(type);
      else refusals.set(type, code === undefined ? { message } : { message, code });
    },
    sentCodes: () => sent,
    onCodeSent: (listener) => {
      codeListeners.add(listener);
      return () => codeListeners.delete(listener);
    },
  };
}
