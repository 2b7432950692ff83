import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ADA,
  CHARLES,
  clerkEmailAddress,
  clerkId,
  clerkUserCharles,
  DAY,
  emailCreated,
  invitationEvent,
  membershipEvent,
  ORG,
  organizationDeleted,
  organizationInvitationEvent,
  primaryEmail,
  publicUserData,
  smsCreated,
  T0,
  userDeleted,
  userEvent,
  waitlistEntryEvent,
} from "../../../../test/clerkEvents.js";
import {
  deliver,
  hookCalls,
  newBackend,
  SECRET,
  seedInBatches,
  type Backend,
} from "../../../../test/component/backend.js";
import { internal } from "./_generated/api.js";
import { CASCADE_BATCH_SIZE } from "./cascades.js";

/** What any one transaction may touch in these tests: a cascade batch is at most 200 reads and 400 writes. */
const LIMITS = { documentsRead: 1_000, documentsWritten: 500 };
const MEMBERS = 5_000;
const SEED_BATCH = 400;

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** The queued work left (work.ts): none once a cascade is done, whatever its tries' states say (an attempt or a run catches its batch's failure). */
async function queued(t: Backend) {
  return await t.run(async (ctx) => await ctx.db.query("pendingWork").collect());
}

/** Seeds `count` memberships of ORG straight into the table, in transactions under the limits. */
async function seedMembers(t: Backend, count: number) {
  await seedInBatches(
    t,
    count,
    async (ctx, i) =>
      await ctx.db.insert("memberships", {
        clerkId: `orgmem_seed${i}`,
        clerkVersion: T0,
        organizationId: ORG,
        userId: clerkId("user", "s", i),
        role: "org:member",
        roleName: "Member",
        permissions: [],
        publicUserData: { firstName: `Member${i}`, lastName: null, imageUrl: null, identifier: `m${i}@example.com` },
        searchText: `member${i} m${i}@example.com`,
      }),
    SEED_BATCH,
  );
}

