/**
 * Clerk webhook payloads shaped the way Clerk sends them, for every event in Clerk's catalog: for
 * tests, for the event sender (`npm run webhook`), and as the reference the backend's handlers are
 * written against.
 *
 * Sources, in order of authority:
 * - Clerk's webhook OpenAPI spec (`webhooks/2025-04-15.yml` in clerk/openapi-specs): the event
 *   list and each payload's schema (field names, which fields are required, which are nullable).
 * - `@clerk/backend`'s `WebhookEvent` types (installed here): object type names and the
 *   `organizationInvitation.accepted` `user_id`. `test/clerkEvents.test.ts` fails to typecheck
 *   when `@clerk/backend` names an event type this file lacks.
 * - Clerk's docs (webhooks overview, Billing webhooks) for the envelope and each event's meaning.
 * Where the spec's hand-written examples contradict its schemas (e.g. `"object": "waitlistEntry"`
 * vs the schema's `waitlist_entry`), the schema wins.
 *
 * Envelope: `{ data, object: "event", type, timestamp, instance_id, event_attributes }`;
 * `timestamp` is in milliseconds (Clerk's docs); `event_attributes.http_request` names the
 * request that caused the event (empty strings when Clerk itself did, e.g. a trial ending).
 *
 * What a handler must know (each builder's comment says more):
 * - Every timestamp inside `data` is in milliseconds. Snapshots carry `updated_at`; deletes,
 *   `email.created` and `sms.created` do not (use the envelope `timestamp`).
 * - `*.deleted` for users, organizations, domains, roles and permissions carries only
 *   `{ deleted: true, id, object }` (plus `slug` for organizations, `external_id` for users that
 *   had one). `organizationMembership.deleted` carries the whole membership, with the same
 *   `updated_at` as the last update.
 * - Membership events embed the full organization and the member's `public_user_data`; session
 *   events embed the full `user`.
 * - There is no `organizationInvitation.expired` event: an invitation past `expires_at` just
 *   stops being pending.
 * - `invitation.*` (application invitations) is absent from Clerk's webhook OpenAPI but listed in
 *   Clerk's own full event catalog; its data is the Backend API `Invitation` object, the same one
 *   `waitlistEntry` embeds.
 * - Billing payers are `cpayer_…` ids; the Clerk user or organization paying is in
 *   `payer.user_id` / `payer.organization_id`, the other one being `""`.
 *
 * Every builder takes overrides for `data` (merged last, shallowly: pass whole nested objects),
 * so tests can also build the odd shapes Clerk sends (null names, empty lists). Builders derive
 * what Clerk keeps consistent (a membership's `role_name` and `permissions` from its `role`, an
 * event's `status` from its type) unless the override sets it.
 */

/** A Clerk object as JSON: webhook `data`, or an object nested in it. */
export type ClerkObject = Record<string, unknown>;
/** Overrides merged into a builder's `data`. */
export type Overrides = Record<string, unknown>;

export type HttpRequest = { client_ip: string; user_agent: string };

export type ClerkEnvelope<T extends string = string> = {
  data: ClerkObject;
  object: "event";
  type: T;
  timestamp: number;
  instance_id: string;
  event_attributes: { http_request: HttpRequest };
};

/** The envelope fields a builder lets a caller choose. */
export type EnvelopeOptions = {
  /** The envelope's `timestamp` (ms). Defaults to the data's `updated_at`, else now. */
  timestamp?: number;
  /** The request that caused the event. Defaults to a browser's. */
  httpRequest?: HttpRequest;
};

// ---------------------------------------------------------------------------------------------
// Ids, time, envelope
// ---------------------------------------------------------------------------------------------

export const INSTANCE_ID = "ins_2abcTestInstance0000000000";

/** The moment the sample world is built around (2025-10-09T20:53:20Z), in ms like every Clerk timestamp. */
export const T0 = 1_760_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * A readable, deterministic Clerk-style id: `prefix_2<tag>000…<n>` (26 characters after the
 * prefix, like the default user's). Clerk's real ids are `prefix_` + 27 base62 characters.
 */
export function clerkId(prefix: string, tag: string, n = 1): string {
  const tail = String(n);
  return `${prefix}_2${tag}${"0".repeat(Math.max(0, 25 - tag.length - tail.length))}${tail}`;
}

/** The part of a Clerk id after its prefix, to derive related ids (`user_X` → `idn_X`). */
function idTail(id: string): string {
  return id.slice(id.indexOf("_") + 1);
}

/** The request behind an event a person caused in the browser (sign-up, profile edit, invite). */
export const BROWSER_REQUEST: HttpRequest = {
  client_ip: "192.0.2.10",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
};
/** What Clerk sends for events it raises on its own (a trial ending, a renewal failing). */
export const NO_HTTP_REQUEST: HttpRequest = { client_ip: "", user_agent: "" };

/** Wraps `data` in Clerk's event envelope. */
export function envelope<T extends string>(
  type: T,
  data: ClerkObject,
  timestamp = Date.now(),
  httpRequest: HttpRequest = BROWSER_REQUEST,
): ClerkEnvelope<T> {
  return {
    data,
    object: "event",
    type,
    timestamp,
    instance_id: INSTANCE_ID,
    event_attributes: { http_request: { ...httpRequest } },
  };
}

/** Envelope for a snapshot: its timestamp follows the data's `updated_at` unless told otherwise. */
function snapshotEvent<T extends string>(type: T, data: ClerkObject, options: EnvelopeOptions): ClerkEnvelope<T> {
  const updatedAt = typeof data.updated_at === "number" ? data.updated_at : Date.now();
  return envelope(type, data, options.timestamp ?? updatedAt, options.httpRequest);
}

/** The `DeletedObject` Clerk sends for `user.deleted`, `organization.deleted`, `role.deleted` … */
export function deletedObject(object: string, id: string, extra: Overrides = {}): ClerkObject {
  return { deleted: true, id, object, ...extra };
}

/** The day-precision `last_active_at` Clerk keeps on users. */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/** Ada, the default user (she creates the default organization). */
export const ADA = "user_2ada0000000000000000000001";
/** Charles, invited to Ada's organization as a member. */
export const CHARLES = clerkId("user", "cb");

/** A verification Clerk completed with a one-time code (`email_code`, `phone_code`). */
function codeVerification(strategy: string, at: number): ClerkObject {
  return { attempts: 1, expire_at: at + 10 * MINUTE, status: "verified", strategy };
}

/** An `email_address` object, verified with a one-time code. */
export function clerkEmailAddress(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    email_address: "ada@example.com",
    id: `idn_${idTail(ADA)}`,
    linked_to: [],
    matches_sso_connection: false,
    object: "email_address",
    reserved: false,
    updated_at: T0,
    verification: codeVerification("email_code", T0),
    ...overrides,
  };
}

/** A `phone_number` object, verified by SMS code. */
export function clerkPhoneNumber(overrides: Overrides = {}): ClerkObject {
  return {
    backup_codes: null,
    created_at: T0,
    default_second_factor: false,
    id: `idn_${idTail(ADA)}p`,
    linked_to: [],
    object: "phone_number",
    phone_number: "+15555550100",
    reserved: false,
    reserved_for_second_factor: false,
    updated_at: T0,
    verification: codeVerification("phone_code", T0),
    ...overrides,
  };
}

