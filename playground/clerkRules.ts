/**
 * What Clerk refuses, as one table: the simulated Clerk of the playground and of the component tests
 * (test/react/simulatedClerkBackend.ts) answers every request through `clerkRefusal`, so both refuse
 * what Clerk's Frontend API refuses, with Clerk's own error code, HTTP status and message.
 *
 * Each rule cites where it comes from (keys of /work/shared/research/clerk-organizations.md §3: E is
 * Clerk's error catalogue, D:x its docs, U its prebuilt components). A rule the research could not
 * confirm says what is unconfirmed in `unconfirmed`; the simulation applies it anyway, as the
 * research infers it, so that the app is never taught that Clerk accepts something it may refuse.
 */

/** The requests the simulated Clerk answers (the subset of Clerk's SDK calls Roster makes). */
export type ClerkRuleRequest =
  | { type: "inviteMember"; organizationId: string; emailAddress: string; role: string }
  | { type: "updateMember"; organizationId: string; userId: string; role: string }
  | { type: "removeMember"; organizationId: string; userId: string }
  | { type: "getInvitations"; organizationId: string }
  | { type: "revokeInvitation"; organizationId: string; invitationId: string }
  | { type: "leaveOrganization"; organizationId: string; userId: string }
  | { type: "createOrganization"; name: string; userId: string }
  | { type: "getUserInvitations" }
  | { type: "acceptUserInvitation"; invitationId: string }
  | { type: "getMembershipRequests"; organizationId: string }
  | { type: "acceptMembershipRequest"; organizationId: string; requestId: string }
  | { type: "rejectMembershipRequest"; organizationId: string; requestId: string }
  | { type: "updateOrganization"; organizationId: string; name: string; slug?: string }
  | { type: "setOrganizationLogo"; organizationId: string; file: Blob | null }
  | { type: "destroyOrganization"; organizationId: string }
  | { type: "createDomain"; organizationId: string; name: string }
  | { type: "getDomain"; organizationId: string; domainId: string }
  | { type: "prepareDomainVerification"; organizationId: string; domainId: string; emailAddress: string }
  | { type: "attemptDomainVerification"; organizationId: string; domainId: string; code: string }
  | {
      type: "updateDomainEnrollment";
      organizationId: string;
      domainId: string;
      enrollmentMode: string;
      deletePending: boolean;
    }
  | { type: "deleteDomain"; organizationId: string; domainId: string };

/** The calls on a verified domain (organization.createDomain and a domain resource's methods). */
const DOMAIN_CALLS = [
  "createDomain",
  "getDomain",
  "prepareDomainVerification",
  "attemptDomainVerification",
  "updateDomainEnrollment",
  "deleteDomain",
] as const;
/** The calls that change a domain: they need org:sys_domains:manage. */
const DOMAIN_CHANGES = DOMAIN_CALLS.filter((call) => call !== "getDomain");

/** The instance's settings that rules depend on (Clerk's dashboard, Organizations settings). */
export type ClerkInstanceSettings = {
  /** Members plus pending invitations an organization may have; 0 is unlimited. Clerk's default is 5 (D:guides/organizations/configure). */
  maxAllowedMemberships: number;
  /** Whether users may be in no organization (a personal account). */
  personalAccounts: boolean;
  /** Whether users may create organizations (`user.createOrganizationEnabled`). */
  createOrganization: boolean;
  /** Whether admins may delete their organization (`organization.adminDeleteEnabled`). */
  adminDelete: boolean;
  /** Whether organizations have slugs (`organizationSettings.slug.disabled` is the opposite). */
  slugs: boolean;
  /** Whether verified domains are on (`organizationSettings.domains.enabled`). */
  domains: boolean;
  /** The enrollment modes a domain may be given. */
  enrollmentModes: readonly string[];
};

/** Clerk's defaults for a new instance, as the research gives them. */
export const CLERK_DEFAULT_INSTANCE: ClerkInstanceSettings = {
  maxAllowedMemberships: 5,
  personalAccounts: true,
  createOrganization: true,
  adminDelete: true,
  slugs: true,
  domains: true,
  enrollmentModes: ["manual_invitation", "automatic_invitation", "automatic_suggestion"],
};

/**
 * The permissions someone in an organization must keep: the Creator role must hold them
 * (D:guides/organizations/control-access/roles-and-permissions), and Clerk refuses a change that
 * leaves no member holding all of them (`organization_minimum_permissions_needed`).
 */
export const MINIMUM_PERMISSIONS: readonly string[] = [
  "org:sys_memberships:manage",
  "org:sys_memberships:read",
  "org:sys_profile:delete",
];

