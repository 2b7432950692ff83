/**
 * The browser check (vitest project "browser", part of `npm test`): builds the app and a
 * test-only preview entry, serves them on 127.0.0.1 and drives headless Chromium through them.
 *
 * - The real app without keys shows the "not configured" screen; with keys but Clerk unreachable
 *   (every request off this machine is blocked), the "Clerk is unreachable" screen.
 * - The preview renders the real routes and views over answers recorded from the real Convex
 *   functions (scripts/browser/record.ts), and a screenshot of every view in every state is saved
 *   under artifacts/screenshots/ (git-ignored).
 * - No page may throw an uncaught error, and the app's build never contains the preview.
 *
 * Needs Debian's chromium (`apt-get install -y chromium`): without it the check fails under CI
 * and is skipped elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { SECRET } from "../test/convex";
import { buildApp, buildPreview, filesUnder, initialJsSize, ROOT } from "./browser/build";
import { recordScenarios } from "./browser/record";
import type { Recording, ScenarioName } from "./browser/recording";
import { serveStatic, type StaticServer } from "./browser/serve";

const CHROMIUM = "/usr/bin/chromium";
const MISSING_CHROMIUM = `Headless Chromium is missing (${CHROMIUM}). Install it with: apt-get update && apt-get install -y chromium`;
const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true" || process.env.CI === "1";

const WORK = join(ROOT, ".cache/browser-check");
const SHOTS = join(ROOT, "artifacts/screenshots");
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
/** A well-formed publishable key for a Clerk instance that does not exist. */
const UNREACHABLE_CLERK_KEY = `pk_test_${Buffer.from("clerk.roster-check.invalid$").toString("base64")}`;

if (!hasChromium) console.warn(`Browser check ${inCi ? "FAILS" : "skipped"}: ${MISSING_CHROMIUM}`);

test.runIf(!hasChromium && inCi)("chromium is installed for the browser check", () => {
  throw new Error(MISSING_CHROMIUM);
});

/** What each scenario must show (text that only the right state has). */
const EXPECTED: Record<ScenarioName, string[]> = {
  "profile-loaded": ["In sync with Clerk", "Ada Lovelace", "@ada", "United Kingdom"],
  "profile-empty": ["Syncing from Clerk…", "Grace Hopper"],
  "profile-error": ["Something went wrong"],
  "profile-loading": ["Loading your profile…"],
  "team-loaded": [
    "Analytical Engines",
    "Charles Babbage",
    "Pending invitations",
    "katherine@example.com",
    "engines.example",
    "Active now",
  ],
  "team-empty": ["You are not in a team yet"],
  "team-error": ["Not a member of this team"],
  "team-loading": ["Loading your organizations…"],
  "admin-loaded": [
    "Event log",
    "Needs attention",
    "paymentAttempt.created",
    "duplicate",
    "stale",
    "Waiting for Clerk: continues in",
    "rate limit was hit",
    "Earlier runs",
    "The provided secret key is invalid",
    "Messages Clerk sent",
    "katherine@example.com",
  ],
  "admin-empty": ["No webhook events yet", "Never", "Not configured: CLERK_SECRET_KEY is not set", "No messages yet"],
  "admin-error": ["Admins only"],
  "admin-loading": ["Loading the event log…", "Loading backfill runs…", "Loading messages…"],
  "admin-idle": ["Backfill and reconcile from Clerk", "Completed", "Start backfill"],
};

