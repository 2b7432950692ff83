import { describe, expect, test } from "vitest";
import { hookCalls, newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { ClerkEvent } from "../webhooks/envelope.js";
import type { MutationCtx } from "../_generated/server.js";
import { withHooks } from "../lib/hooks.js";
import type { JsonObject } from "../lib/payload.js";
import {
  applyClerkMembership as applyMembership,
  followUser,
  deleteClerkMembership,
  memberSearchText,
  membershipEventHandlers,
  readClerkMembership,
} from "./memberships.js";
import { countMembers } from "./memberCount.js";
import type { ClerkUser } from "./users.js";

const V = 1_700_000_000_000;

/** A membership snapshot as a webhook brings it. */
const applyClerkMembership = (ctx: MutationCtx, data: JsonObject, version: number) =>
  applyMembership(ctx, data, version, "webhook");
const ORG = "org_read";
const USER = "user_read";

function membership(overrides: Record<string, unknown> = {}) {
  return {
    object: "organization_membership",
    id: "orgmem_read",
    role: "org:member",
    role_name: "Member",
    permissions: ["org:sys_memberships:read"],
    organization: { object: "organization", id: ORG, name: "Read", slug: "read", updated_at: V },
    public_user_data: {
      user_id: USER,
      first_name: "Grace",
      last_name: "Hopper",
      identifier: "Grace@Example.com",
      image_url: "https://img.example/grace.png",
    },
    updated_at: V,
    ...overrides,
  };
}

function event(type: string, data: Record<string, unknown>, timestamp: number | null = V): ClerkEvent {
  return { type, data: data, timestamp, instanceId: null };
}

/** A backend whose app hook records every change (what an app's feed is built on). */
async function recordingBackend() {
  return await newBackend({}, { hook: "record" });
}

/** `work` in one transaction whose db calls the app's hook on each change, as a webhook's mutation does. */
async function viaHooks<T>(t: Backend, work: (ctx: MutationCtx) => Promise<T>): Promise<T> {
  return await t.run(async (ctx) => await work(withHooks(ctx as unknown as MutationCtx, "webhook", {})));
}

/** The changes to memberships the hook heard: op, clerkId, and the role before and after. */
async function membershipChanges(t: Backend) {
  return (await hookCalls(t))
    .filter((change) => change.table === "memberships")
    .map(({ op, before, after, source }) => ({
      op,
      clerkId: (after ?? before)?.clerkId,
      roles: [before?.role ?? null, after?.role ?? null],
      source,
    }));
}

describe("readClerkMembership", () => {
  test("reads what Roster keeps of a membership", () => {
    expect(readClerkMembership(membership())).toEqual({
      clerkId: "orgmem_read",
      organization: membership().organization,
      fields: {
        organizationId: ORG,
        userId: USER,
        role: "org:member",
        roleName: "Member",
        permissions: ["org:sys_memberships:read"],
        publicUserData: {
          firstName: "Grace",
          lastName: "Hopper",
          imageUrl: "https://img.example/grace.png",
          identifier: "Grace@Example.com",
        },
        searchText: "grace hopper grace@example.com",
      },
    });
  });

  test("without the embedded objects, the flat organization_id and user_id do", () => {
    const { fields, organization } = readClerkMembership(
      membership({ organization: undefined, public_user_data: undefined, organization_id: ORG, user_id: USER }),
    );
    expect(organization).toBeNull();
    expect(fields).toMatchObject({
      organizationId: ORG,
      userId: USER,
      publicUserData: { firstName: null, lastName: null, imageUrl: null, identifier: null },
      searchText: "",
    });
  });

  test("the embedded ids win over the flat ones", () => {
    const { fields } = readClerkMembership(membership({ organization_id: "org_flat", user_id: "user_flat" }));
    expect([fields.organizationId, fields.userId]).toEqual([ORG, USER]);
  });

  test("the older profile_image_url serves when there is no image_url", () => {
    const data = membership({
      public_user_data: { user_id: USER, profile_image_url: "https://img.example/old.png" },
    });
    expect(readClerkMembership(data).fields.publicUserData.imageUrl).toBe("https://img.example/old.png");
    const both = membership({
      public_user_data: {
        user_id: USER,
        image_url: "https://img.example/new.png",
        profile_image_url: "https://img.example/old.png",
      },
    });
    expect(readClerkMembership(both).fields.publicUserData.imageUrl).toBe("https://img.example/new.png");
  });

  test("no role is org:member; permissions keep only strings", () => {
    const { fields } = readClerkMembership(
      membership({ role: undefined, role_name: undefined, permissions: ["org:a", 3, null, { key: "org:b" }, "org:c"] }),
    );
    expect(fields.role).toBe("org:member");
    expect(fields.roleName).toBeNull();
    expect(fields.permissions).toEqual(["org:a", "org:c"]);
  });

  test("refuses a membership without an id, an organization or a user, naming it", () => {
    expect(() => readClerkMembership(membership({ id: undefined }))).toThrow(
      'organizationMembership: "id" is missing or not a string',
    );
    expect(() => readClerkMembership(membership({ organization: {} }))).toThrow(
      "organizationMembership orgmem_read: no organization id",
    );
    expect(() => readClerkMembership(membership({ public_user_data: {} }))).toThrow(
      "organizationMembership orgmem_read: no public_user_data.user_id",
    );
  });
});

describe("search text", () => {
  test("search text: the parts present, lower-case, one space apart", () => {
    expect(memberSearchText({ firstName: "Ada", lastName: null, identifier: "ADA@X.IO" })).toBe("ada ada@x.io");
    expect(memberSearchText({ firstName: null, lastName: null, identifier: null })).toBe("");
  });
});

describe("membership events", () => {
  test("created: applied, naming the membership, organization and user; the hook hears the join with the role's name", async () => {
    const t = await recordingBackend();
    const handler = membershipEventHandlers["organizationMembership.created"]!;
    const result = await viaHooks(
      t,
      async (ctx) => await handler(ctx, event("organizationMembership.created", membership())),
    );
    expect(result).toEqual({ outcome: "applied", clerkIds: ["orgmem_read", ORG, USER] });
    const joins = (await hookCalls(t)).filter((change) => change.table === "memberships");
    expect(joins).toMatchObject([
      {
        op: "create",
        before: null,
        after: {
          clerkId: "orgmem_read",
          userId: USER,
          roleName: "Member",
          clerkVersion: V,
          publicUserData: { firstName: "Grace", lastName: "Hopper" },
        },
        source: "webhook",
      },
    ]);
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(1);
  });

  test("a role change at a newer version: the hook hears an update from the old role to the new", async () => {
    const t = await recordingBackend();
    await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await viaHooks(
      t,
      async (ctx) =>
        await applyClerkMembership(
          ctx,
          membership({ role: "org:admin", role_name: undefined, updated_at: V + 5 }),
          V + 5,
        ),
    );
    expect(await membershipChanges(t)).toEqual([
      { op: "create", clerkId: "orgmem_read", roles: [null, "org:member"], source: "webhook" },
      { op: "update", clerkId: "orgmem_read", roles: ["org:member", "org:admin"], source: "webhook" },
    ]);
    const [, change] = (await hookCalls(t)).filter((c) => c.table === "memberships");
    expect(change?.before?.roleName).toBe("Member");
    expect(change?.after?.roleName ?? null).toBeNull();
  });

  test("an update that keeps the role: the hook hears an update whose role is the same before and after", async () => {
    const t = await recordingBackend();
    await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await viaHooks(
      t,
      async (ctx) => await applyClerkMembership(ctx, membership({ permissions: [], updated_at: V + 5 }), V + 5),
    );
    expect(await membershipChanges(t)).toEqual([
      { op: "create", clerkId: "orgmem_read", roles: [null, "org:member"], source: "webhook" },
      { op: "update", clerkId: "orgmem_read", roles: ["org:member", "org:member"], source: "webhook" },
    ]);
  });

  test("a different snapshot at the same version applies (only an identical one is a no-op)", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership({ role: "org:admin" }), V))).toBe(
      "applied",
    );
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((row) => row.role)).toEqual(["org:admin"]);
  });

  test("an older snapshot is stale and changes nothing", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership({ role: "org:admin" }), V - 1))).toBe(
      "stale",
    );
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((row) => row.role)).toEqual(["org:member"]);
  });

  test("a second membership of the same person in the organization replaces the first only when not older", async () => {
    const t = await recordingBackend();
    await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership(), V));
    expect(
      await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership({ id: "orgmem_older" }), V - 1)),
    ).toBe("stale");
    expect(
      await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership({ id: "orgmem_newer" }), V + 1)),
    ).toBe("applied");
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((row) => row.clerkId)).toEqual(["orgmem_newer"]);
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(1);
    // The hook hears the replacement as the old row's delete and the new row's create, in one
    // transaction (an app telling a replacement from a leave and a join must look at both).
    expect(await membershipChanges(t)).toEqual([
      { op: "create", clerkId: "orgmem_read", roles: [null, "org:member"], source: "webhook" },
      { op: "delete", clerkId: "orgmem_read", roles: ["org:member", null], source: "webhook" },
      { op: "create", clerkId: "orgmem_newer", roles: [null, "org:member"], source: "webhook" },
    ]);
  });

  test("deleted: applied, naming what the payload names; the hook hears the delete with the row as it was; the count goes down", async () => {
    const t = await recordingBackend();
    await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership(), V));
    const handler = membershipEventHandlers["organizationMembership.deleted"]!;
    const result = await viaHooks(
      t,
      async (ctx) => await handler(ctx, event("organizationMembership.deleted", membership(), V + 9)),
    );
    expect(result).toEqual({ outcome: "applied", clerkIds: ["orgmem_read", ORG, USER] });
    expect((await hookCalls(t)).filter((change) => change.table === "memberships").at(-1)).toMatchObject({
      op: "delete",
      before: {
        clerkId: "orgmem_read",
        userId: USER,
        roleName: "Member",
        clerkVersion: V,
        publicUserData: { firstName: "Grace", lastName: "Hopper" },
      },
      after: null,
      source: "webhook",
    });
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(0);
  });

  test("deleted with only an id names only the membership", async () => {
    const t = await newBackend();
    const handler = membershipEventHandlers["organizationMembership.deleted"]!;
    const result = await t.run(
      async (ctx) =>
        await handler(
          ctx,
          event("organizationMembership.deleted", { object: "organization_membership", id: "orgmem_x" }),
        ),
    );
    expect(result).toEqual({ outcome: "applied", clerkIds: ["orgmem_x"] });
    await expect(
      t.run(
        async (ctx) =>
          await handler(ctx, event("organizationMembership.deleted", { object: "organization_membership" })),
      ),
    ).rejects.toThrow('organizationMembership.deleted: "id" is missing or not a string');
  });

  test("deleting a membership the component never had calls no hook and counts nothing down", async () => {
    const t = await recordingBackend();
    await viaHooks(
      t,
      async (ctx) =>
        await applyClerkMembership(ctx, membership({ id: "orgmem_other", public_user_data: { user_id: "user_o" } }), V),
    );
    expect(await viaHooks(t, async (ctx) => await deleteClerkMembership(ctx, "orgmem_unknown", V))).toBe("applied");
    expect((await membershipChanges(t)).map(({ op }) => op)).toEqual(["create"]);
    expect(await t.run(async (ctx) => await countMembers(ctx, ORG))).toBe(1);
  });
});