/** A Google account linked to a user (`object: "google_account"`, `provider: "oauth_google"`). */
export function clerkGoogleAccount(overrides: Overrides = {}): ClerkObject {
  const id = typeof overrides.id === "string" ? overrides.id : `idn_${idTail(ADA)}g`;
  return {
    approved_scopes:
      "email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile",
    created_at: T0,
    email_address: "ada@example.com",
    email_address_verified: true,
    external_account_id: `eac_${idTail(id)}`,
    first_name: "Ada",
    id,
    identification_id: id,
    image_url:
      "https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2xoMy5nb29nbGV1c2VyY29udGVudC5jb20vYS9hZGEifQ",
    label: null,
    last_name: "Lovelace",
    object: "google_account",
    phone_number: null,
    provider: "oauth_google",
    provider_user_id: "108437102839423674921",
    public_metadata: {},
    updated_at: T0,
    username: null,
    verification: { attempts: null, expire_at: T0 + 10 * MINUTE, status: "verified", strategy: "oauth_google" },
    ...overrides,
  };
}

/** `{ email_addresses, primary_email_address_id }` for a user whose one address is `address`. */
export function primaryEmail(address: string, userId: string): ClerkObject {
  const id = `idn_${idTail(userId)}`;
  return { email_addresses: [clerkEmailAddress({ id, email_address: address })], primary_email_address_id: id };
}

/** `{ phone_numbers, primary_phone_number_id }` for a user whose one phone is `phone`. */
export function primaryPhone(phone: string, userId: string): ClerkObject {
  const id = `idn_${idTail(userId)}p`;
  return { phone_numbers: [clerkPhoneNumber({ id, phone_number: phone })], primary_phone_number_id: id };
}

/**
 * A Clerk `user` object (the data of `user.created` / `user.updated`, and the `user` in session
 * events): Ada, signed up with a verified email and no password. `private_metadata` is present
 * in webhooks and must never leave the server.
 */
export function clerkUser(overrides: Overrides = {}): ClerkObject {
  const id = typeof overrides.id === "string" ? overrides.id : ADA;
  const emailId = `idn_${idTail(id)}`;
  return {
    backup_code_enabled: false,
    banned: false,
    bypass_client_trust: false,
    create_organization_enabled: true,
    create_organizations_limit: null,
    created_at: T0,
    delete_self_enabled: true,
    deprovisioned: false,
    email_addresses: [clerkEmailAddress({ id: emailId })],
    enterprise_accounts: [],
    external_accounts: [],
    external_id: null,
    first_name: "Ada",
    has_image: false,
    id,
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
    last_active_at: dayOf(T0),
    last_name: "Lovelace",
    last_sign_in_at: null,
    legal_accepted_at: null,
    locale: null,
    locked: false,
    lockout_expires_in_seconds: null,
    mfa_disabled_at: null,
    mfa_enabled_at: null,
    object: "user",
    passkeys: [],
    password_enabled: false,
    password_last_updated_at: null,
    phone_numbers: [],
    primary_email_address_id: emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    private_metadata: {},
    profile_image_url: "https://www.gravatar.com/avatar?d=mp",
    public_metadata: {},
    saml_accounts: [],
    totp_enabled: false,
    two_factor_enabled: false,
    unsafe_metadata: {},
    updated_at: T0,
    username: null,
    verification_attempts_remaining: 100,
    web3_wallets: [],
    ...overrides,
  };
}

/** Charles Babbage: a second user, with his own email. */
export function clerkUserCharles(overrides: Overrides = {}): ClerkObject {
  return clerkUser({
    id: CHARLES,
    first_name: "Charles",
    last_name: "Babbage",
    ...primaryEmail("charles@example.com", CHARLES),
    ...overrides,
  });
}

/** A user who signed up with a phone number only: no email, no name. */
export function phoneOnlyUser(overrides: Overrides = {}): ClerkObject {
  const id = typeof overrides.id === "string" ? overrides.id : ADA;
  return clerkUser({
    email_addresses: [],
    primary_email_address_id: null,
    ...primaryPhone("+15555550100", id),
    first_name: null,
    last_name: null,
    ...overrides,
  });
}

/** A user who signed up with a username and password only: no email, phone or name. */
export function usernameOnlyUser(overrides: Overrides = {}): ClerkObject {
  return clerkUser({
    email_addresses: [],
    primary_email_address_id: null,
    first_name: null,
    last_name: null,
    username: "ada",
    password_enabled: true,
    password_last_updated_at: T0,
    ...overrides,
  });
}

/** A user who signed up with Google: the email is linked to the Google account and verified by it. */
export function oauthUser(overrides: Overrides = {}): ClerkObject {
  const id = typeof overrides.id === "string" ? overrides.id : ADA;
  const emailId = `idn_${idTail(id)}`;
  const google = clerkGoogleAccount({ id: `idn_${idTail(id)}g` });
  return clerkUser({
    email_addresses: [
      clerkEmailAddress({
        id: emailId,
        linked_to: [{ id: google.id, type: "oauth_google" }],
        verification: { attempts: null, expire_at: null, status: "verified", strategy: "from_oauth_google" },
      }),
    ],
    external_accounts: [google],
    image_url: google.image_url,
    last_sign_in_at: T0,
    ...overrides,
  });
}

export type UserSnapshotType = "user.created" | "user.updated";

/** `user.created` / `user.updated` for a user; the envelope timestamp follows `updated_at`. */
export function userEvent<T extends UserSnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkUser(overrides), options);
}

/**
 * `user.deleted`: `{ deleted, id, object }`, plus `external_id` when the user had one (pass it
 * in `extra`). Deleting a user also ends their sessions and memberships, each with its own event.
 */
export function userDeleted(id: string, timestamp = Date.now(), extra: Overrides = {}) {
  return envelope("user.deleted", deletedObject("user", id, extra), timestamp);
}

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

/** Ada's organization. */
export const ORG = clerkId("org", "eng");

/**
 * A Clerk `organization` object (the data of `organization.*`, and the `organization` embedded
 * in membership events). `slug` is null when the instance disables slugs; `members_count` counts
 * memberships after the change that raised the event.
 */
export function clerkOrganization(overrides: Overrides = {}): ClerkObject {
  return {
    admin_delete_enabled: true,
    created_at: T0,
    created_by: ADA,
    has_image: false,
    id: ORG,
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yYWJjIiwicmlkIjoib3JnXzJlbmcifQ",
    max_allowed_memberships: 5,
    members_count: 1,
    missing_member_with_elevated_permissions: false,
    name: "Analytical Engines",
    object: "organization",
    pending_invitations_count: 0,
    private_metadata: {},
    public_metadata: {},
    slug: "analytical-engines",
    updated_at: T0,
    ...overrides,
  };
}

/** The `public_organization_data` invitations and domains carry. */
export function publicOrganizationData(organization: ClerkObject = clerkOrganization()): ClerkObject {
  return {
    has_image: organization.has_image,
    id: organization.id,
    image_url: organization.image_url,
    name: organization.name,
    slug: organization.slug,
  };
}

export type OrganizationSnapshotType = "organization.created" | "organization.updated";

/** `organization.created` / `organization.updated`. */
export function organizationEvent<T extends OrganizationSnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkOrganization(overrides), options);
}

/**
 * `organization.deleted`: `{ deleted, id, object, slug }`. Clerk deletes the memberships with
 * the organization; whether it sends `organizationMembership.deleted` for each is not promised.
 */
export function organizationDeleted(id: string = ORG, timestamp = Date.now(), extra: Overrides = {}) {
  return envelope(
    "organization.deleted",
    deletedObject("organization", id, { slug: "analytical-engines", ...extra }),
    timestamp,
  );
}