/** The permission every member-management call needs (leave aside: any member may leave). */
export const MANAGE_MEMBERS = "org:sys_memberships:manage";
/** What renaming, a new slug and a new logo need. */
export const MANAGE_PROFILE = "org:sys_profile:manage";
/** What deleting the organization needs (and the instance letting admins delete). */
export const DELETE_PROFILE = "org:sys_profile:delete";
/** What adding, verifying, changing and removing a domain need. */
export const MANAGE_DOMAINS = "org:sys_domains:manage";

/** What Clerk knows when it answers one request: assembled by the simulated backend. */
export type ClerkWorld = {
  instance: ClerkInstanceSettings;
  /** The organization the request is about, if any and if the caller can reach it. */
  organization: {
    id: string;
    /** Every member, with their addresses (lower case) and the permissions of their role. */
    members: Array<{ userId: string; emailAddresses: string[]; role: string; permissions: readonly string[] }>;
    pendingInvitations: Array<{ id: string; emailAddress: string; role: string }>;
    /** Pending membership requests (people who asked to join). */
    membershipRequests: Array<{ id: string; userId: string }>;
    /** The organization's domains (absent: not looked up for this request). */
    domains?: Array<{ id: string; name: string }>;
  } | null;
  /** The signed-in user, and the pending invitations Clerk matched on their verified addresses. */
  caller: {
    userId: string;
    organizationsCount: number;
    invitations: Array<{ id: string; organizationId: string }>;
  } | null;
  /** The permissions each role key grants; a key not here is not a role of the instance. */
  roles: Readonly<Record<string, readonly string[]>>;
};

type Refusal = { code: string; status: number; message: string };

export type ClerkRule = {
  /** Clerk's error code (`errors[0].code`). */
  code: string;
  status: number;
  /** The calls the rule applies to. */
  calls: ReadonlyArray<ClerkRuleRequest["type"]>;
  /** Clerk's long message for this request (`errors[0].longMessage`). */
  message: (request: ClerkRuleRequest, world: ClerkWorld) => string;
  /** True when Clerk refuses `request` in `world`. */
  refuses: (request: ClerkRuleRequest, world: ClerkWorld) => boolean;
  /** Where the rule comes from (keys of the research note). */
  source: string;
  /** What the research could not confirm about this rule; absent when it is confirmed. */
  unconfirmed?: string;
};

const lower = (address: string) => address.trim().toLowerCase();

function callerMember(world: ClerkWorld) {
  const userId = world.caller?.userId;
  return world.organization?.members.find((member) => member.userId === userId) ?? null;
}

function holdsMinimum(permissions: readonly string[]): boolean {
  return MINIMUM_PERMISSIONS.every((permission) => permissions.includes(permission));
}

/** The members after `request` is applied, for the rules that look at what the change leaves. */
function membersAfter(request: ClerkRuleRequest, world: ClerkWorld) {
  const members = world.organization?.members ?? [];
  switch (request.type) {
    case "removeMember":
    case "leaveOrganization":
      return members.filter((member) => member.userId !== request.userId);
    case "updateMember":
      return members.map((member) =>
        member.userId === request.userId ? { ...member, permissions: world.roles[request.role] ?? [] } : member,
      );
    default:
      return members;
  }
}

/** Members plus pending invitations, the count Clerk's membership limit is about. */
function seatsTaken(world: ClerkWorld): number {
  return (world.organization?.members.length ?? 0) + (world.organization?.pendingInvitations.length ?? 0);
}

function atLimit(world: ClerkWorld, adding: number): boolean {
  const limit = world.instance.maxAllowedMemberships;
  return limit > 0 && seatsTaken(world) + adding > limit;
}

function requestOf(request: ClerkRuleRequest): string | null {
  return "requestId" in request ? request.requestId : null;
}

/**
 * Clerk's refusals, checked in this order (the first that refuses answers). Membership of the
 * organization first, then permission, then the request's own checks.
 */
