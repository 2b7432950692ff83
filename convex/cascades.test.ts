import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ADA, clerkId, DAY, membershipEvent, ORG, organizationDeleted, T0, userDeleted } from "../test/clerkEvents";
import { deliver, newBackend, SECRET, type Backend } from "../test/convex";
import { internal } from "./_generated/api";
import { CASCADE_BATCH_SIZE } from "./cascades";

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

/** Seeds `count` memberships of ORG straight into the table, in transactions under the limits. */
async function seedMembers(t: Backend, count: number) {
  for (let start = 0; start < count; start += SEED_BATCH) {
    await t.run(async (ctx) => {
      for (let i = start; i < Math.min(start + SEED_BATCH, count); i += 1) {
        const userId = clerkId("user", "s", i);
        await ctx.db.insert("memberships", {
          clerkId: `orgmem_seed${i}`,
          clerkVersion: T0,
          organizationId: ORG,
          userId,
          role: "org:member",
          roleName: "Member",
          permissions: [],
          publicUserData: { firstName: `Member${i}`, lastName: null, imageUrl: null, identifier: `m${i}@example.com` },
          searchText: `member${i} m${i}@example.com`,
        });
      }
    });
  }
}

describe("cascades run in bounded batches", () => {
  test(`organization.deleted removes ${MEMBERS} memberships, every batch within the limits`, async () => {
    const t = newBackend(LIMITS);
    await deliver(t, membershipEvent("organizationMembership.created"));
    await seedMembers(t, MEMBERS);
    expect((await deliver(t, organizationDeleted(ORG, T0 + DAY))).outcome).toBe("applied");
    // Every scheduled batch runs under LIMITS: one that read or wrote more would fail here.
    await t.finishAllScheduledFunctions(() => vi.runAllTimers(), 1_000);

    expect(await t.run(async (ctx) => (await ctx.db.query("memberships").collect()).length)).toBe(0);
    const batches = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) =>
        job.name.includes("removeChildren"),
      ),
    );
    // Full batches, then one that finds the rest (and sees nothing is left).
    expect(batches.length).toBe(Math.floor((MEMBERS + 1) / CASCADE_BATCH_SIZE) + 1);
    expect(batches.every((job) => job.state.kind === "success")).toBe(true);
  });

  test("a batch larger than the limits allow fails, so the limits are really enforced", async () => {
    const t = newBackend(LIMITS);
    await seedMembers(t, 1_200);
    await expect(
      t.run(async (ctx) => {
        for (const row of await ctx.db.query("memberships").take(1_200)) await ctx.db.delete("memberships", row._id);
      }),
    ).rejects.toThrow();
  });

  test("user.deleted over many organizations: each batch within the limits, a 'left' entry per organization", async () => {
    const t = newBackend(LIMITS);
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
    const left = await t.run(async (ctx) => ({
      memberships: (await ctx.db.query("memberships").collect()).length,
      leftEntries: (await ctx.db.query("activity").collect()).filter((a) => a.kind === "member_left").length,
    }));
    expect(left).toEqual({ memberships: 0, leftEntries: 450 });
  });

  test("removeChildren never takes more than its batch size", async () => {
    const t = newBackend(LIMITS);
    await seedMembers(t, 450);
    const result = await t.mutation(internal.cascades.removeChildren, {
      parent: "organization",
      clerkId: ORG,
      batchSize: 10_000,
    });
    expect(result).toEqual({ removed: CASCADE_BATCH_SIZE, more: true });
  });
});