// ---------------------------------------------------------------------------------------------
// Roles and permissions
// ---------------------------------------------------------------------------------------------

/** Clerk's default roles and the system permissions they hold. */
export const DEFAULT_ROLES: Readonly<Record<string, { name: string; permissions: readonly string[] }>> = {
  "org:admin": {
    name: "Admin",
    permissions: [
      "org:sys_profile:manage",
      "org:sys_profile:delete",
      "org:sys_memberships:read",
      "org:sys_memberships:manage",
      "org:sys_domains:read",
      "org:sys_domains:manage",
    ],
  },
  "org:member": { name: "Member", permissions: ["org:sys_memberships:read"] },
};

/** The name Clerk shows for a role key: the default role's, else the key's last part, capitalised. */
function roleNameOf(key: string): string {
  const known = DEFAULT_ROLES[key];
  if (known) return known.name;
  const last = key.slice(key.lastIndexOf(":") + 1).replace(/_/g, " ");
  return last.charAt(0).toUpperCase() + last.slice(1);
}

/** The permission keys a role holds, for the default roles (custom roles: none unless told). */
function permissionsOf(key: string): string[] {
  return [...(DEFAULT_ROLES[key]?.permissions ?? [])];
}

/**
 * A Clerk `permission` object (data of `permission.created` / `permission.updated`, and the items
 * of a role's `permissions`). `type` is `"user"` for custom permissions, `"system"` for
 * `org:sys_*` ones.
 */
export function clerkPermission(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    description: "See the organization's attendance reports",
    id: clerkId("perm", "rep"),
    key: "org:reports:read",
    name: "Read reports",
    object: "permission",
    type: "user",
    updated_at: T0,
    ...overrides,
  };
}

/** A custom Clerk `role` (data of `role.created` / `role.updated`), with its full permission objects. */
export function clerkRole(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    description: "Reads the reports; manages nothing",
    id: clerkId("role", "aud"),
    is_creator_eligible: false,
    key: "org:auditor",
    name: "Auditor",
    object: "role",
    permissions: [
      clerkPermission(),
      clerkPermission({
        id: clerkId("perm", "mem"),
        key: "org:sys_memberships:read",
        name: "Read members",
        description: "Permission to read the members of an organization.",
        type: "system",
      }),
    ],
    updated_at: T0,
    ...overrides,
  };
}

export type RoleSnapshotType = "role.created" | "role.updated";
export type PermissionSnapshotType = "permission.created" | "permission.updated";

/** `role.created` / `role.updated`. */
export function roleEvent<T extends RoleSnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkRole(overrides), options);
}

/**
 * Clerk's default roles (Admin, Member) as its Backend API lists them (`GET /v1/organization_roles`
 * lists every role of the instance, these included), with their system permissions.
 */
export function clerkDefaultRoles(at = T0 - 60 * DAY): ClerkObject[] {
  return Object.entries(DEFAULT_ROLES).map(([key, role], i) =>
    clerkRole({
      id: clerkId("role", "default", i),
      key,
      name: role.name,
      description: null,
      is_creator_eligible: key === "org:admin",
      permissions: role.permissions.map((permission, j) =>
        clerkPermission({ id: clerkId("perm", `sys${i}x`, j), key: permission, name: permission, type: "system" }),
      ),
      created_at: at,
      updated_at: at,
    }),
  );
}

/** `role.deleted`: `{ deleted, id, object }`. */
export function roleDeleted(id: string = clerkId("role", "aud"), timestamp = Date.now(), extra: Overrides = {}) {
  return envelope("role.deleted", deletedObject("role", id, extra), timestamp);
}

/** `permission.created` / `permission.updated`. */
export function permissionEvent<T extends PermissionSnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkPermission(overrides), options);
}

/** `permission.deleted`: `{ deleted, id, object }`. */
export function permissionDeleted(id: string = clerkId("perm", "rep"), timestamp = Date.now(), extra: Overrides = {}) {
  return envelope("permission.deleted", deletedObject("permission", id, extra), timestamp);
}

// ---------------------------------------------------------------------------------------------
// Memberships
// ---------------------------------------------------------------------------------------------

/**
 * The `public_user_data` a membership carries for its member: names and image as on the user,
 * and `identifier`, the member's primary email (else phone, else username).
 */
export function publicUserData(user: ClerkObject = clerkUser()): ClerkObject {
  const primaryOf = (listKey: string, idKey: string, field: string): unknown => {
    const list = Array.isArray(user[listKey]) ? (user[listKey] as ClerkObject[]) : [];
    return list.find((item) => item.id === user[idKey])?.[field] ?? null;
  };
  const identifier =
    primaryOf("email_addresses", "primary_email_address_id", "email_address") ??
    primaryOf("phone_numbers", "primary_phone_number_id", "phone_number") ??
    user.username ??
    "";
  return {
    banned: user.banned ?? false,
    first_name: user.first_name ?? null,
    has_image: user.has_image ?? false,
    identifier,
    image_url: user.image_url,
    last_name: user.last_name ?? null,
    profile_image_url: user.profile_image_url ?? null,
    user_id: user.id,
    username: user.username ?? null,
  };
}

/**
 * A Clerk `organization_membership` object (data of `organizationMembership.*`): Ada as admin of
 * her organization by default. `role_name` and `permissions` follow `role` unless overridden;
 * the id follows the member (`orgmem_` + the user id's tail), so give one for a second org.
 */
export function clerkMembership(overrides: Overrides = {}): ClerkObject {
  const role = typeof overrides.role === "string" ? overrides.role : "org:admin";
  const member = overrides.public_user_data;
  const userId =
    typeof member === "object" && member !== null && typeof (member as ClerkObject).user_id === "string"
      ? ((member as ClerkObject).user_id as string)
      : ADA;
  return {
    created_at: T0,
    id: `orgmem_${idTail(userId)}`,
    object: "organization_membership",
    organization: clerkOrganization(),
    permissions: permissionsOf(role),
    private_metadata: {},
    public_metadata: {},
    public_user_data: publicUserData(clerkUser({ id: userId })),
    role,
    role_name: roleNameOf(role),
    updated_at: T0,
    ...overrides,
  };
}

export type MembershipEventType =
  "organizationMembership.created" | "organizationMembership.updated" | "organizationMembership.deleted";

/**
 * `organizationMembership.created` / `.updated` / `.deleted`. All three carry the full
 * membership; `.deleted` keeps the `updated_at` of the last update (so a delete ties with the
 * last snapshot), and its envelope timestamp defaults to a minute after it.
 */
export function membershipEvent<T extends MembershipEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const data = clerkMembership(overrides);
  if (type === "organizationMembership.deleted" && options.timestamp === undefined) {
    return envelope(type, data, Number(data.updated_at) + MINUTE, options.httpRequest);
  }
  return snapshotEvent(type, data, options);
}

// ---------------------------------------------------------------------------------------------
// Organization invitations
// ---------------------------------------------------------------------------------------------

/** The `public_inviter_data` an organization invitation carries (null when Clerk has no inviter). */
export function publicInviterData(user: ClerkObject = clerkUser()): ClerkObject {
  const data = publicUserData(user);
  return {
    first_name: data.first_name,
    has_image: data.has_image,
    identifier: data.identifier,
    image_url: data.image_url,
    last_name: data.last_name,
    user_id: data.user_id,
  };
}

/** Ada's invitation of Charles. */
export const ORG_INVITATION = clerkId("orginv", "cb");

