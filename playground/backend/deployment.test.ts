import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { deliver } from "../../test/webhookRequests";
import { PLAYGROUND_ENV, PLAYGROUND_SIGNING_SECRET } from "../config";
import { seedEvents, TEAMS } from "../seed";
import { playgroundDeployment } from "./deployment";

beforeEach(() => {
  // What workerGlobals.ts sets for the worker: Roster's env, which the app hands the component.
  for (const [name, value] of Object.entries(PLAYGROUND_ENV)) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the playground worker's deployment", () => {
  test("mounts clerkSync, and the component's change hook keeps Roster's members projection exact", async () => {
    const t = playgroundDeployment();
    for (const { event, expected, svixId } of seedEvents(Date.now())) {
      const answer = await deliver(t, event, {
        secret: PLAYGROUND_SIGNING_SECRET,
        ...(svixId === undefined ? {} : { svixId }),
      });
      expect(answer.outcome, `${event.type} → ${answer.error ?? answer.status}`).toBe(expected);
    }

    // The sync engine's rows live in the component …
    const component = await runInComponent(t, async (ctx) => ({
      memberships: await ctx.db.query("memberships").collect(),
      config: await ctx.db.query("config").collect(),
    }));
    const seeded = TEAMS.flatMap((team) => team.members.map(({ personId }) => `${team.id} ${personId}`));
    expect(component.memberships.map((m) => `${m.organizationId} ${m.userId}`).sort()).toEqual(seeded.sort());
    // … Roster's webhook route handed it Roster's hook …
    expect(component.config.map((row) => typeof row.handles.onChange)).toEqual(["string"]);

    // … and the hook, run in the same transaction as each change, built Roster's projection of them.
    const projected = await t.run(async (ctx) => await ctx.db.query("teamMembers").collect());
    expect(projected.map((row) => row.membershipId).sort()).toEqual(component.memberships.map((m) => m.clerkId).sort());
    for (const membership of component.memberships) {
      expect(projected.find((row) => row.membershipId === membership.clerkId)).toMatchObject({
        organizationId: membership.organizationId,
        userId: membership.userId,
        role: membership.role,
      });
    }
  });
});