export const CLERK_RULES: readonly ClerkRule[] = [
  {
    code: "organization_not_found_or_unauthorized",
    status: 404,
    calls: [
      "inviteMember",
      "updateMember",
      "removeMember",
      "getInvitations",
      "revokeInvitation",
      "leaveOrganization",
      "getMembershipRequests",
      "acceptMembershipRequest",
      "rejectMembershipRequest",
      "updateOrganization",
      "setOrganizationLogo",
      "destroyOrganization",
      ...DOMAIN_CALLS,
    ],
    message: () => "Given organization not found, or you don't have permission to access the organization",
    refuses: (_request, world) => world.organization === null || callerMember(world) === null,
    source: "E",
  },
  {
    code: "missing_organization_permission",
    status: 403,
    calls: [
      "inviteMember",
      "updateMember",
      "removeMember",
      "getInvitations",
      "revokeInvitation",
      "getMembershipRequests",
      "acceptMembershipRequest",
      "rejectMembershipRequest",
    ],
    message: () => "Current user is missing an organization permission.",
    refuses: (_request, world) => !(callerMember(world)?.permissions ?? []).includes(MANAGE_MEMBERS),
    source: "E; the permission each call needs: U (OrganizationProfile gates them on org:sys_memberships:manage)",
  },
  {
    code: "missing_organization_permission",
    status: 403,
    calls: ["updateOrganization", "setOrganizationLogo", "destroyOrganization", ...DOMAIN_CHANGES],
    message: () => "Current user is missing an organization permission.",
    refuses: (request, world) => {
      const needed =
        request.type === "destroyOrganization"
          ? DELETE_PROFILE
          : request.type === "updateOrganization" || request.type === "setOrganizationLogo"
            ? MANAGE_PROFILE
            : MANAGE_DOMAINS;
      return !(callerMember(world)?.permissions ?? []).includes(needed);
    },
    source: "E; the permission each call needs: U (OrganizationProfile gates them on these permissions)",
  },
  {
    code: "user_create_organization_not_enabled",
    status: 403,
    calls: ["createOrganization"],
    message: () => "Organization creation is not enabled for this user",
    refuses: (_request, world) => !world.instance.createOrganization,
    source: "E",
  },
  {
    code: "organization_admin_delete_not_enabled",
    status: 403,
    calls: ["destroyOrganization"],
    message: () => "Deletion by admin is not enabled for this organization.",
    refuses: (_request, world) => !world.instance.adminDelete,
    source: "E",
  },
  {
    code: "organization_slugs_disabled",
    status: 403,
    calls: ["updateOrganization"],
    message: () => "Organization slugs are disabled for this instance.",
    refuses: (request, world) =>
      request.type === "updateOrganization" && request.slug !== undefined && !world.instance.slugs,
    source: "E",
    unconfirmed: "The long message (E gives the code and status).",
  },
  {
    code: "organization_domains_not_enabled",
    status: 403,
    calls: [...DOMAIN_CALLS],
    message: () => "Verified domains are not enabled for this instance.",
    refuses: (_request, world) => !world.instance.domains,
    source: "E",
    unconfirmed: "The long message (E gives the code and status).",
  },
  {
    code: "organization_domain_enrollment_mode_not_enabled",
    status: 403,
    calls: ["updateDomainEnrollment"],
    message: () => "This enrollment mode is not enabled for this instance.",
    refuses: (request, world) =>
      request.type === "updateDomainEnrollment" && !world.instance.enrollmentModes.includes(request.enrollmentMode),
    source: "E",
    unconfirmed: "The long message (E gives the code and status).",
  },
  {
    code: "organization_domain_mismatch",
    status: 422,
    calls: ["prepareDomainVerification"],
    message: () => "The provided email address doesn't match the organization domain name.",
    refuses: (request, world) => {
      if (request.type !== "prepareDomainVerification") return false;
      const domain = world.organization?.domains?.find((found) => found.id === request.domainId);
      return domain !== undefined && !lower(request.emailAddress).endsWith(`@${domain.name}`);
    },
    source: "E",
  },
  {
    code: "organization_domain_already_exists_same_organization",
    status: 422,
    calls: ["createDomain"],
    message: () => "This domain is already used by this organization.",
    refuses: (request, world) =>
      request.type === "createDomain" &&
      (world.organization?.domains ?? []).some((domain) => domain.name === lower(request.name)),
    source: "E",
    unconfirmed: "The long message (E gives the one of organization_domain_already_exists).",
  },
  {
    code: "resource_not_found",
    status: 404,
    calls: [
      "getDomain",
      "prepareDomainVerification",
      "attemptDomainVerification",
      "updateDomainEnrollment",
      "deleteDomain",
    ],
    message: () => "Resource not found",
    refuses: (request, world) =>
      "domainId" in request && !(world.organization?.domains ?? []).some((domain) => domain.id === request.domainId),
    source: "E (resource_not_found)",
  },
  {
    code: "resource_not_found",
    status: 404,
    calls: ["inviteMember", "updateMember"],
    message: () => "Organization role not found",
    refuses: (request, world) => "role" in request && world.roles[request.role] === undefined,
    source: "E",
  },
  {
    code: "form_param_format_invalid",
    status: 422,
    calls: ["inviteMember"],
    message: (request) =>
      `The following email addresses are invalid: ${request.type === "inviteMember" ? request.emailAddress : ""}`,
    refuses: (request) => request.type === "inviteMember" && !/^\S+@\S+\.\S+$/.test(request.emailAddress.trim()),
    source: "E (FAPI, meta.emailAddresses)",
    unconfirmed: "How Clerk's server checks an address: this uses the check Clerk's own invite form makes (U).",
  },
  {
    code: "already_a_member_in_organization",
    status: 400,
    calls: ["inviteMember"],
    message: (request) =>
      `${request.type === "inviteMember" ? lower(request.emailAddress) : "This user"} is already a member of the organization.`,
    refuses: (request, world) =>
      request.type === "inviteMember" &&
      (world.organization?.members ?? []).some((member) => member.emailAddresses.includes(lower(request.emailAddress))),
    source: "E; U reads the address out of the long message",
  },
  {
    code: "organization_invitation_not_unique",
    status: 400,
    calls: ["inviteMember"],
    message: () => "Organizations cannot have duplicate pending invitations for an email address.",
    refuses: (request, world) =>
      request.type === "inviteMember" &&
      (world.organization?.pendingInvitations ?? []).some(
        (invitation) => lower(invitation.emailAddress) === lower(request.emailAddress),
      ),
    source: "E",
    unconfirmed:
      "Whether one invitation gets this code while the bulk call gets duplicate_record (U expects duplicate_record from the bulk call; Roster sends one call per address).",
  },
  {
    code: "organization_membership_quota_exceeded",
    status: 403,
    calls: ["inviteMember", "acceptMembershipRequest"],
    message: (_request, world) =>
      `You have reached your limit of ${world.instance.maxAllowedMemberships} organization memberships, including outstanding invitations.`,
    refuses: (request, world) =>
      // Accepting a request adds a member; an invitation adds a pending one (counted alike).
      atLimit(world, 1) &&
      (request.type !== "acceptMembershipRequest" ||
        (world.organization?.membershipRequests ?? []).some((found) => found.id === requestOf(request))),
    source: "E; the default limit of 5: D:guides/organizations/configure",
    unconfirmed: "That accepting a membership request counts against the limit (the message names invitations only).",
  },
  {
    code: "organization_minimum_permissions_needed",
    status: 400,
    calls: ["updateMember", "removeMember", "leaveOrganization"],
    message: () => "There has to be at least one organization member with the minimum required permissions",
    refuses: (request, world) =>
      (world.organization?.members ?? []).some((member) => holdsMinimum(member.permissions)) &&
      !membersAfter(request, world).some((member) => holdsMinimum(member.permissions)),
    source: "E (FAPI and BAPI); the permissions: D:guides/organizations/control-access/roles-and-permissions",
    unconfirmed:
      "Which calls return it (leave, remove and a role change are inferred) and the exact permissions checked (inferred from what the Creator role must hold).",
  },
  {
    code: "personal_accounts_not_allowed",
    status: 422,
    calls: ["leaveOrganization"],
    message: () =>
      "You must maintain at least one organization membership since personal accounts are not allowed on the application",
    refuses: (_request, world) => !world.instance.personalAccounts && (world.caller?.organizationsCount ?? 0) <= 1,
    source: "E",
    unconfirmed: "Whether an admin removing a user's last membership gets it too (not simulated).",
  },
  {
    code: "resource_not_found",
    status: 404,
    calls: ["revokeInvitation"],
    message: () => "Resource not found",
    refuses: (request, world) =>
      request.type === "revokeInvitation" &&
      !(world.organization?.pendingInvitations ?? []).some((invitation) => invitation.id === request.invitationId),
    source: "E (resource_not_found)",
    unconfirmed: "The code for revoking an invitation that is no longer pending.",
  },
  {
    code: "organization_invitation_not_pending",
    status: 404,
    calls: ["acceptUserInvitation"],
    message: () => "This invitation is no longer pending.",
    refuses: (request, world) =>
      request.type === "acceptUserInvitation" &&
      !(world.caller?.invitations ?? []).some((invitation) => invitation.id === request.invitationId),
    source: "E (also organization_invitation_revoked_code and …_already_accepted, both 400)",
    unconfirmed:
      "The long message (E gives the code and status), and which of the three codes a revoked or accepted invitation gets.",
  },
  {
    code: "resource_not_found",
    status: 404,
    calls: ["acceptMembershipRequest", "rejectMembershipRequest"],
    message: () => "Resource not found",
    refuses: (request, world) =>
      !(world.organization?.membershipRequests ?? []).some((found) => found.id === requestOf(request)),
    source: "E (resource_not_found)",
    unconfirmed: "The code for answering a request that is no longer pending.",
  },
];

/** The first rule that refuses `request` in `world`, as Clerk's error says it; null when Clerk accepts. */
export function clerkRefusal(request: ClerkRuleRequest, world: ClerkWorld): (Refusal & { rule: ClerkRule }) | null {
  for (const rule of CLERK_RULES) {
    if (!rule.calls.includes(request.type)) continue;
    if (rule.refuses(request, world))
      return { code: rule.code, status: rule.status, message: rule.message(request, world), rule };
  }
  return null;
}
