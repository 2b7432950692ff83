import type { WebhookEventType } from "@clerk/backend";
import { verifyWebhook } from "@clerk/backend/webhooks";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  CLERK_EVENT_SAMPLES,
  CLERK_EVENT_TYPES,
  clerkMembership,
  clerkUser,
  isClerkEventType,
  membershipEvent,
  oauthUser,
  organizationInvitationEvent,
  phoneOnlyUser,
  publicUserData,
  sampleEvent,
  sampleEvents,
  SESSION_STATUS,
  sessionEvent,
  SUBSCRIPTION_ITEM_STATUS,
  subscriptionItemEvent,
  T0,
  userDeleted,
  userEvent,
  usernameOnlyUser,
  type ClerkEnvelope,
  type ClerkEventType,
  type ClerkObject,
} from "./clerkEvents";
import { deliver, newBackend, SECRET, svixHeaders } from "./convex";

// Fails to typecheck when @clerk/backend knows an event type the catalog lacks.
type MissingFromCatalog = Exclude<WebhookEventType, ClerkEventType>;
const catalogCoversClerkBackend: [MissingFromCatalog] extends [never] ? true : MissingFromCatalog = true;

/**
 * From Clerk's webhook OpenAPI (clerk/openapi-specs, webhooks/2025-04-15.yml): for each schema,
 * the fields it requires and, where the schema allows no others (`additionalProperties: false`),
 * every field it allows.
 */