describe("the embedded organization", () => {
  test("is applied at its own updated_at", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V + 3));
    const rows = await t.run(async (ctx) => await ctx.db.query("organizations").collect());
    expect(rows.map((row) => [row.clerkId, row.clerkVersion])).toEqual([[ORG, V]]);
  });

  test("one without an id is left alone (the flat organization_id names the organization)", async () => {
    const t = await newBackend();
    const data = membership({ organization: { object: "organization", name: "No id" }, organization_id: ORG });
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, data, V))).toBe("applied");
    expect(await t.run(async (ctx) => await ctx.db.query("organizations").collect())).toEqual([]);
  });
});

describe("versions", () => {
  test("an identical snapshot at a newer version moves the version, so an older change is then stale", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V + 10));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership({ role: "org:admin" }), V + 5))).toBe(
      "stale",
    );
  });

  test("a second membership of the same person at the same version replaces the first", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership({ id: "orgmem_same" }), V))).toBe(
      "applied",
    );
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((row) => row.clerkId)).toEqual(["orgmem_same"]);
  });
});

describe("followUser", () => {
  const user = (overrides: Partial<ClerkUser> = {}) =>
    ({
      firstName: "Grace",
      lastName: "Hopper",
      imageUrl: null,
      email: "grace@example.com",
      phone: null,
      username: null,
      ...overrides,
    }) as ClerkUser;

  test("writes the memberships whose public data differs, keeps their image when the user has none", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await applyClerkMembership(ctx, membership(), V);
      await applyClerkMembership(
        ctx,
        membership({ id: "orgmem_2", organization: { object: "organization", id: "org_2", updated_at: V } }),
        V,
      );
    });
    const renamed = user({ firstName: "Amazing" });
    expect(await t.run(async (ctx) => await followUser(ctx, USER, null, 10, renamed))).toEqual({
      updated: 2,
      isDone: true,
      continueCursor: null,
    });
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows.map((row) => [row.publicUserData.firstName, row.publicUserData.imageUrl, row.searchText])).toEqual([
      ["Amazing", "https://img.example/grace.png", "amazing hopper grace@example.com"],
      ["Amazing", "https://img.example/grace.png", "amazing hopper grace@example.com"],
    ]);
    // Again: nothing differs, nothing is written.
    expect(await t.run(async (ctx) => await followUser(ctx, USER, null, 10, renamed))).toEqual({
      updated: 0,
      isDone: true,
      continueCursor: null,
    });
  });

  test("a user's own image wins over the membership's", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await t.run(
      async (ctx) => await followUser(ctx, USER, null, 10, user({ imageUrl: "https://img.example/own.png" })),
    );
    const rows = await t.run(async (ctx) => await ctx.db.query("memberships").collect());
    expect(rows[0]!.publicUserData.imageUrl).toBe("https://img.example/own.png");
  });

  test("pages: writes `limit` rows and says it is not done", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (let i = 0; i < 3; i++) {
        await applyClerkMembership(
          ctx,
          membership({ id: `orgmem_${i}`, organization: { object: "organization", id: `org_${i}`, updated_at: V } }),
          V,
        );
      }
    });
    const result = await t.run(async (ctx) => await followUser(ctx, USER, null, 2, user({ firstName: "New" })));
    expect(result).toEqual({ updated: 2, isDone: false, continueCursor: expect.any(String) });
    // The next page (the caller queues it) from there: the third row.
    const next = await t.run(
      async (ctx) => await followUser(ctx, USER, result.continueCursor, 2, user({ firstName: "New" })),
    );
    expect(next).toEqual({ updated: 1, isDone: true, continueCursor: null });
  });

  test("a user Roster does not have: nothing to do", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    expect(await t.run(async (ctx) => await followUser(ctx, "user_none", null, 10))).toEqual({
      updated: 0,
      isDone: true,
      continueCursor: null,
    });
    expect(await t.run(async (ctx) => await followUser(ctx, USER, null, 10))).toEqual({
      updated: 0,
      isDone: true,
      continueCursor: null,
    });
  });
});

