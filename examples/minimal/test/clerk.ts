/**
 * Clerk webhook deliveries as Clerk sends them through Svix: the event envelope, the user,
 * organization and membership payloads of Clerk's webhook spec (timestamps in milliseconds), and
 * the three Svix headers signed with the endpoint's secret.
 */
import { Webhook } from "svix";

/** The endpoint's signing secret in Svix's `whsec_` form (base64 of 24 bytes). */
export const SIGNING_SECRET = `whsec_${btoa("minimal-example-secret!!")}`;

export const INSTANCE_ID = "ins_2minimalExample000000000000";
export const T0 = 1_760_000_000_000;

export const GRACE = "user_2grace000000000000000000001";
export const ORG = "org_2navy00000000000000000000001";

function envelope(type: string, data: Record<string, unknown>, timestamp = T0) {
  return {
    data,
    object: "event",
    type,
    timestamp,
    instance_id: INSTANCE_ID,
    event_attributes: { http_request: { client_ip: "192.0.2.10", user_agent: "Mozilla/5.0" } },
  };
}

const email = (userId: string, address: string) => ({
  id: `idn_${userId.slice(5)}`,
  object: "email_address",
  email_address: address,
  reserved: false,
  linked_to: [],
  matches_sso_connection: false,
  created_at: T0,
  updated_at: T0,
  verification: { status: "verified", strategy: "email_code", attempts: 1, expire_at: T0 + 600_000 },
});

/** `user.created` / `user.updated`: Grace Hopper, signed up with a verified email. */
export function userEvent(type: "user.created" | "user.updated", overrides: Record<string, unknown> = {}) {
  const address = email(GRACE, "grace@example.com");
  const data = {
    id: GRACE,
    object: "user",
    first_name: "Grace",
    last_name: "Hopper",
    username: null,
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
    has_image: false,
    email_addresses: [address],
    primary_email_address_id: address.id,
    phone_numbers: [],
    primary_phone_number_id: null,
    web3_wallets: [],
    primary_web3_wallet_id: null,
    external_accounts: [],
    enterprise_accounts: [],
    saml_accounts: [],
    passkeys: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    banned: false,
    locked: false,
    deprovisioned: false,
    external_id: null,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    created_at: T0,
    updated_at: T0,
    last_sign_in_at: null,
    last_active_at: null,
    legal_accepted_at: null,
    locale: null,
    create_organization_enabled: true,
    create_organizations_limit: null,
    delete_self_enabled: true,
    lockout_expires_in_seconds: null,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    password_last_updated_at: null,
    verification_attempts_remaining: 100,
    ...overrides,
  };
  return envelope(type, data, Number(data.updated_at));
}

function organization(overrides: Record<string, unknown> = {}) {
  return {
    id: ORG,
    object: "organization",
    name: "Navy Computing",
    slug: "navy-computing",
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
    has_image: false,
    created_by: GRACE,
    members_count: 1,
    pending_invitations_count: 0,
    max_allowed_memberships: 5,
    admin_delete_enabled: true,
    missing_member_with_elevated_permissions: false,
    public_metadata: {},
    private_metadata: {},
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

/** `organization.created`: Grace's organization. */
export function organizationCreated() {
  return envelope("organization.created", organization());
}

const ADMIN_PERMISSIONS = [
  "org:sys_profile:manage",
  "org:sys_profile:delete",
  "org:sys_memberships:read",
  "org:sys_memberships:manage",
  "org:sys_domains:read",
  "org:sys_domains:manage",
];

/** `organizationMembership.created`: Grace, admin of her organization (the membership embeds both). */
export function membershipCreated() {
  return envelope("organizationMembership.created", {
    id: `orgmem_${GRACE.slice(5)}`,
    object: "organization_membership",
    role: "org:admin",
    role_name: "Admin",
    permissions: ADMIN_PERMISSIONS,
    organization: organization(),
    public_user_data: {
      user_id: GRACE,
      identifier: "grace@example.com",
      first_name: "Grace",
      last_name: "Hopper",
      image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
      profile_image_url: null,
      has_image: false,
      username: null,
      banned: false,
    },
    public_metadata: {},
    private_metadata: {},
    created_at: T0,
    updated_at: T0,
  });
}

let sent = 0;

/** The request Svix makes for `event`: its JSON body and the `svix-*` headers signed with `secret`. */
export function signedDelivery(event: object, secret = SIGNING_SECRET): RequestInit {
  sent += 1;
  const svixId = `msg_minimal${String(sent).padStart(16, "0")}`;
  const body = JSON.stringify(event);
  const now = new Date();
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(svixId, now, body),
    },
    body,
  };
}
