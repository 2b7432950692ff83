import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { runInComponent } from "convex-clerk-sync/test";
import { FOREIGN_SECRET, newBackend, SECRET } from "../test/convex";
// The engine's own reader of the pin (the clerkSync component's tables are not Roster's).
import { pinnedInstance } from "../packages/clerk-sync/src/component/webhooks/instance";
import { runWebhook, type WebhookDeps } from "./webhook";

let dir: string;
beforeEach(() => {
  // The deployment's secret (what convex-test's endpoint verifies with).
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  dir = mkdtempSync(join(tmpdir(), "roster-webhook-"));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function withEnvLocal(lines: string[]): void {
  writeFileSync(join(dir, ".env.local"), lines.join("\n"));
}

/** Runs `npm run webhook` against convex-test's real endpoint and records what it printed where. */
async function run(argv: string[], overrides: Partial<WebhookDeps> = {}) {
  const t = newBackend();
  const out: string[] = [];
  const err: string[] = [];
  const post = vi.fn<WebhookDeps["post"]>((target, init) => t.fetch(new URL(target).pathname, init));
  const secretFromDeployment = vi.fn<WebhookDeps["secretFromDeployment"]>(() => null);
  const exitCode = await runWebhook(argv, {
    cwd: dir,
    shellEnv: {},
    post,
    print: (line) => out.push(line),
    warn: (line) => err.push(line),
    now: () => Date.now(),
    secretFromDeployment,
    ...overrides,
  });
  return { exitCode, out: out.join("\n"), err, post, secretFromDeployment, t };
}

const URL_LINE = "VITE_CONVEX_URL=https://happy-otter-123.convex.cloud";

describe("npm run webhook and the deployment's Clerk instance", () => {
  test("an event it sends to a deployment with nothing pinned pins nothing (it carries no made-up instance)", async () => {
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`]);
    const { exitCode, t } = await run(["user.created"]);
    expect(exitCode).toBe(0);
    expect(await runInComponent(t, async (ctx) => await pinnedInstance(ctx))).toBeNull();
    const logged = await runInComponent(t, async (ctx) => await ctx.db.query("webhookEvents").collect());
    expect(logged.map((row) => row.outcome)).toEqual(["applied"]);
  });

  test("events carry CLERK_INSTANCE_ID (the shell's over .env.local's) when it is known, and --set instance_id wins", async () => {
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`, "CLERK_INSTANCE_ID=ins_2fromEnvLocal"]);
    expect((await run(["user.created", "--dry-run"])).out).toContain('"instance_id":"ins_2fromEnvLocal"');
    const shell = await run(["user.created", "--dry-run"], { shellEnv: { CLERK_INSTANCE_ID: "ins_2fromShell" } });
    expect(shell.out).toContain('"instance_id":"ins_2fromShell"');
    const set = await run(["user.created", "--dry-run", "--set", "instance_id=ins_2explicit"]);
    expect(set.out).toContain('"instance_id":"ins_2explicit"');
    expect(set.out).not.toContain("ins_2fromEnvLocal");
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`]);
    expect((await run(["user.created", "--dry-run"])).out).not.toContain("instance_id");
  });
});

describe("npm run webhook", () => {
  test("--dry-run prints the signed requests, sends nothing and exits 0", async () => {
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`]);
    const { exitCode, out, err, post, secretFromDeployment } = await run(["user.created", "--repeat", "--dry-run"]);
    expect(exitCode).toBe(0);
    expect(post).not.toHaveBeenCalled();
    expect(secretFromDeployment).not.toHaveBeenCalled();
    expect(out).toContain("POST https://happy-otter-123.convex.site/clerk-webhook  (catalog sample)");
    expect(out).toMatch(/^svix-signature: v1,\S+$/m);
    expect(out).toContain('"type":"user.created"');
    expect(out.split("\n").at(-1)).toBe("--dry-run: 2 request(s) signed, none sent.");
    expect(err).toEqual([]);
  });

  test("sends and exits 0 when every answer is 2xx, with no warning for a whsec_ secret", async () => {
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`]);
    const { exitCode, out, err } = await run(["user.created"]);
    expect(exitCode).toBe(0);
    expect(out).toMatch(/^200 applied\s+user\.created/m);
    expect(err).toEqual([]);
  });

  test("a secret without whsec_ is warned about on stderr, and still used", async () => {
    // The same key as the deployment's, without Clerk's prefix: Svix signs with it all the same.
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET.slice("whsec_".length)}`]);
    const { exitCode, out, err } = await run(["user.created"]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/from \.env\.local does not start with whsec_/);
    expect(out).toMatch(/^200 applied/m);
    expect(exitCode).toBe(0);
  });

  test("the shell's secret wins over .env.local's; a refused request exits 1", async () => {
    withEnvLocal([URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`]);
    const { exitCode, out } = await run(["user.created"], {
      shellEnv: { CLERK_WEBHOOK_SIGNING_SECRET: FOREIGN_SECRET },
    });
    expect(out).toMatch(/^401/m);
    expect(out).toContain("1 of 1 requests were not accepted.");
    expect(exitCode).toBe(1);
  });

  test("with no secret in the shell or .env.local it asks the deployment", async () => {
    withEnvLocal([URL_LINE]);
    const fromDeployment = vi.fn(() => SECRET);
    const { exitCode, err } = await run(["user.created"], { secretFromDeployment: fromDeployment });
    expect(fromDeployment).toHaveBeenCalledWith(dir);
    expect(err).toEqual([expect.stringMatching(/reading the deployment's \(npx convex env get\)/)]);
    expect(exitCode).toBe(0);
  });

  test.each([
    [
      "an unknown option",
      ["user.created", "--nope"],
      [URL_LINE, `CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`],
      /Unknown option --nope/,
    ],
    ["no deployment URL", ["user.created"], [`CLERK_WEBHOOK_SIGNING_SECRET=${SECRET}`], /VITE_CONVEX_URL is not set/],
    ["no secret anywhere", ["user.created"], [URL_LINE], /No signing secret/],
  ])("%s: exit 2, the reason on stderr, nothing sent", async (_label, argv, envLocal, reason) => {
    withEnvLocal(envLocal);
    const { exitCode, err, post } = await run(argv);
    expect(exitCode).toBe(2);
    expect(err.at(-1)).toMatch(reason);
    expect(post).not.toHaveBeenCalled();
  });

  test("--help documents --dry-run and the exit codes", async () => {
    const { exitCode, out } = await run(["--help"]);
    expect(exitCode).toBe(0);
    expect(out).toMatch(/--dry-run .*without\s+sending anything/s);
    expect(out).toMatch(/Exit codes: 0 .*\n\s+1 .*\n\s+2 /);
  });
});
