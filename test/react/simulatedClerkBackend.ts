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
  clerkOrganization,
  membershipEvent,
  organizationEvent,
  organizationInvitationEvent,
  publicOrganizationData,
} from "../clerkEvents";
import type { ClerkRequest, SimulatedClerkBackend, SimulatedInvitation } from "./clerkMock";
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
  /** Clerk refuses the next requests of this type with `message` (null: accepts them again). */
  refuse: (type: ClerkRequest["type"], message: string | null) => void;
};

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
  const refusals = new Map<ClerkRequest["type"], string>();

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
    if (refusal !== undefined) throw clerkApiError(refusal);
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
    }
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
    refuse: (type, message) => {
      if (message === null) refusals.delete(type);
      else refusals.set(type, message);
    },
  };
}