/** A link Clerk puts in invitation emails (a ticket the Frontend API accepts). */
function ticketUrl(tag: string): string {
  return `https://clerk.roster.example/v1/tickets/accept?ticket=eyJhbGciOiJIUzI1NiJ9.${tag}.c2lnbmF0dXJl`;
}

/**
 * A Clerk `organization_invitation` (data of `organizationInvitation.*`): Ada inviting
 * charles@example.com as a member. Invitations expire after 30 days.
 */
export function clerkOrganizationInvitation(overrides: Overrides = {}): ClerkObject {
  const role = typeof overrides.role === "string" ? overrides.role : "org:member";
  return {
    created_at: T0,
    email_address: "charles@example.com",
    expires_at: T0 + 30 * DAY,
    id: ORG_INVITATION,
    inviter_id: ADA,
    object: "organization_invitation",
    organization_id: ORG,
    private_metadata: {},
    public_inviter_data: publicInviterData(),
    public_metadata: {},
    public_organization_data: publicOrganizationData(),
    role,
    role_name: roleNameOf(role),
    status: "pending",
    updated_at: T0,
    url: ticketUrl("orginv"),
    ...overrides,
  };
}

export type OrganizationInvitationEventType =
  "organizationInvitation.created" | "organizationInvitation.accepted" | "organizationInvitation.revoked";

const INVITATION_STATUS: Record<OrganizationInvitationEventType, string> = {
  "organizationInvitation.created": "pending",
  "organizationInvitation.accepted": "accepted",
  "organizationInvitation.revoked": "revoked",
};

/**
 * `organizationInvitation.created` / `.accepted` / `.revoked`: `status` follows the type. Only
 * `.accepted` carries `user_id` (the user who accepted, Charles by default); Clerk then also
 * sends `organizationMembership.created` for them.
 */
export function organizationInvitationEvent<T extends OrganizationInvitationEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const accepted = type === "organizationInvitation.accepted" ? { user_id: CHARLES } : {};
  const data = clerkOrganizationInvitation({ status: INVITATION_STATUS[type], ...accepted, ...overrides });
  return snapshotEvent(type, data, options);
}

// ---------------------------------------------------------------------------------------------
// Organization domains
// ---------------------------------------------------------------------------------------------

export const ORG_DOMAIN = clerkId("orgdmn", "eng");

/**
 * A Clerk `organization_domain` (data of `organizationDomain.created` / `.updated`): added and
 * not yet verified, so `verification` is null. Pass `verifiedDomain()` fields once verified.
 */
export function clerkOrganizationDomain(overrides: Overrides = {}): ClerkObject {
  return {
    affiliation_email_address: null,
    created_at: T0,
    enrollment_mode: "automatic_invitation",
    id: ORG_DOMAIN,
    name: "engines.example",
    object: "organization_domain",
    organization_id: ORG,
    public_organization_data: publicOrganizationData(),
    total_pending_invitations: 0,
    total_pending_suggestions: 0,
    updated_at: T0,
    verification: null,
    ...overrides,
  };
}

/** The fields of a domain an admin verified through an email code at that domain. */
export function verifiedDomain(affiliationEmail = "ada@engines.example"): ClerkObject {
  return {
    affiliation_email_address: affiliationEmail,
    verification: { attempts: 1, expire_at: null, status: "verified", strategy: "email_code" },
  };
}

export type OrganizationDomainSnapshotType = "organizationDomain.created" | "organizationDomain.updated";

/** `organizationDomain.created` / `organizationDomain.updated`. */
export function organizationDomainEvent<T extends OrganizationDomainSnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkOrganizationDomain(overrides), options);
}

/** `organizationDomain.deleted`: `{ deleted, id, object }` (no organization id: keep it from the row). */
export function organizationDomainDeleted(id: string = ORG_DOMAIN, timestamp = Date.now(), extra: Overrides = {}) {
  return envelope("organizationDomain.deleted", deletedObject("organization_domain", id, extra), timestamp);
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

export const SESSION = clerkId("sess", "ada");

/**
 * A Clerk `session` with the session's `user` embedded (the data of `session.*`). Sessions last
 * 7 days (`expire_at`) and are abandoned after 30 (`abandon_at`). `user` follows `user_id`
 * unless given.
 */
export function clerkSession(overrides: Overrides = {}): ClerkObject {
  const userId = typeof overrides.user_id === "string" ? overrides.user_id : ADA;
  return {
    abandon_at: T0 + 30 * DAY,
    actor: null,
    client_id: `client_${idTail(userId)}`,
    created_at: T0,
    expire_at: T0 + 7 * DAY,
    id: SESSION,
    last_active_at: T0,
    last_active_organization_id: null,
    latest_activity: {
      browser_name: "Chrome",
      browser_version: "130.0.0.0",
      city: "London",
      country: "GB",
      device_type: "Linux",
      id: `sess_activity_${idTail(SESSION)}`,
      ip_address: BROWSER_REQUEST.client_ip,
      is_mobile: false,
      object: "session_activity",
    },
    object: "session",
    status: "active",
    updated_at: T0,
    user: clerkUser({ id: userId, last_sign_in_at: T0 }),
    user_id: userId,
    ...overrides,
  };
}

export type SessionEventType =
  "session.created" | "session.pending" | "session.ended" | "session.removed" | "session.revoked";

/** The `status` each session event reports. */
export const SESSION_STATUS: Readonly<Record<SessionEventType, string>> = {
  "session.created": "active",
  "session.pending": "pending",
  "session.ended": "ended",
  "session.removed": "removed",
  "session.revoked": "revoked",
};

/**
 * `session.created` (active), `session.pending` (signed in, with a task left, e.g. choosing an
 * organization), `session.ended` (signed out), `session.removed` (removed from the device by the
 * user), `session.revoked` (revoked through the Dashboard or Backend API). `status` follows the
 * type; the ends move `updated_at` an hour on unless told.
 */
export function sessionEvent<T extends SessionEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const ends = type === "session.ended" || type === "session.removed" || type === "session.revoked";
  const data = clerkSession({
    status: SESSION_STATUS[type],
    ...(ends ? { updated_at: T0 + HOUR, last_active_at: T0 + HOUR - MINUTE } : {}),
    ...overrides,
  });
  return snapshotEvent(type, data, options);
}

// ---------------------------------------------------------------------------------------------
// Email and SMS
// ---------------------------------------------------------------------------------------------

/** The template data Clerk passes to its email and SMS templates. */
function templateData(code: string): ClerkObject {
  return {
    app: {
      domain_name: "roster.example",
      logo_image_url: "https://img.clerk.com/eyJ0eXBlIjoibG9nbyJ9",
      logo_url: null,
      name: "Roster",
      url: "https://roster.example",
    },
    otp_code: code,
    requested_at: "9 October 2025, 20:53 UTC",
    requested_by: "Chrome, Linux",
    theme: { button_text_color: "#ffffff", primary_color: "#6c47ff", show_clerk_branding: true },
    user: { public_metadata: {}, public_metadata_fallback: "" },
  };
}

/**
 * A Clerk `email` (data of `email.created`): a verification code to Ada. `body`, `body_plain`
 * and `data.otp_code` hold the one-time code, so nothing of the body may be stored. `user_id`
 * and `email_address_id` are null for mail to an address with no user yet (a sign-up's code).
 * `delivered_by_clerk: false` means the app must deliver it itself.
 */
