import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { CLERK_EVENT_TYPES, type ClerkEnvelope } from "../../test/clerkEvents";
import { FOREIGN_SECRET, newBackend, SECRET, type Backend } from "../../test/convex";
import { HANDLED_EVENT_TYPES } from "../lib/deployment";
import { parseArgs, planRequests, UsageError, type SenderArgs } from "./plan";
import { sendAll } from "./send";

const ENV = { VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud", CLERK_WEBHOOK_SIGNING_SECRET: SECRET };

let counter = 0;
const deps = (fileText?: string) => ({
  now: Date.now(),
  newTag: () => `2sndTest${String(++counter).padStart(19, "0")}`,
  newSvixId: () => `msg_sendTest${String(++counter).padStart(19, "0")}`,
  fileText,
});

/** Plans `argv` and sends it to convex-test's real /clerk-webhook route. */
async function send(t: Backend, argv: string[], env: Record<string, string> = ENV, fileText?: string) {
  const { url, requests } = planRequests(parseArgs(argv), env, deps(fileText));
  const lines: string[] = [];
  const result = await sendAll(
    url,
    requests,
    (target, init) => t.fetch(new URL(target).pathname, init),
    (line) => lines.push(line),
  );
  return { ...result, lines, outcomes: result.deliveries.map((d) => d.outcome), url };
}

/** The synced rows, in the clerkSync component. */
async function rows(t: Backend) {
  return await runInComponent(t, async (ctx) => ({
    users: await ctx.db.query("users").collect(),
    organizations: await ctx.db.query("organizations").collect(),
    memberships: await ctx.db.query("memberships").collect(),
    tombstones: await ctx.db.query("tombstones").collect(),
  }));
}

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("npm run webhook: arguments", () => {
  test("reads an event type, overrides, a file, repeats, a scenario and a URL", () => {
    expect(
      parseArgs([
        "user.updated",
        "--set",
        "data.first_name=Ada",
        "--set",
        'data.public_metadata={"plan":"pro"}',
        "--repeat",
        "--url",
        "http://127.0.0.1:3211",
      ]),
    ).toMatchObject<Partial<SenderArgs>>({
      type: "user.updated",
      sets: [
        { path: ["data", "first_name"], value: "Ada" },
        { path: ["data", "public_metadata"], value: { plan: "pro" } },
      ],
      repeat: 1,
      url: "http://127.0.0.1:3211",
    });
    expect(parseArgs(["--scenario", "team", "--members", "12", "--repeat", "3"])).toMatchObject({
      scenario: "team",
      members: 12,
      repeat: 3,
    });
  });

  test.each([
    [["--set", "first_name=Ada", "user.updated"], /paths start at the event, e.g. data.first_name/],
    [["user.updated", "--set", "data.first_name"], /--set takes path=value/],
    [["--scenario", "chaos"], /Unknown scenario "chaos"/],
    [["--members", "0"], /--members takes 1 to 1000/],
    [["user.created", "user.updated"], /One event type at a time/],
    [["--bogus"], /Unknown option --bogus/],
    [["--file"], /--file needs a value/],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  test.each([
    [["user.updatd"], ENV, /Unknown event type "user.updatd". Did you mean user.created, user.updated, user.deleted\?/],
    [[], ENV, /Name an event type/],
    [["user.created"], { CLERK_WEBHOOK_SIGNING_SECRET: SECRET }, /VITE_CONVEX_URL is not set .* or pass --url/],
    [["user.created"], { VITE_CONVEX_URL: ENV.VITE_CONVEX_URL }, /No signing secret: set CLERK_WEBHOOK_SIGNING_SECRET/],
    [["user.created"], { ...ENV, CLERK_WEBHOOK_SIGNING_SECRET: "not-a-secret" }, /not a whsec_… secret/],
    [["session.created", "--scenario", "out-of-order"], ENV, /Scenarios work with user\.\*/],
    [["--scenario", "delete-then-late-update"], ENV, /needs an event type/],
    [["user.created", "--file", "x.json", "--scenario", "team"], ENV, /--file and --scenario do not go together/],
  ])("%j with that environment is refused: %s", (argv, env, message) => {
    expect(() => planRequests(parseArgs(argv), env, deps("{}"))).toThrow(message);
  });

  test.each([
    [
      { VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud" },
      [],
      "https://happy-otter-123.convex.site/clerk-webhook",
    ],
    [{ VITE_CONVEX_URL: "http://127.0.0.1:3210" }, [], "http://127.0.0.1:3211/clerk-webhook"],
    [
      { VITE_CONVEX_URL: "http://127.0.0.1:3210", VITE_CONVEX_SITE_URL: "http://127.0.0.1:4000" },
      [],
      "http://127.0.0.1:4000/clerk-webhook",
    ],
    [{}, ["--url", "https://x.convex.site"], "https://x.convex.site/clerk-webhook"],
    [{}, ["--url", "https://x.convex.site/other-path"], "https://x.convex.site/other-path"],
  ])("posts to the endpoint of %j %j: %s", (env, argv, url) => {
    const plan = planRequests(
      parseArgs(["user.created", ...argv]),
      { ...env, CLERK_WEBHOOK_SIGNING_SECRET: SECRET },
      deps(),
    );
    expect(plan.url).toBe(url);
  });
});

describe("npm run webhook against the real endpoint", () => {
  test("its signatures verify: the event applies", async () => {
    const t = newBackend();
    const { deliveries, exitCode, lines } = await send(t, ["user.created"]);
    expect(deliveries.map((d) => [d.status, d.outcome])).toEqual([[200, "applied"]]);
    expect(exitCode).toBe(0);
    expect(lines[0]).toMatch(/^200 applied\s+user\.created\s+msg_sendTest/);
  });

  test("a wrong secret is rejected with 401, nothing is written, and the exit code is 1", async () => {
    const t = newBackend();
    const { deliveries, exitCode, lines } = await send(t, ["user.created"], {
      ...ENV,
      CLERK_WEBHOOK_SIGNING_SECRET: FOREIGN_SECRET,
    });
    expect(deliveries[0]!.status).toBe(401);
    expect(exitCode).toBe(1);
    expect(lines.at(-1)).toBe("1 of 1 requests were not accepted.");
    expect((await rows(t)).users).toEqual([]);
  });

  test("rotation: it signs with the first of several secrets", async () => {
    const t = newBackend();
    const { outcomes } = await send(t, ["user.created"], {
      ...ENV,
      CLERK_WEBHOOK_SIGNING_SECRET: `${SECRET} ${FOREIGN_SECRET}`,
    });
    expect(outcomes).toEqual(["applied"]);
  });

  test.each(HANDLED_EVENT_TYPES)("has a payload for %s that the endpoint handles", async (type) => {
    expect(CLERK_EVENT_TYPES).toContain(type);
    const t = newBackend();
    const { deliveries } = await send(t, [type]);
    expect(deliveries[0]!.status).toBe(200);
    expect(["applied", "stale"]).toContain(deliveries[0]!.outcome);
  });

  test("--set changes the payload", async () => {
    const t = newBackend();
    await send(t, ["user.updated", "--set", "data.first_name=Grace", "--set", 'data.public_metadata={"$plan":"pro"}']);
    const [user] = (await rows(t)).users;
    expect(user).toMatchObject({ firstName: "Grace", publicMetadata: JSON.stringify({ $plan: "pro" }) });
  });

  test("--file sends a whole event, or the data of the named type", async () => {
    const t = newBackend();
    const whole: ClerkEnvelope = planRequests(parseArgs(["organization.created"]), ENV, deps()).requests.map(
      (r) => JSON.parse(r.body) as ClerkEnvelope,
    )[0]!;
    whole.data.name = "From a file";
    expect((await send(t, ["--file", "org.json"], ENV, JSON.stringify(whole))).outcomes).toEqual(["applied"]);
    const data = { ...whole.data, name: "Data only", updated_at: Date.now() + 1 };
    expect(
      (await send(t, ["organization.updated", "--file", "data.json"], ENV, JSON.stringify(data))).outcomes,
    ).toEqual(["applied"]);
    expect((await rows(t)).organizations.map((o) => o.name)).toEqual(["Data only"]);
  });

  test("--repeat delivers the same svix-id again: applied once, then duplicate", async () => {
    const t = newBackend();
    const { deliveries } = await send(t, ["user.created", "--repeat", "2"]);
    expect(deliveries.map((d) => d.outcome)).toEqual(["applied", "duplicate", "duplicate"]);
    expect(new Set(deliveries.map((d) => d.request.svixId)).size).toBe(1);
    expect((await rows(t)).users).toHaveLength(1);
  });

  describe.each(["user.updated", "organization.updated", "organizationMembership.updated"])("%s", (type) => {
    test("--scenario out-of-order: the newer snapshot stands", async () => {
      const t = newBackend();
      const { outcomes, lines } = await send(t, [type, "--scenario", "out-of-order"]);
      expect(outcomes).toEqual(["applied", "stale"]);
      expect(lines.some((line) => line.includes("expected"))).toBe(false);
      const { users, organizations, memberships } = await rows(t);
      if (type.startsWith("user")) expect(users.map((u) => u.firstName)).toEqual(["Newer"]);
      if (type.startsWith("organization.")) expect(organizations.map((o) => o.name)).toEqual(["Newer name"]);
      if (type.startsWith("organizationMembership")) expect(memberships.map((m) => m.role)).toEqual(["org:member"]);
    });

    test("--scenario delete-then-late-update: deleted, and the late update does not bring it back", async () => {
      const t = newBackend();
      const { outcomes } = await send(t, [type, "--scenario", "delete-then-late-update"]);
      expect(outcomes).toEqual(["applied", "applied", "stale"]);
      const { users, organizations, memberships, tombstones } = await rows(t);
      const table = type.startsWith("user") ? users : type.startsWith("organization.") ? organizations : memberships;
      expect(table).toEqual([]);
      expect(tombstones).toHaveLength(1);
    });
  });

  test("each scenario run uses fresh ids, so it can be run again", async () => {
    const t = newBackend();
    await send(t, ["user.updated", "--scenario", "delete-then-late-update"]);
    const { outcomes } = await send(t, ["user.updated", "--scenario", "out-of-order"]);
    expect(outcomes).toEqual(["applied", "stale"]);
  });

  test("--scenario team: an organization with its members, the first an admin", async () => {
    const t = newBackend();
    const { outcomes, exitCode } = await send(t, ["--scenario", "team", "--members", "4"]);
    expect(exitCode).toBe(0);
    expect(outcomes).toEqual(Array(9).fill("applied"));
    const { users, organizations, memberships } = await rows(t);
    expect(organizations).toHaveLength(1);
    expect(users.map((u) => `${u.firstName} ${u.lastName}`).sort()).toEqual([
      "Member 1",
      "Member 2",
      "Member 3",
      "Member 4",
    ]);
    expect(
      memberships
        .filter((m) => m.organizationId === organizations[0]!.clerkId)
        .map((m) => m.role)
        .sort(),
    ).toEqual(["org:admin", "org:member", "org:member", "org:member"]);
  });

  test("--scenario team with --set changes the named event type only", async () => {
    const t = newBackend();
    await send(t, ["organization.created", "--scenario", "team", "--members", "1", "--set", "data.name=Acme"]);
    const { organizations, users } = await rows(t);
    expect(organizations.map((o) => o.name)).toEqual(["Acme"]);
    expect(users.map((u) => u.firstName)).toEqual(["Member"]);
  });
});