const SPEC: Record<string, { required: string[]; allowed?: string[] }> = {
  envelope: { required: ["object", "type", "timestamp", "instance_id"] },
  User: {
    required: [
      "id",
      "object",
      "username",
      "first_name",
      "last_name",
      "has_image",
      "primary_email_address_id",
      "primary_phone_number_id",
      "primary_web3_wallet_id",
      "password_enabled",
      "two_factor_enabled",
      "totp_enabled",
      "backup_code_enabled",
      "email_addresses",
      "phone_numbers",
      "web3_wallets",
      "passkeys",
      "external_accounts",
      "saml_accounts",
      "enterprise_accounts",
      "public_metadata",
      "external_id",
      "last_sign_in_at",
      "banned",
      "locked",
      "lockout_expires_in_seconds",
      "verification_attempts_remaining",
      "created_at",
      "updated_at",
      "delete_self_enabled",
      "create_organization_enabled",
      "last_active_at",
      "mfa_enabled_at",
      "mfa_disabled_at",
      "legal_accepted_at",
    ],
    allowed: [
      "id",
      "object",
      "external_id",
      "primary_email_address_id",
      "primary_phone_number_id",
      "primary_web3_wallet_id",
      "username",
      "first_name",
      "last_name",
      "locale",
      "profile_image_url",
      "image_url",
      "has_image",
      "public_metadata",
      "private_metadata",
      "unsafe_metadata",
      "email_addresses",
      "phone_numbers",
      "web3_wallets",
      "passkeys",
      "password_enabled",
      "two_factor_enabled",
      "totp_enabled",
      "backup_code_enabled",
      "mfa_enabled_at",
      "mfa_disabled_at",
      "password_last_updated_at",
      "external_accounts",
      "saml_accounts",
      "enterprise_accounts",
      "organization_memberships",
      "last_sign_in_at",
      "banned",
      "locked",
      "deprovisioned",
      "lockout_expires_in_seconds",
      "verification_attempts_remaining",
      "updated_at",
      "created_at",
      "delete_self_enabled",
      "create_organization_enabled",
      "create_organizations_limit",
      "last_active_at",
      "legal_accepted_at",
      "bypass_client_trust",
      "scim",
    ],
  },
  EmailAddress: {
    required: ["object", "email_address", "verification", "linked_to", "reserved", "created_at", "updated_at"],
    allowed: [
      "id",
      "object",
      "email_address",
      "reserved",
      "verification",
      "linked_to",
      "matches_sso_connection",
      "created_at",
      "updated_at",
    ],
  },
  PhoneNumber: {
    required: ["object", "phone_number", "verification", "linked_to", "reserved", "created_at", "updated_at"],
    allowed: [
      "id",
      "object",
      "phone_number",
      "reserved_for_second_factor",
      "default_second_factor",
      "reserved",
      "verification",
      "linked_to",
      "backup_codes",
      "created_at",
      "updated_at",
    ],
  },
  ExternalAccount: {
    required: [
      "object",
      "id",
      "provider",
      "identification_id",
      "provider_user_id",
      "approved_scopes",
      "email_address",
      "first_name",
      "last_name",
      "public_metadata",
      "created_at",
      "updated_at",
      "verification",
    ],
  },
  Organization: {
    required: [
      "object",
      "id",
      "name",
      "slug",
      "has_image",
      "max_allowed_memberships",
      "admin_delete_enabled",
      "public_metadata",
      "created_at",
      "updated_at",
    ],
  },
  DeletedObject: { required: ["object", "deleted"], allowed: ["object", "id", "slug", "deleted", "external_id"] },
  OrganizationDomain: {
    required: [
      "object",
      "id",
      "organization_id",
      "name",
      "enrollment_mode",
      "affiliation_email_address",
      "verification",
      "total_pending_invitations",
      "total_pending_suggestions",
      "created_at",
      "updated_at",
    ],
  },
  OrganizationInvitation: {
    required: [
      "object",
      "id",
      "email_address",
      "role",
      "role_name",
      "public_metadata",
      "url",
      "expires_at",
      "created_at",
      "updated_at",
      "inviter_id",
      "public_inviter_data",
    ],
    // The schema's own fields, plus what its event wrappers add: public_organization_data, and
    // user_id on organizationInvitation.accepted.
    allowed: [
      "object",
      "id",
      "email_address",
      "role",
      "role_name",
      "organization_id",
      "inviter_id",
      "public_inviter_data",
      "status",
      "public_metadata",
      "private_metadata",
      "url",
      "expires_at",
      "created_at",
      "updated_at",
      "public_organization_data",
      "user_id",
    ],
  },
  PublicInviterData: {
    required: ["user_id", "first_name", "last_name", "image_url", "has_image", "identifier"],
    allowed: ["user_id", "first_name", "last_name", "image_url", "has_image", "identifier"],
  },
  PublicOrganizationData: {
    required: ["id", "name", "slug", "has_image"],
    allowed: ["id", "name", "slug", "image_url", "has_image"],
  },
  OrganizationMembership: {
    required: ["object", "id", "role", "permissions", "public_metadata", "created_at", "updated_at", "organization"],
  },
  PublicUserData: {
    required: ["user_id", "first_name", "last_name", "profile_image_url", "image_url", "has_image"],
    allowed: [
      "user_id",
      "first_name",
      "last_name",
      "profile_image_url",
      "image_url",
      "has_image",
      "identifier",
      "username",
      "banned",
    ],
  },
  Permission: { required: ["object", "id", "name", "key", "description", "type", "created_at", "updated_at"] },
  Role: {
    required: [
      "object",
      "id",
      "name",
      "key",
      "description",
      "is_creator_eligible",
      "permissions",
      "created_at",
      "updated_at",
    ],
    allowed: [
      "object",
      "id",
      "name",
      "key",
      "description",
      "is_creator_eligible",
      "permissions",
      "created_at",
      "updated_at",
    ],
  },
  Session: {
    required: [
      "object",
      "id",
      "user_id",
      "client_id",
      "status",
      "last_active_at",
      "expire_at",
      "abandon_at",
      "updated_at",
      "created_at",
      "user",
    ],
    allowed: [
      "object",
      "id",
      "user_id",
      "client_id",
      "actor",
      "status",
      "last_active_organization_id",
      "last_active_at",
      "latest_activity",
      "expire_at",
      "abandon_at",
      "updated_at",
      "created_at",
      "user",
    ],
  },
  SessionActivity: { required: ["id", "object", "is_mobile"] },
  Email: { required: ["id", "object", "slug", "from_email_name", "data", "delivered_by_clerk"] },
  Sms: {
    required: [
      "object",
      "id",
      "from_phone_number",
      "to_phone_number",
      "message",
      "status",
      "data",
      "delivered_by_clerk",
      "created_at_ms",
    ],
  },
  Invitation: {
    required: ["object", "id", "email_address", "public_metadata", "status", "created_at", "updated_at"],
    allowed: [
      "object",
      "id",
      "email_address",
      "public_metadata",
      "revoked",
      "status",
      "url",
      "expires_at",
      "created_at",
      "updated_at",
    ],
  },
  WaitlistEntry: {
    required: ["object", "id", "email_address", "status", "created_at", "updated_at"],
    allowed: ["object", "id", "email_address", "status", "is_locked", "created_at", "updated_at", "invitation"],
  },
  Payer: {
    required: [
      "id",
      "image_url",
      "user_id",
      "first_name",
      "last_name",
      "email",
      "organization_id",
      "organization_name",
    ],
  },
  SubscriptionItemEvent: {
    required: [
      "object",
      "id",
      "status",
      "is_free_trial",
      "created_at",
      "updated_at",
      "period_start",
      "period_end",
      "interval",
      "plan_id",
      "plan",
      "subscription_id",
    ],
  },
  SubscriptionItem: {
    required: [
      "id",
      "object",
      "status",
      "created_at",
      "updated_at",
      "period_start",
      "period_end",
      "interval",
      "plan_id",
      "plan",
    ],
  },
  Plan: { required: ["id", "slug", "name", "is_recurring", "amount", "currency"] },
  Subscription: {
    required: [
      "object",
      "id",
      "status",
      "active_at",
      "canceled_at",
      "created_at",
      "ended_at",
      "past_due_at",
      "updated_at",
      "latest_payment_id",
      "payer_id",
      "payer",
      "payment_source_id",
      "items",
    ],
  },
  PaymentAttempt: {
    required: [
      "id",
      "instance_id",
      "payment_id",
      "invoice_id",
      "statement_id",
      "gateway_external_id",
      "status",
      "created_at",
      "updated_at",
      "paid_at",
      "failed_at",
      "failed_reason",
      "billing_date",
      "charge_type",
      "payee",
      "payer",
      "totals",
      "payment_source",
      "subscription_items",
    ],
  },
  Payee: { required: ["id", "gateway_type", "gateway_external_id", "gateway_status"] },
  PaymentSource: {
    required: [
      "id",
      "gateway",
      "gateway_external_id",
      "gateway_external_account_id",
      "payment_method",
      "status",
      "card_type",
      "last4",
    ],
  },
  Totals: { required: ["subtotal", "tax_total", "grand_total"] },
  Money: { required: ["amount", "amount_formatted", "currency", "currency_symbol"] },
};