export function clerkEmail(overrides: Overrides = {}): ClerkObject {
  const code = "472913";
  return {
    body: `<!DOCTYPE html><html><head><title>${code} is your Roster verification code</title></head><body><h1>Verification code</h1><p>Enter the following verification code when prompted:</p><p><b>${code}</b></p><p>To protect your account, do not share this code.</p></body></html>`,
    body_plain: `${code} is your verification code for Roster.\n\nDo not share this with anyone.\n`,
    data: templateData(code),
    delivered_by_clerk: true,
    email_address_id: `idn_${idTail(ADA)}`,
    from_email_name: "notifications",
    id: clerkId("ema", "ada"),
    object: "email",
    reply_to_email_name: null,
    slug: "verification_code",
    status: "queued",
    subject: `${code} is your verification code`,
    to_email_address: "ada@example.com",
    user_id: ADA,
    ...overrides,
  };
}

/** `email.created` (no `updated_at`: the envelope timestamp dates it). */
export function emailCreated(overrides: Overrides = {}, options: EnvelopeOptions = {}) {
  return envelope("email.created", clerkEmail(overrides), options.timestamp ?? Date.now(), options.httpRequest);
}

/** A Clerk `sms_message` (data of `sms.created`): a verification code; `message` holds the code. */
export function clerkSms(overrides: Overrides = {}): ClerkObject {
  const code = "472913";
  return {
    created_at_ms: T0,
    data: templateData(code),
    delivered_by_clerk: true,
    from_phone_number: "+15555550199",
    id: clerkId("sms", "ada"),
    message: `${code} is your verification code for Roster.`,
    object: "sms_message",
    phone_number_id: `idn_${idTail(ADA)}p`,
    slug: "verification_code",
    status: "queued",
    to_phone_number: "+15555550100",
    user_id: ADA,
    ...overrides,
  };
}

/** `sms.created` (dated by the envelope timestamp). */
export function smsCreated(overrides: Overrides = {}, options: EnvelopeOptions = {}) {
  return envelope("sms.created", clerkSms(overrides), options.timestamp ?? Date.now(), options.httpRequest);
}

// ---------------------------------------------------------------------------------------------
// Application invitations and the waitlist
// ---------------------------------------------------------------------------------------------

export const INVITATION = clerkId("inv", "cb");

/**
 * A Clerk application `invitation` (data of `invitation.*`, and the `invitation` a waitlist
 * entry embeds once invited): charles@example.com invited to sign up. Expires after 30 days.
 */
export function clerkInvitation(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    email_address: "charles@example.com",
    expires_at: T0 + 30 * DAY,
    id: INVITATION,
    object: "invitation",
    public_metadata: {},
    revoked: false,
    status: "pending",
    updated_at: T0,
    url: ticketUrl("inv"),
    ...overrides,
  };
}

export type InvitationEventType = "invitation.created" | "invitation.accepted" | "invitation.revoked";

const APP_INVITATION_STATUS: Record<InvitationEventType, string> = {
  "invitation.created": "pending",
  "invitation.accepted": "accepted",
  "invitation.revoked": "revoked",
};

/** `invitation.created` / `.accepted` / `.revoked`: `status` (and `revoked`) follow the type. */
export function invitationEvent<T extends InvitationEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const status = APP_INVITATION_STATUS[type];
  return snapshotEvent(type, clerkInvitation({ status, revoked: status === "revoked", ...overrides }), options);
}

export const WAITLIST_ENTRY = clerkId("wle", "cb");

/**
 * A Clerk `waitlist_entry` (data of `waitlistEntry.*`). `status` is pending, invited, completed
 * or rejected; `invitation` is set once invited. `is_locked` marks an entry a batch action holds.
 */
export function clerkWaitlistEntry(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    email_address: "charles@example.com",
    id: WAITLIST_ENTRY,
    invitation: null,
    is_locked: false,
    object: "waitlist_entry",
    status: "pending",
    updated_at: T0,
    ...overrides,
  };
}

export type WaitlistEntrySnapshotType = "waitlistEntry.created" | "waitlistEntry.updated";

/** `waitlistEntry.created` / `waitlistEntry.updated`. */
export function waitlistEntryEvent<T extends WaitlistEntrySnapshotType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  return snapshotEvent(type, clerkWaitlistEntry(overrides), options);
}

// ---------------------------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------------------------

/** Clerk's default free plan for users, and a paid one. */
export const FREE_PLAN: ClerkObject = {
  amount: 0,
  currency: "USD",
  id: clerkId("cplan", "free"),
  is_recurring: false,
  name: "Free",
  slug: "free_user",
};
export const PRO_PLAN: ClerkObject = {
  amount: 2000,
  currency: "USD",
  id: clerkId("cplan", "pro"),
  is_recurring: true,
  name: "Pro",
  slug: "pro",
};

export const PAYER = clerkId("cpayer", "ada");
export const SUBSCRIPTION = clerkId("csub", "ada");

/** A money amount as Clerk Billing reports it (smallest unit, plus display forms). */
export function money(amount: number): ClerkObject {
  return { amount, amount_formatted: `$${(amount / 100).toFixed(2)}`, currency: "USD", currency_symbol: "$" };
}

/**
 * A Clerk Billing payer (`commerce_payer`): Ada paying for herself. For an organization payer,
 * `user_id`, `first_name` and `last_name` are `""` and `organization_id` / `organization_name`
 * are set: see `organizationPayer`.
 */
export function clerkPayer(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    email: "ada@example.com",
    first_name: "Ada",
    id: PAYER,
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
    last_name: "Lovelace",
    object: "commerce_payer",
    organization_id: "",
    organization_name: "",
    updated_at: T0,
    user_id: ADA,
    ...overrides,
  };
}

/** The payer for Ada's organization. */
export function organizationPayer(overrides: Overrides = {}): ClerkObject {
  return clerkPayer({
    first_name: "",
    id: clerkId("cpayer", "eng"),
    last_name: "",
    organization_id: ORG,
    organization_name: "Analytical Engines",
    user_id: "",
    ...overrides,
  });
}

/**
 * A subscription item (`commerce_subscription_item`): the payer on one plan for one period.
 * Standalone (`subscriptionItem.*`) it carries `payer` and `subscription_id`; inside a
 * subscription event `payer` is absent and `subscription_id` null (see `subscriptionItemIn`).
 * The free plan's item has `period_end: null`.
 */
export function clerkSubscriptionItem(overrides: Overrides = {}): ClerkObject {
  return {
    created_at: T0,
    id: clerkId("csubi", "pro"),
    interval: "month",
    is_free_trial: false,
    object: "commerce_subscription_item",
    payer: clerkPayer(),
    period_end: T0 + 31 * DAY,
    period_start: T0,
    plan: { ...PRO_PLAN },
    plan_id: PRO_PLAN.id,
    status: "active",
    subscription_id: SUBSCRIPTION,
    updated_at: T0,
    ...overrides,
  };
}

/** A subscription item as a subscription event lists it (no `payer`, `subscription_id: null`). */
export function subscriptionItemIn(overrides: Overrides = {}): ClerkObject {
  const item = clerkSubscriptionItem({ subscription_id: null, ...overrides });
  if (!("payer" in overrides)) delete item.payer;
  return item;
}

/** The free plan's item a payer gets when Billing creates their subscription. */
export function freeSubscriptionItem(overrides: Overrides = {}): ClerkObject {
  return subscriptionItemIn({
    id: clerkId("csubi", "free"),
    period_end: null,
    plan: { ...FREE_PLAN },
    plan_id: FREE_PLAN.id,
    ...overrides,
  });
}

