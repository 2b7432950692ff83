/**
 * Clerk webhook payloads shaped like the ones Clerk sends (envelope with `data`, `object`,
 * `type`, `timestamp`, `instance_id`, `event_attributes`), for tests and the event sender.
 * Every builder takes overrides for `data`.
 */

export type ClerkEnvelope = {
  data: Record<string, unknown>;
  object: "event";
  type: string;
  timestamp: number;
  instance_id: string;
  event_attributes: { http_request: { client_ip: string; user_agent: string } };
};

export const INSTANCE_ID = "ins_2abcTestInstance0000000000";

/** Wraps `data` in Clerk's event envelope. */
export function envelope(type: string, data: Record<string, unknown>, timestamp = Date.now()): ClerkEnvelope {
  return {
    data,
    object: "event",
    type,
    timestamp,
    instance_id: INSTANCE_ID,
    event_attributes: { http_request: { client_ip: "192.0.2.10", user_agent: "Mozilla/5.0 (X11; Linux x86_64)" } },
  };
}

/** A Clerk `user` object with one verified primary email, as in `user.created` / `user.updated`. */
export function clerkUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = typeof overrides.id === "string" ? overrides.id : "user_2ada0000000000000000000001";
  const emailId = `idn_${id.slice(5)}`;
  return {
    backup_code_enabled: false,
    banned: false,
    birthday: "",
    create_organization_enabled: true,
    created_at: 1_760_000_000_000,
    delete_self_enabled: true,
    email_addresses: [
      {
        created_at: 1_760_000_000_000,
        email_address: "ada@example.com",
        id: emailId,
        linked_to: [],
        object: "email_address",
        reserved: false,
        updated_at: 1_760_000_000_000,
        verification: { attempts: null, expire_at: null, status: "verified", strategy: "email_code" },
      },
    ],
    enterprise_accounts: [],
    external_accounts: [],
    external_id: null,
    first_name: "Ada",
    gender: "",
    has_image: false,
    id,
    image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
    last_active_at: 1_760_000_000_000,
    last_name: "Lovelace",
    last_sign_in_at: null,
    locked: false,
    lockout_expires_in_seconds: null,
    object: "user",
    passkeys: [],
    password_enabled: false,
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
    updated_at: 1_760_000_000_000,
    username: null,
    verification_attempts_remaining: 100,
    web3_wallets: [],
    ...overrides,
  };
}

/** `user.created` / `user.updated` for a user; the envelope timestamp follows `updated_at`. */
export function userEvent(type: "user.created" | "user.updated", overrides: Record<string, unknown> = {}) {
  const data = clerkUser(overrides);
  return envelope(type, data, Number(data.updated_at));
}

/** `user.deleted`, whose data is only `{ deleted, id, object }`. */
export function userDeleted(id: string, timestamp = Date.now()) {
  return envelope("user.deleted", { deleted: true, id, object: "user" }, timestamp);
}