describe("cascades run in bounded batches", () => {
  test(`organization.deleted removes ${MEMBERS} memberships, every batch within the limits`, async () => {
    const t = await newBackend(LIMITS);
    await deliver(t, membershipEvent("organizationMembership.created"));
    await seedMembers(t, MEMBERS);
    expect((await deliver(t, organizationDeleted(ORG, T0 + DAY))).outcome).toBe("applied");
    // Every scheduled batch runs under LIMITS: one that read or wrote more would fail here.
    await t.finishAllScheduledFunctions(() => vi.runAllTimers(), 1_000);

    expect(await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(0);
    const batches = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === "work:attempt"),
    );
    // Full batches, then one that finds the rest (and sees nothing is left).
    expect(batches.length).toBe(Math.floor((MEMBERS + 1) / CASCADE_BATCH_SIZE) + 1);
    expect(batches.every((job) => job.state.kind === "success")).toBe(true);
    expect(await queued(t)).toEqual([]);
  });

  test("a batch larger than the limits allow fails, so the limits are really enforced", async () => {
    const t = await newBackend(LIMITS);
    await seedMembers(t, 1_200);
    await expect(
      t.run(async (ctx) => {
        for (const row of await ctx.db.query("memberships").take(1_200)) await ctx.db.delete("memberships", row._id);
      }),
    ).rejects.toThrow();
  });

  test("user.deleted over many organizations: each batch within the limits, the hook told of each membership's removal", async () => {
    const t = await newBackend(LIMITS, { hook: "record" });
    await t.run(async (ctx) => {
      for (let i = 0; i < 450; i += 1) {
        await ctx.db.insert("memberships", {
          clerkId: `orgmem_u${i}`,
          clerkVersion: T0,
          organizationId: clerkId("org", "u", i),
          userId: ADA,
          role: "org:admin",
          roleName: "Admin",
          permissions: [],
          publicUserData: { firstName: "Ada", lastName: "Lovelace", imageUrl: null, identifier: "ada@example.com" },
          searchText: "ada lovelace ada@example.com",
        });
      }
    });
    await deliver(t, userDeleted(ADA, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    expect(await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(0);
    // What an app builds its 'left' entries on: one delete per organization, from the cascade, naming whose deletion.
    const removed = (await hookCalls(t)).filter((change) => change.table === "memberships");
    expect(removed).toHaveLength(450);
    expect(new Set(removed.map((change) => change.before?.organizationId)).size).toBe(450);
    for (const change of removed) {
      expect(change).toMatchObject({
        op: "delete",
        after: null,
        source: "cascade",
        cause: { kind: "user", clerkId: ADA },
      });
    }
  });

  test("removeChildren never takes more than its batch size", async () => {
    const t = await newBackend(LIMITS);
    await seedMembers(t, 450);
    await t.run(
      async (ctx) => await ctx.db.insert("tombstones", { kind: "organization", clerkId: ORG, deletedAt: T0 }),
    );
    const result = await t.mutation(internal.cascades.removeChildren, {
      parent: "organization",
      clerkId: ORG,
      batchSize: 10_000,
    });
    expect(result).toEqual({ removed: CASCADE_BATCH_SIZE, more: true });
  });
});

describe("user.deleted erases the user's personal data everywhere the component copied it", () => {
  const CHARLES_EMAIL = "charles@example.com";
  const CHARLES_PHONE = "+15555550777";

  async function world(t: Backend) {
    const charles = clerkUserCharles({
      phone_numbers: [{ id: "idn_charlesphone", object: "phone_number", phone_number: CHARLES_PHONE }],
      primary_phone_number_id: "idn_charlesphone",
    });
    await deliver(t, userEvent("user.created"));
    await deliver(t, userEvent("user.created", charles));
    await deliver(t, membershipEvent("organizationMembership.created"));
    await deliver(t, organizationInvitationEvent("organizationInvitation.created"));
    await deliver(t, organizationInvitationEvent("organizationInvitation.accepted", { updated_at: T0 + 1_000 }));
    await deliver(
      t,
      membershipEvent("organizationMembership.created", {
        id: "orgmem_charles",
        role: "org:member",
        public_user_data: publicUserData(charles),
      }),
    );
    await deliver(t, emailCreated());
    await deliver(t, emailCreated({ id: "ema_charles", user_id: CHARLES, to_email_address: CHARLES_EMAIL }));
    // A sign-up code mailed before Charles had a user id, and a text to his phone.
    await deliver(t, emailCreated({ id: "ema_signup", user_id: null, to_email_address: CHARLES_EMAIL }));
    await deliver(t, smsCreated({ id: "sms_charles", user_id: null, to_phone_number: CHARLES_PHONE }));
    await deliver(t, invitationEvent("invitation.created"));
    await deliver(t, waitlistEntryEvent("waitlistEntry.created"));
  }

  async function everything(t: Backend) {
    return await t.run(async (ctx) => ({
      communications: await ctx.db.query("communications").collect(),
      appInvitations: await ctx.db.query("appInvitations").collect(),
      organizationInvitations: await ctx.db.query("organizationInvitations").collect(),
      waitlistEntries: await ctx.db.query("waitlistEntries").collect(),
      users: await ctx.db.query("users").collect(),
    }));
  }

  test("messages, app invitations, team invitations and waitlist entries lose the addresses", async () => {
    const t = await newBackend(LIMITS);
    await world(t);
    const before = await everything(t);
    expect(JSON.stringify(before)).toContain(CHARLES_EMAIL);

    expect((await deliver(t, userDeleted(CHARLES, T0 + DAY))).outcome).toBe("applied");
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const after = await everything(t);

    // Nothing of Charles is left: not his id, name, email or phone.
    const text = JSON.stringify(after);
    for (const personal of [CHARLES, "Charles", "Babbage", CHARLES_EMAIL, CHARLES_PHONE])
      expect(text).not.toContain(personal);
    expect(after.communications).toHaveLength(4);
    expect(
      after.communications
        .filter((row) => row.recipient === null)
        .map((row) => row.clerkId)
        .sort(),
    ).toEqual(["ema_charles", "ema_signup", "sms_charles"]);
    expect(after.communications.filter((row) => row.recipient === null).every((row) => row.subject === null)).toBe(
      true,
    );
    expect(after.appInvitations.map((row) => [row.emailAddress, row.status])).toEqual([[null, "pending"]]);
    // The team invitation Charles accepted keeps its status, not his address or id.
    expect(after.organizationInvitations.map((row) => [row.emailAddress, row.userId, row.status])).toEqual([
      [null, null, "accepted"],
    ]);
    expect(after.waitlistEntries.map((row) => [row.emailAddress, row.status])).toEqual([[null, "pending"]]);

    // Ada's data is untouched.
    const ada = (rows: Array<Record<string, unknown>>) => JSON.stringify(rows).includes("ada@example.com");
    expect(ada(after.communications)).toBe(true);
    expect(after.users.map((user) => user.clerkId)).toEqual([ADA]);
  });

  test("a late invitation event after the erasure does not write the erased address back", async () => {
    const t = await newBackend(LIMITS);
    await world(t);
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    // Clerk's snapshot of the invitation, newer than the one stored, arriving after the erasure.
    expect(
      (await deliver(t, organizationInvitationEvent("organizationInvitation.revoked", { updated_at: T0 + 2 * DAY })))
        .outcome,
    ).toBe("applied");
    const rows = await t.run(async (ctx) => await ctx.db.query("organizationInvitations").collect());
    expect(rows.map((row) => [row.emailAddress, row.userId, row.status])).toEqual([[null, null, "revoked"]]);
  });

  test("team invitations to the user's address, in any status and as typed or in lower case, in bounded batches", async () => {
    const t = await newBackend(LIMITS);
    // Clerk kept Charles's address with capitals; invitations carry it as typed, or in lower case.
    const typed = "Charles.B@Example.com";
    await deliver(t, userEvent("user.created", clerkUserCharles({ ...primaryEmail(typed, CHARLES) })));
    const statuses = ["pending", "accepted", "revoked"];
    await seedInBatches(
      t,
      450,
      async (ctx, i) =>
        await ctx.db.insert("organizationInvitations", {
          clerkId: `orginv_e${i}`,
          clerkVersion: T0,
          organizationId: clerkId("org", "e", i % 7),
          emailAddress: i % 2 === 0 ? typed.toLowerCase() : i === 1 ? typed : "ada@example.com",
          role: "org:member",
          roleName: "Member",
          status: statuses[i % 3]!,
          userId: statuses[i % 3] === "accepted" ? (i % 2 === 0 ? CHARLES : ADA) : null,
        }),
      150,
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const runs = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === "work:attempt"),
    );
    // 226 of Charles's (225 lower case, 1 as typed): two batches, each within LIMITS.
    expect(runs.map((job) => job.state.kind)).toEqual(["success", "success"]);
    expect(await queued(t)).toEqual([]);
    const rows = await t.run(async (ctx) => await ctx.db.query("organizationInvitations").collect());
    expect(JSON.stringify(rows)).not.toMatch(/charles|user_2cb/i);
    expect(rows.filter((row) => row.emailAddress === null)).toHaveLength(226);
    // Ada's invitations, and the id of the one she accepted, are untouched.
    expect(rows.filter((row) => row.emailAddress === "ada@example.com")).toHaveLength(224);
    expect(rows.filter((row) => row.userId === ADA).length).toBeGreaterThan(0);
  });

  test("a team invitation to another of the user's verified addresses loses it too (Roster matched it to them)", async () => {
    const t = await newBackend(LIMITS);
    await deliver(
      t,
      userEvent(
        "user.created",
        clerkUserCharles({
          email_addresses: [
            clerkEmailAddress({ id: "idn_cb1", email_address: "charles@example.com" }),
            clerkEmailAddress({ id: "idn_cb2", email_address: "Babbage@Engines.example" }),
          ],
          primary_email_address_id: "idn_cb1",
        }),
      ),
    );
    await deliver(
      t,
      organizationInvitationEvent("organizationInvitation.created", {
        id: "orginv_work",
        email_address: "babbage@engines.example",
      }),
    );
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const after = await t.run(async (ctx) => ({
      invitations: await ctx.db.query("organizationInvitations").collect(),
    }));
    expect(JSON.stringify(after)).not.toMatch(/babbage@engines/i);
    expect(after.invitations.map((row) => [row.clerkId, row.emailAddress])).toEqual([["orginv_work", null]]);
  });

  test("in bounded batches that never find a redacted row again", async () => {
    const t = await newBackend(LIMITS);
    await deliver(t, userEvent("user.created", clerkUserCharles()));
    for (let start = 0; start < 900; start += 300) {
      await t.run(async (ctx) => {
        for (let i = start; i < start + 300; i += 1) {
          await ctx.db.insert("communications", {
            clerkId: `ema_e${i}`,
            clerkVersion: T0,
            channel: "email",
            recipient: CHARLES_EMAIL,
            userId: CHARLES,
            subject: "Welcome, Charles",
            template: "welcome",
            status: "delivered",
          });
        }
      });
    }
    await deliver(t, userDeleted(CHARLES, T0 + DAY));
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    const runs = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.name === "work:attempt"),
    );
    expect(runs.every((job) => job.state.kind === "success")).toBe(true);
    expect(await queued(t)).toEqual([]);
    // 900 rows redacted at 200 per batch: 5 batches (the last finds the rest and sees nothing is left).
    expect(runs).toHaveLength(Math.ceil(900 / CASCADE_BATCH_SIZE));
    const after = await everything(t);
    expect(JSON.stringify(after)).not.toMatch(/Charles|charles@example.com/);
  });
});