/**
 * A Clerk Billing subscription (`commerce_subscription`, data of `subscription.*`): one per payer
 * (user or organization), holding the items. By default Ada's, on the free plan, as Clerk creates
 * it with the user (no payment yet: `latest_payment_id` and `payment_source_id` null).
 */
export function clerkSubscription(overrides: Overrides = {}): ClerkObject {
  return {
    active_at: T0,
    canceled_at: null,
    created_at: T0,
    ended_at: null,
    id: SUBSCRIPTION,
    items: [freeSubscriptionItem()],
    latest_payment_id: null,
    object: "commerce_subscription",
    past_due_at: null,
    payer: clerkPayer(),
    payer_id: PAYER,
    payment_source_id: null,
    status: "active",
    updated_at: T0,
    ...overrides,
  };
}

/** The fields of Ada's subscription once she has moved to the Pro plan (the free item ended). */
export function upgradedSubscription(at = T0 + DAY): ClerkObject {
  return {
    items: [
      freeSubscriptionItem({ status: "ended", updated_at: at }),
      subscriptionItemIn({ created_at: at, period_start: at, period_end: at + 31 * DAY, updated_at: at }),
    ],
    latest_payment_id: clerkId("cpa", "ada"),
    payment_source_id: clerkId("cps", "ada"),
    updated_at: at,
  };
}

export type SubscriptionEventType =
  "subscription.created" | "subscription.updated" | "subscription.active" | "subscription.pastDue";

/**
 * `subscription.created` (with the payer), `.updated` (items changed; not status), `.active`
 * (became active), `.pastDue` (an item's renewal failed: `status: "past_due"`, `past_due_at`).
 */
export function subscriptionEvent<T extends SubscriptionEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const pastDueAt = T0 + 32 * DAY;
  const pastDue =
    type === "subscription.pastDue"
      ? {
          ...upgradedSubscription(),
          items: [
            freeSubscriptionItem({ status: "ended", updated_at: T0 + DAY }),
            subscriptionItemIn({
              created_at: T0 + DAY,
              period_start: T0 + DAY,
              period_end: pastDueAt,
              status: "past_due",
              updated_at: pastDueAt,
            }),
          ],
          past_due_at: pastDueAt,
          status: "past_due",
          updated_at: pastDueAt,
        }
      : {};
  return snapshotEvent(type, clerkSubscription({ ...pastDue, ...overrides }), options);
}

export type SubscriptionItemEventType =
  | "subscriptionItem.created"
  | "subscriptionItem.updated"
  | "subscriptionItem.active"
  | "subscriptionItem.canceled"
  | "subscriptionItem.upcoming"
  | "subscriptionItem.ended"
  | "subscriptionItem.abandoned"
  | "subscriptionItem.incomplete"
  | "subscriptionItem.pastDue"
  | "subscriptionItem.freeTrialEnding";

/** The `status` of the item each `subscriptionItem.*` event reports. */
export const SUBSCRIPTION_ITEM_STATUS: Readonly<Record<SubscriptionItemEventType, string>> = {
  "subscriptionItem.created": "upcoming",
  "subscriptionItem.updated": "active",
  "subscriptionItem.active": "active",
  "subscriptionItem.canceled": "canceled",
  "subscriptionItem.upcoming": "upcoming",
  "subscriptionItem.ended": "ended",
  "subscriptionItem.abandoned": "abandoned",
  "subscriptionItem.incomplete": "incomplete",
  "subscriptionItem.pastDue": "past_due",
  "subscriptionItem.freeTrialEnding": "active",
};

/**
 * `subscriptionItem.*`: `status` follows the type; `.freeTrialEnding` is an active free-trial
 * item (sent three days before the trial ends, by Clerk itself). A canceled item keeps its plan
 * until `period_end`.
 */
export function subscriptionItemEvent<T extends SubscriptionItemEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const trial = type === "subscriptionItem.freeTrialEnding" ? { is_free_trial: true } : {};
  const data = clerkSubscriptionItem({ status: SUBSCRIPTION_ITEM_STATUS[type], ...trial, ...overrides });
  const byClerk =
    type === "subscriptionItem.freeTrialEnding" ||
    type === "subscriptionItem.ended" ||
    type === "subscriptionItem.pastDue";
  return snapshotEvent(type, data, { httpRequest: byClerk ? NO_HTTP_REQUEST : BROWSER_REQUEST, ...options });
}

/** A subscription item as a payment attempt lists it (the payer is the attempt's own). */
function paymentItem(overrides: Overrides): ClerkObject {
  const item = clerkSubscriptionItem(overrides);
  delete item.payer;
  return item;
}

/**
 * A payment attempt (data of `paymentAttempt.*`; Clerk's schema gives it no `object` field):
 * Ada's card paying for Pro at checkout. `status` is pending, paid or failed; a failed one has
 * `failed_at` and `failed_reason: { code, decline_code }`. `charge_type` is `checkout` or
 * `recurring`. `invoice_id` is the deprecated name of `statement_id`.
 */
export function clerkPaymentAttempt(overrides: Overrides = {}): ClerkObject {
  const statementId = clerkId("stmt", "ada");
  return {
    billing_date: T0 + DAY,
    charge_type: "checkout",
    created_at: T0 + DAY,
    failed_at: null,
    failed_reason: null,
    gateway_external_id: "pi_3QAbCdEfGhIjKlMn0pQrStUv",
    id: clerkId("pa", "ada"),
    instance_id: INSTANCE_ID,
    invoice_id: statementId,
    paid_at: null,
    payee: {
      gateway_external_id: "acct_1QAbCdEfGhIjKlMn",
      gateway_status: "active",
      gateway_type: "stripe",
      id: clerkId("cpayee", "rst"),
    },
    payer: clerkPayer(),
    payment_id: clerkId("cpa", "ada"),
    payment_source: {
      card_type: "visa",
      gateway: "stripe",
      gateway_external_account_id: null,
      gateway_external_id: "pm_1QAbCdEfGhIjKlMnOpQrStUv",
      id: clerkId("cps", "ada"),
      last4: "4242",
      payment_method: "card",
      status: "active",
    },
    statement_id: statementId,
    status: "pending",
    subscription_items: [
      paymentItem({
        created_at: T0 + DAY,
        period_end: T0 + 32 * DAY,
        period_start: T0 + DAY,
        status: "incomplete",
        updated_at: T0 + DAY,
      }),
    ],
    totals: { grand_total: money(2000), subtotal: money(2000), tax_total: money(0) },
    updated_at: T0 + DAY,
    ...overrides,
  };
}

export type PaymentAttemptEventType = "paymentAttempt.created" | "paymentAttempt.updated";

/** `paymentAttempt.created` (pending) / `paymentAttempt.updated` (paid by default; pass failed fields for a failure). */
export function paymentAttemptEvent<T extends PaymentAttemptEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
) {
  const paid =
    type === "paymentAttempt.updated"
      ? { paid_at: T0 + DAY + MINUTE, status: "paid", updated_at: T0 + DAY + MINUTE }
      : {};
  return snapshotEvent(type, clerkPaymentAttempt({ ...paid, ...overrides }), options);
}

/** The fields of a payment attempt whose card was declined. */
export function failedPayment(at = T0 + DAY + MINUTE): ClerkObject {
  return {
    failed_at: at,
    failed_reason: { code: "card_declined", decline_code: "insufficient_funds" },
    status: "failed",
    updated_at: at,
  };
}