describe.skipIf(!hasChromium)("browser check (headless Chromium)", () => {
  let browser: Browser;
  let recording: Recording;
  const servers: Record<"app" | "unconfigured" | "preview", StaticServer | undefined> = {
    app: undefined,
    unconfigured: undefined,
    preview: undefined,
  };
  const server = (name: keyof typeof servers) => {
    const found = servers[name];
    if (!found) throw new Error(`the ${name} server did not start`);
    return found;
  };

  beforeAll(async () => {
    vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });

    recording = await recordScenarios();
    await buildApp(join(WORK, "app"), {
      VITE_CLERK_PUBLISHABLE_KEY: UNREACHABLE_CLERK_KEY,
      VITE_CONVEX_URL: "https://roster-check-404.convex.cloud",
    });
    await buildApp(join(WORK, "unconfigured"), {});
    await buildPreview(join(WORK, "preview"));
    writeFileSync(join(WORK, "preview/recording.json"), JSON.stringify(recording));

    servers.app = await serveStatic(join(WORK, "app"));
    servers.unconfigured = await serveStatic(join(WORK, "unconfigured"));
    servers.preview = await serveStatic(join(WORK, "preview"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (const running of Object.values(servers)) await running?.close();
    vi.unstubAllEnvs();
  });

  /** A page that can reach 127.0.0.1 only, and records uncaught errors and console errors. */
  async function openPage(viewport = DESKTOP) {
    const context: BrowserContext = await browser.newContext({ viewport, reducedMotion: "reduce" });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      return url.hostname === "127.0.0.1" ? route.continue() : route.abort("internetdisconnected");
    });
    const page: Page = await context.newPage();
    const uncaught: string[] = [];
    const consoleErrors: string[] = [];
    page.on("pageerror", (error) => uncaught.push(error.message));
    page.on("console", (message) => {
      // Pictures on Clerk's CDN cannot load here (this check blocks the internet); avatars fall back to initials.
      if (message.type() === "error" && !message.text().includes("net::ERR_INTERNET_DISCONNECTED"))
        consoleErrors.push(message.text());
    });
    return { page, uncaught, consoleErrors, close: () => context.close() };
  }

  test("the app's build holds no preview code or recorded data, and its initial JS size is known", () => {
    const files = filesUnder(join(WORK, "app"));
    const text = files
      .filter((file) => /\.(js|html)$/.test(file))
      .map((file) => readFileSync(join(WORK, "app", file), "utf8"))
      .join("\n");
    expect(text).not.toContain("recording.json");
    expect(text).not.toContain("not available in the preview");
    expect(text).not.toContain("Roster preview scenarios");
    expect(files.some((file) => file.includes("preview"))).toBe(false);

    const size = initialJsSize(join(WORK, "app"));
    expect(size.files.length).toBeGreaterThan(0);
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "artifacts/initial-js.json"), JSON.stringify(size, null, 2));
    console.info(
      `Initial JS: ${(size.bytes / 1024).toFixed(1)} kB, ${(size.gzipBytes / 1024).toFixed(1)} kB gzip (${size.files.join(", ")})`,
    );
  });

  test("without keys: the app says which variables to set", async () => {
    const { page, uncaught, close } = await openPage();
    await page.goto(server("unconfigured").url);
    await page.getByRole("heading", { name: "Roster is not configured yet" }).waitFor();
    const alert = await page.getByRole("alert").innerText();
    expect(alert).toContain("VITE_CLERK_PUBLISHABLE_KEY is not set");
    expect(alert).toContain("VITE_CONVEX_URL is not set");
    await page.screenshot({ path: join(SHOTS, "not-configured.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    await close();
  });

  test("Clerk unreachable: a clear screen, not an endless spinner", async () => {
    const { page, uncaught, close } = await openPage();
    await page.goto(`${server("app").url}/team`);
    await page.getByRole("heading", { name: "Clerk is unreachable" }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("alert").innerText()).toContain("VITE_CLERK_PUBLISHABLE_KEY");
    await page.screenshot({ path: join(SHOTS, "clerk-unreachable.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    await close();
  }, 45_000);

  test.each(Object.keys(EXPECTED) as ScenarioName[])(
    "%s renders the real view over recorded data",
    async (scenario) => {
      const { page, uncaught, consoleErrors, close } = await openPage();
      await page.goto(`${server("preview").url}/?scenario=${scenario}`);
      for (const text of EXPECTED[scenario]) {
        await page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
      }
      await page.screenshot({ path: join(SHOTS, `${scenario}.png`), fullPage: true });
      expect(uncaught).toEqual([]);
      // React reports the errors a boundary caught; any other state must log none.
      if (!scenario.endsWith("-error")) expect(consoleErrors).toEqual([]);
      await close();

      if (scenario.endsWith("-loaded")) {
        const phone = await openPage(PHONE);
        await phone.page.goto(`${server("preview").url}/?scenario=${scenario}`);
        await phone.page
          .getByText(EXPECTED[scenario][1] ?? "", { exact: false })
          .first()
          .waitFor();
        await phone.page.screenshot({ path: join(SHOTS, `${scenario}-phone.png`), fullPage: true });
        expect(phone.uncaught).toEqual([]);
        const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, "the page must not scroll sideways on a phone").toBeLessThanOrEqual(0);
        await phone.close();
      }
    },
  );

  test("profile: a rejected country shows the server's message on the field, from the keyboard", async () => {
    const { page, uncaught, close } = await openPage();
    await page.goto(`${server("preview").url}/?scenario=profile-loaded`);
    const country = page.getByLabel("Country");
    await country.fill("xx");
    await country.press("Enter");
    await page.getByText('"XX" is not a country code').waitFor();
    expect(await country.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("country");
    await page.screenshot({ path: join(SHOTS, "profile-invalid.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    await close();
  });

  test("keyboard: the first Tab reaches “Skip to content”, and the navigation is reachable", async () => {
    const { page, close } = await openPage();
    await page.goto(`${server("preview").url}/?scenario=team-loaded`);
    await page.getByText("Charles Babbage").first().waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const reached: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press("Tab");
      reached.push((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? "");
    }
    expect(reached).toEqual(expect.arrayContaining(["Profile", "Team", "Admin activity"]));
    await close();
  });

  test("admin: reconcile asks first in a modal dialog, from the keyboard; Escape starts nothing", async () => {
    const { page, uncaught, consoleErrors, close } = await openPage();
    await page.goto(`${server("preview").url}/?scenario=admin-idle`);
    const reconcile = page.getByRole("button", { name: "Reconcile…" });
    await reconcile.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Reconcile with Clerk?" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Start reconcile");
    await page.screenshot({ path: join(SHOTS, "admin-reconcile-confirm.png") });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Reconcile…");
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("the outcome filter is in the URL and keeps the failed event highlighted", async () => {
    expect(recording["admin-loaded"].queries["admin:eventLog"]?.status).toBe("ok");
    const { page, close } = await openPage();
    await page.goto(`${server("preview").url}/?scenario=admin-loaded`);
    const failed = page.getByRole("listitem", { name: /failed$/ });
    await failed.waitFor();
    expect(await failed.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
    await close();
  });
});