describe("leaving a deleted organization", () => {
  test("the hook hears the membership's delete (no cause: the organization's cascade did not make it)", async () => {
    const t = await recordingBackend();
    await viaHooks(t, async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await t.run(
      async (ctx) => await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: V + 1 }),
    );
    await viaHooks(t, async (ctx) => await deleteClerkMembership(ctx, "orgmem_read", V + 2));
    const changes = (await hookCalls(t)).filter((change) => change.table === "memberships");
    expect(changes.map(({ op }) => op)).toEqual(["create", "delete"]);
    expect(changes[1]?.cause).toBeUndefined();
  });
});

describe("a membership after a reconcile's removal (provisional tombstones)", () => {
  const provisional = (kind: string, clerkId: string, deletedAt = V) => ({
    kind,
    clerkId,
    deletedAt,
    provisional: true,
  });
  const state = (t: Backend) =>
    t.run(async (ctx) => ({
      memberships: (await ctx.db.query("memberships").collect()).map((row) => [row.clerkId, row.clerkVersion]),
      organizations: (await ctx.db.query("organizations").collect()).map((row) => [row.clerkId, row.clerkVersion]),
      tombstones: (await ctx.db.query("tombstones").collect()).map((row) => row.kind),
    }));

  test("of a removed organization: stale without a newer copy of it, whatever the membership's version", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await ctx.db.insert("tombstones", provisional("organization", ORG)));
    const { organization: _none, ...bare } = membership({ organization_id: ORG, updated_at: V + 9 });
    for (const data of [bare, membership({ updated_at: V + 9 })])
      expect(await t.run(async (ctx) => await applyClerkMembership(ctx, data, V + 9))).toBe("stale");
    // A fresh read from Clerk shows both alive: the organization comes back with the membership.
    expect(await t.run(async (ctx) => await applyMembership(ctx, membership(), V, "clerkRead"))).toBe("applied");
    expect(await state(t)).toEqual({
      memberships: [["orgmem_read", V]],
      organizations: [[ORG, V]],
      tombstones: [],
    });
  });

  test("of a removed user: stale for a webhook until the user is back, applied for a fresh read", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await ctx.db.insert("tombstones", provisional("user", USER)));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V + 1))).toBe("stale");
    expect(await t.run(async (ctx) => await applyMembership(ctx, membership(), V, "clerkRead"))).toBe("applied");
    // The user's own tombstone is the user's to drop (their snapshot, or the backfill's users).
    expect(await state(t)).toMatchObject({ memberships: [["orgmem_read", V]], tombstones: ["user"] });
  });

  test("removed itself: a webhook snapshot must be strictly newer than the removed row", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await ctx.db.insert("tombstones", provisional("organizationMembership", "orgmem_read")));
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V))).toBe("stale");
    expect(await state(t)).toEqual({ memberships: [], organizations: [], tombstones: ["organizationMembership"] });
    const newer = membership({ updated_at: V + 1 });
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, newer, V + 1))).toBe("applied");
    expect(await state(t)).toEqual({
      memberships: [["orgmem_read", V + 1]],
      organizations: [[ORG, V]],
      tombstones: [],
    });
  });

  test("Clerk's delete of the membership is final, whatever the table holds", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await t.run(
      async (ctx) =>
        await ctx.db.insert("tombstones", { kind: "organizationMembership", clerkId: "orgmem_read", deletedAt: V - 1 }),
    );
    expect(
      await t.run(async (ctx) => await applyMembership(ctx, membership({ updated_at: V + 1 }), V + 1, "clerkRead")),
    ).toBe("stale");
    expect(await state(t)).toMatchObject({ memberships: [["orgmem_read", V]] });
  });

  test("beside a live row restored before tombstones went with the restore, the row's version decides", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkMembership(ctx, membership(), V));
    await t.run(
      async (ctx) => await ctx.db.insert("tombstones", provisional("organizationMembership", "orgmem_read", V + 9)),
    );
    const newer = membership({ role: "org:admin", updated_at: V + 1 });
    expect(await t.run(async (ctx) => await applyClerkMembership(ctx, newer, V + 1))).toBe("applied");
    expect(await state(t)).toEqual({
      memberships: [["orgmem_read", V + 1]],
      organizations: [[ORG, V]],
      tombstones: [],
    });
  });
});