// ---------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------

/**
 * Every event type Clerk sends: the 46 of its webhook OpenAPI spec, plus `invitation.*`, which
 * Clerk's own full catalog lists. (No `session.updated` or `organizationInvitation.expired`.)
 */
export const CLERK_EVENT_TYPES = [
  "email.created",
  "invitation.created",
  "invitation.accepted",
  "invitation.revoked",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organizationDomain.created",
  "organizationDomain.updated",
  "organizationDomain.deleted",
  "organizationInvitation.created",
  "organizationInvitation.accepted",
  "organizationInvitation.revoked",
  "organizationMembership.created",
  "organizationMembership.updated",
  "organizationMembership.deleted",
  "paymentAttempt.created",
  "paymentAttempt.updated",
  "permission.created",
  "permission.updated",
  "permission.deleted",
  "role.created",
  "role.updated",
  "role.deleted",
  "session.created",
  "session.pending",
  "session.ended",
  "session.removed",
  "session.revoked",
  "sms.created",
  "subscription.created",
  "subscription.updated",
  "subscription.active",
  "subscription.pastDue",
  "subscriptionItem.created",
  "subscriptionItem.updated",
  "subscriptionItem.active",
  "subscriptionItem.canceled",
  "subscriptionItem.upcoming",
  "subscriptionItem.ended",
  "subscriptionItem.abandoned",
  "subscriptionItem.incomplete",
  "subscriptionItem.pastDue",
  "subscriptionItem.freeTrialEnding",
  "user.created",
  "user.updated",
  "user.deleted",
  "waitlistEntry.created",
  "waitlistEntry.updated",
] as const;

export type ClerkEventType = (typeof CLERK_EVENT_TYPES)[number];

/** True when `type` is in Clerk's catalog. */
export function isClerkEventType(type: string): type is ClerkEventType {
  return (CLERK_EVENT_TYPES as readonly string[]).includes(type);
}

/** The fields that put a subscription item on the free plan. */
const FREE_ITEM_FIELDS: ClerkObject = { id: clerkId("csubi", "free"), plan: { ...FREE_PLAN }, plan_id: FREE_PLAN.id };

type SampleBuilder = (overrides: Overrides, options: EnvelopeOptions) => ClerkEnvelope;