/** What in `value` breaks `schema`: a required field missing, or a field the schema does not allow. */
function specProblems(schema: string, value: unknown, where = schema): string[] {
  const spec = SPEC[schema];
  if (!spec) throw new Error(`no spec for ${schema}`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${where}: not an object`];
  const keys = Object.keys(value);
  return [
    ...spec.required.filter((key) => !keys.includes(key)).map((key) => `${where}: "${key}" missing`),
    ...(spec.allowed
      ? keys.filter((key) => !spec.allowed?.includes(key)).map((key) => `${where}: "${key}" not in the spec`)
      : []),
  ];
}

const asObject = (value: unknown): ClerkObject => value as ClerkObject;
const asList = (value: unknown): ClerkObject[] => value as ClerkObject[];

/** Every spec problem of a user object and the objects nested in it. */
function userProblems(user: unknown, where: string): string[] {
  const u = asObject(user);
  return [
    ...specProblems("User", u, where),
    ...asList(u.email_addresses).flatMap((e, i) => specProblems("EmailAddress", e, `${where}.email_addresses[${i}]`)),
    ...asList(u.phone_numbers).flatMap((p, i) => specProblems("PhoneNumber", p, `${where}.phone_numbers[${i}]`)),
    ...asList(u.external_accounts).flatMap((a, i) =>
      specProblems("ExternalAccount", a, `${where}.external_accounts[${i}]`),
    ),
  ];
}

function subscriptionItemProblems(item: unknown, where: string, schema = "SubscriptionItem"): string[] {
  return [...specProblems(schema, item, where), ...specProblems("Plan", asObject(item).plan, `${where}.plan`)];
}

/** Every spec problem of an event's data, by the family its type belongs to. */
function dataProblems(type: ClerkEventType, data: ClerkObject): string[] {
  const family = type.slice(0, type.indexOf("."));
  if (type.endsWith(".deleted") && family !== "organizationMembership")
    return specProblems("DeletedObject", data, "data");
  switch (family) {
    case "user":
      return userProblems(data, "data");
    case "organization":
      return specProblems("Organization", data, "data");
    case "organizationDomain":
      return [
        ...specProblems("OrganizationDomain", data, "data"),
        ...specProblems("PublicOrganizationData", data.public_organization_data, "data.public_organization_data"),
      ];
    case "organizationInvitation":
      return [
        ...specProblems("OrganizationInvitation", data, "data"),
        ...specProblems("PublicInviterData", data.public_inviter_data, "data.public_inviter_data"),
        ...specProblems("PublicOrganizationData", data.public_organization_data, "data.public_organization_data"),
      ];
    case "organizationMembership":
      return [
        ...specProblems("OrganizationMembership", data, "data"),
        ...specProblems("Organization", data.organization, "data.organization"),
        ...specProblems("PublicUserData", data.public_user_data, "data.public_user_data"),
      ];
    case "permission":
      return specProblems("Permission", data, "data");
    case "role":
      return [
        ...specProblems("Role", data, "data"),
        ...asList(data.permissions).flatMap((p, i) => specProblems("Permission", p, `data.permissions[${i}]`)),
      ];
    case "session":
      return [
        ...specProblems("Session", data, "data"),
        ...userProblems(data.user, "data.user"),
        ...(data.latest_activity === null
          ? []
          : specProblems("SessionActivity", data.latest_activity, "data.latest_activity")),
      ];
    case "email":
      return specProblems("Email", data, "data");
    case "sms":
      return specProblems("Sms", data, "data");
    case "invitation":
      return specProblems("Invitation", data, "data");
    case "waitlistEntry":
      return [
        ...specProblems("WaitlistEntry", data, "data"),
        ...(data.invitation === null ? [] : specProblems("Invitation", data.invitation, "data.invitation")),
      ];
    case "subscription":
      return [
        ...specProblems("Subscription", data, "data"),
        ...specProblems("Payer", data.payer, "data.payer"),
        ...asList(data.items).flatMap((item, i) =>
          subscriptionItemProblems(item, `data.items[${i}]`, "SubscriptionItemEvent"),
        ),
      ];
    case "subscriptionItem":
      return [
        ...subscriptionItemProblems(data, "data", "SubscriptionItemEvent"),
        ...specProblems("Payer", data.payer, "data.payer"),
      ];
    case "paymentAttempt": {
      const totals = asObject(data.totals);
      return [
        ...specProblems("PaymentAttempt", data, "data"),
        ...specProblems("Payee", data.payee, "data.payee"),
        ...specProblems("Payer", data.payer, "data.payer"),
        ...specProblems("PaymentSource", data.payment_source, "data.payment_source"),
        ...specProblems("Totals", totals, "data.totals"),
        ...["subtotal", "tax_total", "grand_total"].flatMap((k) =>
          specProblems("Money", totals[k], `data.totals.${k}`),
        ),
        ...asList(data.subscription_items).flatMap((item, i) =>
          subscriptionItemProblems(item, `data.subscription_items[${i}]`),
        ),
      ];
    }
    default:
      return [`no check for ${type}`];
  }
}

/** The `object` each family's data names (payment attempts have none in Clerk's schema). */
const OBJECT_OF: Record<string, string | undefined> = {
  user: "user",
  organization: "organization",
  organizationDomain: "organization_domain",
  organizationInvitation: "organization_invitation",
  organizationMembership: "organization_membership",
  permission: "permission",
  role: "role",
  session: "session",
  email: "email",
  sms: "sms_message",
  invitation: "invitation",
  waitlistEntry: "waitlist_entry",
  subscription: "commerce_subscription",
  subscriptionItem: "commerce_subscription_item",
  paymentAttempt: undefined,
};

/** Each family's id prefix. */
const ID_PREFIX: Record<string, string> = {
  user: "user_",
  organization: "org_",
  organizationDomain: "orgdmn_",
  organizationInvitation: "orginv_",
  organizationMembership: "orgmem_",
  permission: "perm_",
  role: "role_",
  session: "sess_",
  email: "ema_",
  sms: "sms_",
  invitation: "inv_",
  waitlistEntry: "wle_",
  subscription: "csub_",
  subscriptionItem: "csubi_",
  paymentAttempt: "pa_",
};

/** Every number under a key ending in `_at` (or `timestamp`), with its path. */
function timestamps(value: unknown, path = ""): [string, number][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => timestamps(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, field]): [string, number][] => {
    const at = `${path}.${key}`;
    if (typeof field === "number" && (/_at(_ms)?$/.test(key) || key === "timestamp" || key === "billing_date")) {
      return [[at, field]];
    }
    return timestamps(field, at);
  });
}

describe("the catalog", () => {
  test("lists every event type @clerk/backend knows, once", () => {
    expect(catalogCoversClerkBackend).toBe(true);
    expect(new Set(CLERK_EVENT_TYPES).size).toBe(CLERK_EVENT_TYPES.length);
    expect(Object.keys(CLERK_EVENT_SAMPLES).sort()).toEqual([...CLERK_EVENT_TYPES].sort());
    expect(isClerkEventType("user.created")).toBe(true);
    expect(isClerkEventType("user.exploded")).toBe(false);
  });

  test("samples are deterministic and fresh objects each time", () => {
    const first = sampleEvents();
    const second = sampleEvents();
    expect(second).toEqual(first);
    (first[0]?.data as ClerkObject).id = "changed";
    expect(sampleEvents()).toEqual(second);
  });
});

describe.each(CLERK_EVENT_TYPES.map((type) => [type]))("%s", (type) => {
  const event = sampleEvent(type);
  const family = type.slice(0, type.indexOf("."));

  test("has Clerk's envelope", () => {
    expect(specProblems("envelope", event)).toEqual([]);
    expect(event).toMatchObject({ object: "event", type, instance_id: expect.stringMatching(/^ins_/) });
    expect(Object.keys(event).sort()).toEqual([
      "data",
      "event_attributes",
      "instance_id",
      "object",
      "timestamp",
      "type",
    ]);
    expect(Object.keys(event.event_attributes.http_request).sort()).toEqual(["client_ip", "user_agent"]);
  });

  test("has the fields Clerk's webhook schema requires, and none it forbids", () => {
    expect(dataProblems(type, event.data)).toEqual([]);
  });

  test("names its object and id as Clerk does", () => {
    const isDelete = type.endsWith(".deleted");
    if (isDelete && family !== "organizationMembership") {
      expect(event.data.object).toBe(family === "organizationDomain" ? "organization_domain" : family);
    } else {
      expect(event.data.object).toBe(OBJECT_OF[family]);
    }
    expect(event.data.id).toEqual(expect.stringMatching(new RegExp(`^${ID_PREFIX[family]}`)));
  });

  test("is plain JSON, with timestamps in milliseconds", () => {
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    for (const [path, ms] of timestamps(event)) {
      expect({ path, ms: ms >= 1e12 && ms < 1e13 && Number.isInteger(ms) }).toEqual({ path, ms: true });
    }
  });

  test("dates its envelope by the data it carries", () => {
    const updatedAt = event.data.updated_at;
    if (typeof updatedAt !== "number") return;
    if (type === "organizationMembership.deleted") expect(event.timestamp).toBeGreaterThan(updatedAt);
    else expect(event.timestamp).toBe(updatedAt);
  });

  test("takes overrides for its data, and its envelope timestamp", () => {
    const overridden = sampleEvent(type, { id: `${ID_PREFIX[family]}other` }, { timestamp: T0 + 123 });
    expect(overridden.data.id).toBe(`${ID_PREFIX[family]}other`);
    expect(overridden.timestamp).toBe(T0 + 123);
  });
});

describe("what each event type implies", () => {
  test("deletes carry only what Clerk sends", () => {
    expect(userDeleted(ADA, T0).data).toEqual({ deleted: true, id: ADA, object: "user" });
    expect(userDeleted(ADA, T0, { external_id: "crm-7" }).data).toEqual({
      deleted: true,
      external_id: "crm-7",
      id: ADA,
      object: "user",
    });
    expect(Object.keys(sampleEvent("organization.deleted").data).sort()).toEqual(["deleted", "id", "object", "slug"]);
    for (const type of ["role.deleted", "permission.deleted", "organizationDomain.deleted"] as const) {
      expect(Object.keys(sampleEvent(type).data).sort()).toEqual(["deleted", "id", "object"]);
    }
  });

  test("organizationMembership.deleted carries the whole membership, at its last updated_at", () => {
    const updated = sampleEvent("organizationMembership.updated");
    const deleted = sampleEvent("organizationMembership.deleted");
    expect(deleted.data.updated_at).toBe(updated.data.updated_at);
    expect(deleted.data.id).toBe(updated.data.id);
    expect(membershipEvent("organizationMembership.deleted", { updated_at: T0 }).timestamp).toBeGreaterThan(T0);
  });

  test("a membership's role names its role_name and permissions, unless told otherwise", () => {
    expect(clerkMembership()).toMatchObject({ role: "org:admin", role_name: "Admin" });
    expect(clerkMembership().permissions).toContain("org:sys_memberships:manage");
    expect(clerkMembership({ role: "org:member" })).toMatchObject({
      role_name: "Member",
      permissions: ["org:sys_memberships:read"],
    });
    expect(clerkMembership({ role: "org:billing_admin" })).toMatchObject({
      role_name: "Billing admin",
      permissions: [],
    });
    expect(clerkMembership({ role: "org:member", role_name: "Teammate" }).role_name).toBe("Teammate");
  });

  test("a membership's id and public_user_data follow its member", () => {
    const charles = clerkUser({ id: CHARLES, first_name: "Charles", username: "cb", email_addresses: [] });
    const membership = clerkMembership({ public_user_data: publicUserData(charles) });
    expect(membership.id).toBe(`orgmem_${CHARLES.slice(5)}`);
    expect(membership.public_user_data).toMatchObject({ user_id: CHARLES, first_name: "Charles", identifier: "cb" });
    expect(publicUserData(phoneOnlyUser()).identifier).toBe("+15555550100");
    expect(publicUserData(clerkUser()).identifier).toBe("ada@example.com");
  });

  test("organization invitations: status follows the type; only .accepted names the user", () => {
    expect(organizationInvitationEvent("organizationInvitation.created").data).toMatchObject({ status: "pending" });
    expect(organizationInvitationEvent("organizationInvitation.revoked").data).toMatchObject({ status: "revoked" });
    expect(organizationInvitationEvent("organizationInvitation.accepted").data).toMatchObject({
      status: "accepted",
      user_id: CHARLES,
    });
    expect(organizationInvitationEvent("organizationInvitation.created").data).not.toHaveProperty("user_id");
    expect(organizationInvitationEvent("organizationInvitation.revoked").data).not.toHaveProperty("user_id");
  });

  test.each(Object.entries(SESSION_STATUS))("%s reports status %s, with its user", (type, status) => {
    const event = sessionEvent(type as keyof typeof SESSION_STATUS, { user_id: CHARLES });
    expect(event.data.status).toBe(status);
    expect((event.data.user as ClerkObject).id).toBe(CHARLES);
  });

  test.each(Object.entries(SUBSCRIPTION_ITEM_STATUS))("%s reports status %s", (type, status) => {
    expect(subscriptionItemEvent(type as keyof typeof SUBSCRIPTION_ITEM_STATUS).data.status).toBe(status);
  });

  test("subscriptionItem.freeTrialEnding is a free trial that Clerk itself reports", () => {
    const event = sampleEvent("subscriptionItem.freeTrialEnding");
    expect(event.data.is_free_trial).toBe(true);
    expect(event.event_attributes.http_request).toEqual({ client_ip: "", user_agent: "" });
  });

  test("a subscription's items name neither payer nor subscription; standalone items name both", () => {
    for (const item of asList(sampleEvent("subscription.updated").data.items)) {
      expect(item).not.toHaveProperty("payer");
      expect(item.subscription_id).toBeNull();
    }
    const item = sampleEvent("subscriptionItem.active").data;
    expect(asObject(item.payer).user_id).toBe(ADA);
    expect(item.subscription_id).toEqual(expect.stringMatching(/^csub_/));
  });

  test("billing payers name the paying user or organization, leaving the other empty", () => {
    expect(asObject(sampleEvent("subscription.created").data.payer)).toMatchObject({
      user_id: ADA,
      organization_id: "",
    });
  });

  test("the waitlist entry embeds its invitation once invited", () => {
    expect(sampleEvent("waitlistEntry.created").data).toMatchObject({ status: "pending", invitation: null });
    expect(sampleEvent("waitlistEntry.updated").data).toMatchObject({
      status: "invited",
      invitation: { object: "invitation", status: "pending" },
    });
  });

  test("email and sms samples hold a one-time code, as Clerk's do", () => {
    const email = sampleEvent("email.created").data;
    const code = asObject(email.data).otp_code as string;
    expect(email.body).toEqual(expect.stringContaining(code));
    expect(sampleEvent("sms.created").data.message).toEqual(expect.stringContaining(code));
  });
});

describe("user variants Clerk sends", () => {
  test.each([
    ["phone only", phoneOnlyUser()],
    ["username only", usernameOnlyUser()],
    ["Google", oauthUser()],
  ])("%s keeps to Clerk's user schema", (_name, user) => {
    expect(userProblems(user, "user")).toEqual([]);
  });

  test("the primary ids point into the lists, or are null with nothing to point at", () => {
    const phoneOnly = phoneOnlyUser();
    expect(phoneOnly.primary_email_address_id).toBeNull();
    expect(asList(phoneOnly.phone_numbers)[0]?.id).toBe(phoneOnly.primary_phone_number_id);
    const google = oauthUser();
    const email = asList(google.email_addresses)[0];
    expect(email?.linked_to).toEqual([{ id: asList(google.external_accounts)[0]?.id, type: "oauth_google" }]);
    expect(usernameOnlyUser()).toMatchObject({ email_addresses: [], phone_numbers: [], username: "ada" });
  });

  test("userEvent dates its envelope by updated_at", () => {
    expect(userEvent("user.updated", { updated_at: T0 + 5 }).timestamp).toBe(T0 + 5);
  });
});

describe("on the wire", () => {
  beforeEach(() => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("@clerk/backend's verifyWebhook reads every sample back as the event it is", async () => {
    for (const event of sampleEvents()) {
      const body = JSON.stringify(event);
      const request = new Request("https://roster.example/clerk-webhook", {
        method: "POST",
        headers: { "content-type": "application/json", ...svixHeaders(body) },
        body,
      });
      const verified = await verifyWebhook(request, { signingSecret: SECRET });
      expect(verified as unknown as ClerkEnvelope).toEqual(event);
    }
  });

  test("the endpoint answers every sample 2xx, applied or ignored, never failed", async () => {
    const t = newBackend();
    const outcomes: Record<string, string | undefined> = {};
    for (const event of sampleEvents()) {
      const { status, outcome } = await deliver(t, event);
      outcomes[event.type] = `${status} ${outcome}`;
    }
    for (const type of CLERK_EVENT_TYPES) {
      expect({ type, answer: outcomes[type] }).toEqual({
        type,
        answer: expect.stringMatching(/^200 (applied|ignored|stale)$/),
      });
    }
  });
});