/** Each type's sample: one moment in Ada's story, told in order (T0 = sign-up). */
const SAMPLES: Record<ClerkEventType, SampleBuilder> = {
  "user.created": (o, opt) => userEvent("user.created", o, opt),
  "email.created": (o, opt) => emailCreated(o, { timestamp: T0 + MINUTE, ...opt }),
  "sms.created": (o, opt) => smsCreated(o, { timestamp: T0 + 2 * MINUTE, ...opt }),
  "session.created": (o, opt) =>
    sessionEvent(
      "session.created",
      { created_at: T0 + 3 * MINUTE, updated_at: T0 + 3 * MINUTE, last_active_at: T0 + 3 * MINUTE, ...o },
      opt,
    ),
  "session.pending": (o, opt) =>
    sessionEvent(
      "session.pending",
      {
        created_at: T0 + 3 * MINUTE,
        updated_at: T0 + 3 * MINUTE,
        last_active_at: T0 + 3 * MINUTE,
        latest_activity: null,
        ...o,
      },
      opt,
    ),
  "user.updated": (o, opt) =>
    userEvent(
      "user.updated",
      {
        first_name: "Augusta Ada",
        last_name: "King",
        last_sign_in_at: T0 + 3 * MINUTE,
        updated_at: T0 + 5 * MINUTE,
        ...o,
      },
      opt,
    ),
  "organization.created": (o, opt) =>
    organizationEvent(
      "organization.created",
      { created_at: T0 + 10 * MINUTE, updated_at: T0 + 10 * MINUTE, ...o },
      opt,
    ),
  "organizationMembership.created": (o, opt) =>
    membershipEvent(
      "organizationMembership.created",
      {
        organization: clerkOrganization({ created_at: T0 + 10 * MINUTE, updated_at: T0 + 10 * MINUTE }),
        created_at: T0 + 10 * MINUTE,
        updated_at: T0 + 10 * MINUTE,
        ...o,
      },
      opt,
    ),
  "organization.updated": (o, opt) =>
    organizationEvent(
      "organization.updated",
      {
        created_at: T0 + 10 * MINUTE,
        name: "Analytical Engines Ltd",
        public_metadata: { plan: "team" },
        updated_at: T0 + 20 * MINUTE,
        ...o,
      },
      opt,
    ),
  "role.created": (o, opt) =>
    roleEvent("role.created", { created_at: T0 + 30 * MINUTE, updated_at: T0 + 30 * MINUTE, ...o }, opt),
  "role.updated": (o, opt) =>
    roleEvent(
      "role.updated",
      { created_at: T0 + 30 * MINUTE, description: "Reads reports and members", updated_at: T0 + 35 * MINUTE, ...o },
      opt,
    ),
  "role.deleted": (o, opt) =>
    roleDeleted(typeof o.id === "string" ? o.id : clerkId("role", "aud"), opt.timestamp ?? T0 + 40 * DAY, o),
  "permission.created": (o, opt) =>
    permissionEvent("permission.created", { created_at: T0 + 25 * MINUTE, updated_at: T0 + 25 * MINUTE, ...o }, opt),
  "permission.updated": (o, opt) =>
    permissionEvent(
      "permission.updated",
      { created_at: T0 + 25 * MINUTE, name: "Read and export reports", updated_at: T0 + 28 * MINUTE, ...o },
      opt,
    ),
  "permission.deleted": (o, opt) =>
    permissionDeleted(typeof o.id === "string" ? o.id : clerkId("perm", "rep"), opt.timestamp ?? T0 + 41 * DAY, o),
  "organizationDomain.created": (o, opt) =>
    organizationDomainEvent("organizationDomain.created", { created_at: T0 + HOUR, updated_at: T0 + HOUR, ...o }, opt),
  "organizationDomain.updated": (o, opt) =>
    organizationDomainEvent(
      "organizationDomain.updated",
      { ...verifiedDomain(), created_at: T0 + HOUR, updated_at: T0 + HOUR + 5 * MINUTE, ...o },
      opt,
    ),
  "organizationDomain.deleted": (o, opt) =>
    organizationDomainDeleted(typeof o.id === "string" ? o.id : ORG_DOMAIN, opt.timestamp ?? T0 + 42 * DAY, o),
  "organizationInvitation.created": (o, opt) =>
    organizationInvitationEvent(
      "organizationInvitation.created",
      { created_at: T0 + 2 * HOUR, expires_at: T0 + 2 * HOUR + 30 * DAY, updated_at: T0 + 2 * HOUR, ...o },
      opt,
    ),
  "organizationInvitation.accepted": (o, opt) =>
    organizationInvitationEvent(
      "organizationInvitation.accepted",
      { created_at: T0 + 2 * HOUR, expires_at: T0 + 2 * HOUR + 30 * DAY, updated_at: T0 + 3 * HOUR, ...o },
      opt,
    ),
  "organizationInvitation.revoked": (o, opt) =>
    organizationInvitationEvent(
      "organizationInvitation.revoked",
      { created_at: T0 + 2 * HOUR, expires_at: T0 + 2 * HOUR + 30 * DAY, updated_at: T0 + 150 * MINUTE, ...o },
      opt,
    ),
  "organizationMembership.updated": (o, opt) =>
    membershipEvent(
      "organizationMembership.updated",
      {
        created_at: T0 + 3 * HOUR,
        organization: clerkOrganization({ members_count: 2, updated_at: T0 + 3 * HOUR }),
        public_user_data: publicUserData(clerkUserCharles()),
        role: "org:auditor",
        permissions: ["org:reports:read", "org:sys_memberships:read"],
        updated_at: T0 + 4 * HOUR,
        ...o,
      },
      opt,
    ),
  "organizationMembership.deleted": (o, opt) =>
    membershipEvent(
      "organizationMembership.deleted",
      {
        created_at: T0 + 3 * HOUR,
        organization: clerkOrganization({ members_count: 1, updated_at: T0 + 5 * HOUR }),
        public_user_data: publicUserData(clerkUserCharles()),
        role: "org:auditor",
        permissions: ["org:reports:read", "org:sys_memberships:read"],
        updated_at: T0 + 4 * HOUR,
        ...o,
      },
      { timestamp: T0 + 5 * HOUR, ...opt },
    ),
  "session.ended": (o, opt) => sessionEvent("session.ended", o, opt),
  "session.removed": (o, opt) => sessionEvent("session.removed", o, opt),
  "session.revoked": (o, opt) => sessionEvent("session.revoked", o, opt),
  "invitation.created": (o, opt) =>
    invitationEvent(
      "invitation.created",
      { created_at: T0 + 6 * HOUR, expires_at: T0 + 6 * HOUR + 30 * DAY, updated_at: T0 + 6 * HOUR, ...o },
      opt,
    ),
  "invitation.accepted": (o, opt) =>
    invitationEvent(
      "invitation.accepted",
      { created_at: T0 + 6 * HOUR, expires_at: T0 + 6 * HOUR + 30 * DAY, updated_at: T0 + 7 * HOUR, ...o },
      opt,
    ),
  "invitation.revoked": (o, opt) =>
    invitationEvent(
      "invitation.revoked",
      { created_at: T0 + 6 * HOUR, expires_at: T0 + 6 * HOUR + 30 * DAY, updated_at: T0 + 390 * MINUTE, ...o },
      opt,
    ),
  "waitlistEntry.created": (o, opt) =>
    waitlistEntryEvent("waitlistEntry.created", { created_at: T0 + 8 * HOUR, updated_at: T0 + 8 * HOUR, ...o }, opt),
  "waitlistEntry.updated": (o, opt) =>
    waitlistEntryEvent(
      "waitlistEntry.updated",
      {
        created_at: T0 + 8 * HOUR,
        invitation: clerkInvitation({
          created_at: T0 + 9 * HOUR,
          expires_at: T0 + 9 * HOUR + 30 * DAY,
          updated_at: T0 + 9 * HOUR,
        }),
        status: "invited",
        updated_at: T0 + 9 * HOUR,
        ...o,
      },
      opt,
    ),
  "subscription.created": (o, opt) => subscriptionEvent("subscription.created", o, opt),
  "paymentAttempt.created": (o, opt) => paymentAttemptEvent("paymentAttempt.created", o, opt),
  "subscriptionItem.incomplete": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.incomplete",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + DAY, ...o },
      opt,
    ),
  "paymentAttempt.updated": (o, opt) => paymentAttemptEvent("paymentAttempt.updated", o, opt),
  "subscriptionItem.active": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.active",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + DAY + MINUTE, ...o },
      opt,
    ),
  "subscriptionItem.created": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.created",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + DAY, ...o },
      opt,
    ),
  "subscription.updated": (o, opt) =>
    subscriptionEvent("subscription.updated", { ...upgradedSubscription(T0 + DAY + MINUTE), ...o }, opt),
  "subscription.active": (o, opt) =>
    subscriptionEvent("subscription.active", { ...upgradedSubscription(T0 + DAY + MINUTE), ...o }, opt),
  "subscriptionItem.updated": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.updated",
      { created_at: T0 + DAY, period_start: T0 + 32 * DAY, period_end: T0 + 63 * DAY, updated_at: T0 + 32 * DAY, ...o },
      { httpRequest: NO_HTTP_REQUEST, ...opt },
    ),
  "subscriptionItem.pastDue": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.pastDue",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + 32 * DAY, ...o },
      opt,
    ),
  "subscription.pastDue": (o, opt) => subscriptionEvent("subscription.pastDue", o, opt),
  "subscriptionItem.canceled": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.canceled",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + 10 * DAY, ...o },
      opt,
    ),
  "subscriptionItem.upcoming": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.upcoming",
      {
        ...FREE_ITEM_FIELDS,
        created_at: T0 + 10 * DAY,
        period_start: T0 + 32 * DAY,
        period_end: null,
        updated_at: T0 + 10 * DAY,
        ...o,
      },
      opt,
    ),
  "subscriptionItem.abandoned": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.abandoned",
      {
        ...FREE_ITEM_FIELDS,
        created_at: T0 + 10 * DAY,
        period_start: T0 + 32 * DAY,
        period_end: null,
        updated_at: T0 + 11 * DAY,
        ...o,
      },
      opt,
    ),
  "subscriptionItem.ended": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.ended",
      { created_at: T0 + DAY, period_start: T0 + DAY, period_end: T0 + 32 * DAY, updated_at: T0 + 32 * DAY, ...o },
      opt,
    ),
  "subscriptionItem.freeTrialEnding": (o, opt) =>
    subscriptionItemEvent(
      "subscriptionItem.freeTrialEnding",
      {
        created_at: T0 + 12 * DAY,
        period_start: T0 + 12 * DAY,
        period_end: T0 + 26 * DAY,
        updated_at: T0 + 23 * DAY,
        ...o,
      },
      opt,
    ),
  "organization.deleted": (o, opt) =>
    organizationDeleted(typeof o.id === "string" ? o.id : ORG, opt.timestamp ?? T0 + 50 * DAY, o),
  "user.deleted": (o, opt) => userDeleted(typeof o.id === "string" ? o.id : ADA, opt.timestamp ?? T0 + 60 * DAY, o),
};

/**
 * A realistic event of any catalog type, as one moment in Ada's story (sign-up at T0, her
 * organization, an invited member, Billing…), with `overrides` merged into its data. For
 * delete events, `overrides.id` picks the deleted object. Deterministic: the envelope timestamp
 * follows the data, never the clock, unless `options.timestamp` says.
 */
export function sampleEvent<T extends ClerkEventType>(
  type: T,
  overrides: Overrides = {},
  options: EnvelopeOptions = {},
): ClerkEnvelope<T> {
  return SAMPLES[type](overrides, options) as ClerkEnvelope<T>;
}

/**
 * The catalog as a map: each event type to the builder of its sample (`sampleEvent` for that
 * type). Every key is a catalog type and every catalog type is a key.
 */
export const CLERK_EVENT_SAMPLES: Readonly<
  Record<ClerkEventType, (overrides?: Overrides, options?: EnvelopeOptions) => ClerkEnvelope>
> = Object.fromEntries(
  CLERK_EVENT_TYPES.map((type) => [
    type,
    (overrides: Overrides = {}, options: EnvelopeOptions = {}) => sampleEvent(type, overrides, options),
  ]),
) as Record<ClerkEventType, (overrides?: Overrides, options?: EnvelopeOptions) => ClerkEnvelope>;

/** One sample of every catalog type, in catalog order. */
export function sampleEvents(): ClerkEnvelope<ClerkEventType>[] {
  return CLERK_EVENT_TYPES.map((type) => sampleEvent(type));
}
