/**
 * The browser check (vitest project "browser", part of `npm test`): builds the app and the
 * playground, serves them on 127.0.0.1 and drives headless Chromium through them.
 *
 * - The real app without keys shows the "not configured" screen; with keys but Clerk unreachable
 *   (every request off this machine is blocked), the "Clerk is unreachable" screen. Its build holds
 *   no playground code.
 * - The playground runs Roster's real views over its real Convex functions (in a Web Worker) with
 *   the simulated Clerk: every view loaded, empty and refused, on a desktop and a phone, and live
 *   updates — a Clerk event sent from the drawer through `POST /clerk-webhook` changes the view on
 *   screen, without a reload. Screenshots go to artifacts/screenshots/ (git-ignored).
 * - The real app with Clerk's scripts stood in for (nobody signed in) and Convex unreachable: the
 *   "Convex is unreachable" screen. Clerk's script blocked: "Clerk is unreachable" at once, with Retry.
 * - Every screen is photographed on a desktop and a phone, and scanned with axe-core: any serious or
 *   critical accessibility violation fails the check.
 * - Nothing leaves the machine in the playground: every request its pages and worker make is
 *   counted, and one to another origin than the playground's fails the check.
 * - The simulated account and team menus by keyboard (the menu button pattern); the drawer's failing
 *   event through "Retry failed events"; the playground's bar and drawer on a phone.
 * - The first visit's JS stays within INITIAL_JS_LIMIT_GZIP (written to artifacts/initial-js.json).
 * - No page may throw an uncaught error.
 *
 * Needs Debian's chromium (`apt-get install -y chromium`): without it the check fails under CI
 * and is skipped elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PLAYGROUND_LABEL, PLAYGROUND_SHORT_LABEL } from "../playground/config";
import { PEOPLE } from "../playground/seed";
import { describeFindings, scan } from "./browser/axe";
import { buildApp, buildPlayground, filesUnder, initialJsSize, ROOT } from "./browser/build";
import { CLERK_JS_STUB, CLERK_SCRIPT, CLERK_UI_STUB } from "./browser/clerkStub";
import { serveStatic, type StaticServer } from "./browser/serve";

const CHROMIUM = "/usr/bin/chromium";
const MISSING_CHROMIUM = `Headless Chromium is missing (${CHROMIUM}). Install it with: apt-get update && apt-get install -y chromium`;
const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true" || process.env.CI === "1";

const WORK = join(ROOT, ".cache/browser-check");
const SHOTS = join(ROOT, "artifacts/screenshots");
/** The most JS (gzip) a first visit may load before anything else: the landing page and Clerk's loader. */
const INITIAL_JS_LIMIT_GZIP = 125 * 1024;
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
/** A well-formed publishable key for a Clerk instance that does not exist. */
const UNREACHABLE_CLERK_KEY = `pk_test_${Buffer.from("clerk.roster-check.invalid$").toString("base64")}`;

const personId = (firstName: string) => {
  const person = PEOPLE.find((candidate) => candidate.firstName === firstName);
  if (!person) throw new Error(`no ${firstName} in the playground's sample world`);
  return person.id;
};
const ADA = personId("Ada");
const CHARLES = personId("Charles");
const KATHERINE = personId("Katherine");
const DOROTHY = personId("Dorothy");

if (!hasChromium) console.warn(`Browser check ${inCi ? "FAILS" : "skipped"}: ${MISSING_CHROMIUM}`);

test.runIf(!hasChromium && inCi)("chromium is installed for the browser check", () => {
  throw new Error(MISSING_CHROMIUM);
});

type View = { name: string; path: string; as: string; expected: string[] };

/** Every view in each state the sample world has, and text only that state shows. */
const VIEWS: View[] = [
  {
    name: "profile-loaded",
    path: "/profile",
    as: ADA,
    expected: ["Manage account", "Ada Lovelace", "@ada"],
  },
  {
    name: "team-loaded",
    path: "/team",
    as: ADA,
    expected: ["Analytical Engines", "Charles Babbage", "Active now", "Invitations", "Domains"],
  },
  {
    name: "admin-loaded",
    path: "/admin",
    as: ADA,
    expected: ["Event log", "paymentAttempt.created", "duplicate", "stale"],
  },
  {
    name: "admin-sync",
    path: "/admin?tab=sync",
    as: ADA,
    expected: ["Backfill and reconcile from Clerk", "Start backfill"],
  },
  {
    name: "admin-messages",
    path: "/admin?tab=messages",
    as: ADA,
    expected: ["Messages Clerk sent"],
  },
  {
    name: "profile-empty",
    path: "/profile",
    as: DOROTHY,
    expected: ["Finishing setting up your profile…", "Dorothy Vaughan"],
  },
  {
    name: "team-empty",
    path: "/team",
    as: KATHERINE,
    expected: ["Your invitations", "Analytical Engines", "Clerk has no way to decline", "You are not in a team yet"],
  },
  { name: "admin-refused", path: "/admin", as: CHARLES, expected: ["Only Roster’s operators see this page"] },
];

describe.skipIf(!hasChromium)("browser check (headless Chromium)", () => {
  let browser: Browser;
  const servers: Record<"app" | "unconfigured" | "playground", StaticServer | undefined> = {
    app: undefined,
    unconfigured: undefined,
    playground: undefined,
  };
  const server = (name: keyof typeof servers) => {
    const found = servers[name];
    if (!found) throw new Error(`the ${name} server did not start`);
    return found;
  };
  const playground = (path: string, as?: string) =>
    `${server("playground").url}${path}${as === undefined ? "" : `${path.includes("?") ? "&" : "?"}as=${as}`}`;

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });

    await buildApp(join(WORK, "app"), {
      VITE_CLERK_PUBLISHABLE_KEY: UNREACHABLE_CLERK_KEY,
      VITE_CONVEX_URL: "https://roster-check-404.convex.cloud",
    });
    await buildApp(join(WORK, "unconfigured"), {});
    await buildPlayground(join(WORK, "playground"));

    servers.app = await serveStatic(join(WORK, "app"));
    servers.unconfigured = await serveStatic(join(WORK, "unconfigured"));
    servers.playground = await serveStatic(join(WORK, "playground"));
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
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "artifacts/playground-requests.json"), JSON.stringify(playgroundRequests, null, 2));
    console.info(
      `Playground: ${playgroundRequests.total} requests, ${playgroundRequests.otherOrigins.length} to other origins${
        playgroundRequests.otherOrigins.length > 0
          ? ` (${[...new Set(playgroundRequests.otherOrigins)].join(", ")})`
          : ""
      }`,
    );
    await browser?.close();
    for (const running of Object.values(servers)) await running?.close();
  });

  /** Every request the playground's pages made, and those to another origin than the playground's. */
  const playgroundRequests = { total: 0, otherOrigins: [] as string[] };

  /**
   * A page that can reach 127.0.0.1 only, and records uncaught errors and console errors. With
   * `clerk: "stub"`, Clerk's scripts are answered by a stand-in (nobody signed in). With `origin`,
   * every request the page (and its worker) makes to another origin is recorded, blocked or not,
   * and `close()` fails when there was one: the playground promises that nothing leaves the machine.
   */
  async function openPage(
    viewport = DESKTOP,
    { clerk = "blocked", origin }: { clerk?: "blocked" | "stub"; origin?: string } = {},
  ) {
    const context: BrowserContext = await browser.newContext({ viewport, reducedMotion: "reduce" });
    const otherOrigins: string[] = [];
    if (origin !== undefined)
      context.on("request", (request) => {
        const url = new URL(request.url());
        if (url.protocol === "data:" || url.protocol === "blob:") return;
        playgroundRequests.total += 1;
        if (url.origin !== origin) otherOrigins.push(request.url());
      });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      return url.hostname === "127.0.0.1" ? route.continue() : route.abort("internetdisconnected");
    });
    if (clerk === "stub")
      await context.route(CLERK_SCRIPT, (route) =>
        route.fulfill({
          contentType: "text/javascript",
          body: route.request().url().includes("/@clerk/ui@") ? CLERK_UI_STUB : CLERK_JS_STUB,
        }),
      );
    // Convex's WebSocket to a deployment that is not there: refused, as an unreachable host would.
    await context.routeWebSocket(
      (url) => url.hostname !== "127.0.0.1",
      (socket) => socket.close({ code: 1006, reason: "unreachable" }),
    );
    const page: Page = await context.newPage();
    const uncaught: string[] = [];
    const consoleErrors: string[] = [];
    page.on("pageerror", (error) => uncaught.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().includes("net::ERR_INTERNET_DISCONNECTED"))
        consoleErrors.push(message.text());
    });
    const close = async () => {
      await context.close();
      playgroundRequests.otherOrigins.push(...otherOrigins);
      expect(otherOrigins, "requests from the playground to other origins").toEqual([]);
    };
    return { page, uncaught, consoleErrors, close };
  }

  /** A page of the playground: same as openPage, and nothing may be asked of another origin. */
  const openPlayground = (viewport = DESKTOP) =>
    openPage(viewport, { origin: new URL(server("playground").url).origin });

  /** Waits for every text, in order. */
  async function seeAll(page: Page, texts: string[], timeout = 20_000) {
    for (const text of texts)
      await page.getByText(text, { exact: false }).filter({ visible: true }).first().waitFor({ timeout });
  }

  /** Fails on any serious or critical accessibility finding, naming rule and element. */
  async function expectAccessible(page: Page, view: string) {
    const problems = describeFindings(await scan(page));
    expect(problems, `axe-core on ${view}:\n${problems.join("\n")}`).toEqual([]);
  }

  /**
   * Tabs through the page and lists the focused elements whose focus ring (outline beyond the
   * border box) is cut off by an ancestor that clips (overflow other than visible).
   */
  async function clippedFocusRings(page: Page, tabs = 30): Promise<string[]> {
    const clipped = new Set<string>();
    for (let i = 0; i < tabs; i += 1) {
      await page.keyboard.press("Tab");
      const found = await page.evaluate(() => {
        const element = document.activeElement;
        if (!(element instanceof HTMLElement) || element === document.body) return null;
        const style = getComputedStyle(element);
        if (style.outlineStyle === "none") return null;
        const reach = Math.max(0, parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth));
        const box = element.getBoundingClientRect();
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
          const clip = getComputedStyle(up);
          if (clip.overflowX === "visible" && clip.overflowY === "visible") continue;
          const edge = up.getBoundingClientRect();
          const cut =
            (clip.overflowX !== "visible" &&
              (box.left - reach < edge.left - 0.5 || box.right + reach > edge.right + 0.5)) ||
            (clip.overflowY !== "visible" &&
              (box.top - reach < edge.top - 0.5 || box.bottom + reach > edge.bottom + 0.5));
          // Scrolled out of view entirely is not a clipped ring; the browser scrolls it in.
          if (cut && box.right > edge.left && box.left < edge.right && box.bottom > edge.top && box.top < edge.bottom)
            return `${element.tagName.toLowerCase()} "${(element.textContent ?? "").trim().slice(0, 40)}" clipped by <${up.tagName.toLowerCase()} class="${up.getAttribute("class") ?? ""}">`;
        }
        return null;
      });
      if (found) clipped.add(found);
    }
    return [...clipped];
  }

  /** Opens `url` on a phone, waits for `ready`, photographs it, and checks nothing scrolls sideways. */
  async function onPhone(
    url: string,
    name: string,
    ready: (page: Page) => Promise<unknown>,
    options?: Parameters<typeof openPage>[1],
  ) {
    const inPlayground = url.startsWith(server("playground").url);
    const small = await openPage(PHONE, {
      ...options,
      ...(inPlayground ? { origin: new URL(server("playground").url).origin } : {}),
    });
    await small.page.goto(url);
    await ready(small.page);
    await small.page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    expect(small.uncaught).toEqual([]);
    const wide = await small.page.evaluate(() =>
      [...document.body.querySelectorAll("*")]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .filter((element) => getComputedStyle(element).position !== "fixed")
        // Inside a scroller (the navigation on a phone) is scrolled, not sticking out.
        .filter((element) => {
          for (let up = element.parentElement; up && up !== document.body; up = up.parentElement)
            if (getComputedStyle(up).overflowX !== "visible") return false;
          return true;
        })
        .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute("class") ?? ""}">`),
    );
    expect(wide, `${name}: nothing may stick out sideways on a phone`).toEqual([]);
    await small.close();
  }

  /** Marks the document, so a later `stillSamePage` proves no reload happened in between. */
  async function markPage(page: Page) {
    await page.evaluate(() => {
      (window as unknown as { rosterCheckMark: number }).rosterCheckMark = 42;
    });
  }
  async function stillSamePage(page: Page) {
    expect(await page.evaluate(() => (window as unknown as { rosterCheckMark?: number }).rosterCheckMark)).toBe(42);
  }

  test("the app's build holds no playground code, and its initial JS size is known", () => {
    const files = filesUnder(join(WORK, "app"));
    const text = files
      .filter((file) => /\.(js|html|css)$/.test(file))
      .map((file) => readFileSync(join(WORK, "app", file), "utf8"))
      .join("\n");
    // The marker is in the playground's build, so its absence from the app's means something.
    const playgroundText = filesUnder(join(WORK, "playground"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(join(WORK, "playground", file), "utf8"))
      .join("\n");
    expect(playgroundText).toContain(PLAYGROUND_LABEL);
    expect(text).not.toContain(PLAYGROUND_LABEL);
    expect(text).not.toContain("Clerk is simulated here");
    expect(text).not.toContain("No active convexTest context");
    expect(files.some((file) => file.includes("worker"))).toBe(false);

    const size = initialJsSize(join(WORK, "app"));
    expect(size.files.length).toBeGreaterThan(0);
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "artifacts/initial-js.json"), JSON.stringify(size, null, 2));
    console.info(
      `Initial JS: ${(size.bytes / 1024).toFixed(1)} kB, ${(size.gzipBytes / 1024).toFixed(1)} kB gzip (${size.files.join(", ")})`,
    );
    expect(size.gzipBytes, "initial JS (gzip) within budget").toBeLessThanOrEqual(INITIAL_JS_LIMIT_GZIP);
  });

  test("without keys: the app says which variables to set", async () => {
    const { page, uncaught, close } = await openPage();
    await page.goto(server("unconfigured").url);
    await page.getByRole("heading", { name: "Roster is not configured yet" }).waitFor();
    const alert = await page.getByRole("alert").innerText();
    expect(alert).toContain("VITE_CLERK_PUBLISHABLE_KEY is not set");
    expect(alert).toContain("VITE_CONVEX_URL is not set");
    await page.screenshot({ path: join(SHOTS, "not-configured.png"), fullPage: true });
    await expectAccessible(page, "not configured");
    expect(uncaught).toEqual([]);
    await close();
    await onPhone(server("unconfigured").url, "not-configured", (phone) =>
      phone.getByRole("heading", { name: "Roster is not configured yet" }).waitFor(),
    );
  });

  test("Clerk's script blocked: 'Clerk is unreachable' at once (not after the 15 s fallback), with a Retry that reloads", async () => {
    const { page, uncaught, close } = await openPage();
    const started = Date.now();
    await page.goto(`${server("app").url}/team`);
    await page.getByRole("heading", { name: "Clerk is unreachable" }).waitFor({ timeout: 30_000 });
    const seconds = (Date.now() - started) / 1000;
    console.info(`Clerk is unreachable shown after ${seconds.toFixed(1)} s`);
    expect(seconds, "the script's failure is heard, not timed out").toBeLessThan(8);
    expect(await page.getByRole("alert").innerText()).toContain("VITE_CLERK_PUBLISHABLE_KEY");
    expect(await page.title()).toBe("Clerk is unreachable · Roster");
    await page.screenshot({ path: join(SHOTS, "clerk-unreachable.png"), fullPage: true });
    await expectAccessible(page, "Clerk unreachable");

    await markPage(page);
    await page.getByRole("button", { name: "Retry" }).click();
    await page.waitForFunction(() => (window as unknown as { rosterCheckMark?: number }).rosterCheckMark === undefined);
    await page.getByRole("heading", { name: "Clerk is unreachable" }).waitFor({ timeout: 30_000 });
    expect(uncaught).toEqual([]);
    await close();
    await onPhone(`${server("app").url}/team`, "clerk-unreachable", (phone) =>
      phone.getByRole("heading", { name: "Clerk is unreachable" }).waitFor({ timeout: 30_000 }),
    );
  }, 90_000);

  test("Convex unreachable: Clerk loads, Convex never answers; the screen says which URL to check", async () => {
    const { page, uncaught, close } = await openPage(DESKTOP, { clerk: "stub" });
    await page.goto(server("app").url);
    await page.getByRole("heading", { name: "Convex is unreachable" }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("alert").innerText()).toContain("roster-check-404.convex.cloud");
    await page.screenshot({ path: join(SHOTS, "convex-unreachable.png"), fullPage: true });
    await expectAccessible(page, "Convex unreachable");
    expect(uncaught).toEqual([]);
    await close();
    await onPhone(
      server("app").url,
      "convex-unreachable",
      (phone) => phone.getByRole("heading", { name: "Convex is unreachable" }).waitFor({ timeout: 30_000 }),
      { clerk: "stub" },
    );
  }, 90_000);

  test("signed out: the landing page says what Roster is, next to Clerk's sign-in", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/"));
    await page.getByRole("heading", { level: 1, name: "Your team, in step with Clerk. Live." }).waitFor();
    await seeAll(page, ["keeps your people, roles and invitations in sync", "Exactly once"]);
    await page.getByRole("button", { name: /Sign in as Ada Lovelace/ }).waitFor();
    expect(await page.title()).toBe("Sign in · Roster");
    await page.screenshot({ path: join(SHOTS, "landing.png"), fullPage: true });
    await expectAccessible(page, "landing");
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
    await onPhone(playground("/"), "landing", (phone) =>
      phone.getByRole("button", { name: /Sign in as Ada Lovelace/ }).waitFor(),
    );
  });

  test("playground: labelled, signed out on the landing page; sign in as anyone, switch organizations, sign out", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/"));
    await seeAll(page, [
      PLAYGROUND_LABEL,
      "Your team, in step with Clerk. Live.",
      "Sample world loaded",
      "npm run setup",
    ]);
    await page.screenshot({ path: join(SHOTS, "playground-sign-in.png"), fullPage: true });

    await page.getByRole("button", { name: /Sign in as Grace Hopper/ }).click();
    await seeAll(page, ["Grace Hopper", "Manage account"]);
    await page.getByRole("button", { name: "Team: Analytical Engines" }).click();
    await page.getByRole("menuitemradio", { name: "Difference Lab" }).click();
    // Clerk's switcher goes to the team page; the team is the one just chosen.
    await page.getByRole("heading", { name: "Difference Lab" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "playground-switched.png"), fullPage: true });

    await page.getByRole("button", { name: "Account: Grace Hopper" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Sign in as Ada Lovelace/ }).waitFor();
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test.each(VIEWS)(
    "$name: the real view over the real functions",
    async ({ name, path, as, expected }) => {
      const { page, uncaught, consoleErrors, close } = await openPlayground();
      await page.goto(playground(path, as));
      await seeAll(page, [PLAYGROUND_LABEL, ...expected]);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      await expectAccessible(page, name);
      expect(uncaught).toEqual([]);
      // React reports the errors a boundary caught; any other state must log none.
      if (!name.endsWith("-refused")) expect(consoleErrors).toEqual([]);
      await close();
      await onPhone(playground(path, as), name, (phone) => seeAll(phone, expected));
    },
    60_000,
  );

  test.each([
    { view: "team", path: "/team", ready: "Charles Babbage", viewport: DESKTOP },
    { view: "team on a phone", path: "/team", ready: "Charles Babbage", viewport: PHONE },
    { view: "admin", path: "/admin", ready: "Event log", viewport: DESKTOP },
    { view: "profile on a phone", path: "/profile", ready: "Manage account", viewport: PHONE },
  ])("focus rings are never clipped: $view, tabbing through", async ({ path, ready, viewport }) => {
    const { page, close } = await openPlayground(viewport);
    await page.goto(playground(path, ADA));
    await seeAll(page, [ready]);
    expect(await clippedFocusRings(page)).toEqual([]);
    await close();
  });

  test("page titles name the page, and the team page its organization", async () => {
    const { page, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    expect(await page.title()).toBe("Team · Analytical Engines · Roster");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
    await seeAll(page, ["Manage account"]);
    expect(await page.title()).toBe("Profile · Roster");
    await close();
  });

  test("team: invitations and domains tabs; invite → Saving… → webhook → pending; the invitee accepts → member", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await markPage(page);
    await page.getByRole("tab", { name: "Domains" }).click();
    await page.getByRole("list", { name: "Domains" }).getByText("engines.example", { exact: true }).waitFor();
    await page.getByRole("tab", { name: "Invitations" }).click();
    const pending = page.getByRole("list", { name: "Pending invitations" });
    await pending.getByText("katherine@example.com").waitFor();

    const panel = page.getByRole("tabpanel");
    await panel.getByLabel("Email addresses").fill("emmy@example.com");
    await panel.getByLabel("Role").selectOption({ label: "Member" });
    await panel.getByRole("button", { name: "Send invitations" }).click();
    // The simulated Clerk sends organizationInvitation.created a moment later, as Clerk does.
    await panel.getByText("Inviting emmy@example.com: Saving…").waitFor();
    await page.screenshot({ path: join(SHOTS, "invite-saving.png"), fullPage: true });
    await pending.getByText("emmy@example.com").first().waitFor();
    await panel.getByText(/Saving…/).waitFor({ state: "detached" });
    await page.screenshot({ path: join(SHOTS, "invite-pending.png"), fullPage: true });
    await expectAccessible(page, "invite pending");

    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: "Show pending invitations" }).click();
    await page.getByRole("button", { name: "emmy@example.com accepts" }).click();
    await page
      .getByRole("list", { name: "Deliveries" })
      .getByText("200 applied · organizationMembership.created")
      .waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("tab", { name: "Members" }).click();
    await page
      .getByRole("list", { name: "Members" })
      .getByText(/emmy@example\.com|Emmy/)
      .first()
      .waitFor();
    await stillSamePage(page);
    await page.screenshot({ path: join(SHOTS, "invite-accepted.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("team: several addresses at once, duplicates caught before Clerk, revoke asks first", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("tab", { name: "Invitations" }).click();
    const panel = page.getByRole("tabpanel");
    const pending = panel.getByRole("list", { name: "Pending invitations" });
    await pending.getByText("katherine@example.com").waitFor();
    await panel.getByLabel("Email addresses").fill("katherine@example.com, charles@example.com\nemmy@example.com");
    const known = panel.getByRole("list", { name: "Already on the team" });
    await known.getByText("charles@example.com: already a member").waitFor();
    await known.getByText("katherine@example.com: already invited").waitFor();
    await page.screenshot({ path: join(SHOTS, "invite-several-typed.png"), fullPage: true });
    await panel.getByLabel("Role").selectOption({ label: "Admin" });
    await panel.getByRole("button", { name: "Send invitations" }).click();
    const results = panel.getByRole("list", { name: "Invitation results" });
    await results.getByText(/already a member of this team; not sent/).waitFor();
    await results.getByRole("button", { name: "Resend the invitation to katherine@example.com" }).waitFor();
    await results.getByText("Inviting emmy@example.com: Saving…").waitFor();
    // The form is ready for the next one, its role back to Member.
    expect(await panel.getByLabel("Role").inputValue()).toBe("org:member");
    await results.getByText(": invited.").waitFor();
    await page.screenshot({ path: join(SHOTS, "invite-several-results.png"), fullPage: true });
    await expectAccessible(page, "invite results");

    // Typed again, she is already invited: the form says so before anything is sent.
    await panel.getByLabel("Email addresses").fill("Emmy@Example.com");
    await known.getByText("emmy@example.com: already invited").waitFor();

    await pending.getByRole("button", { name: "Revoke the invitation to emmy@example.com" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke the invitation to emmy@example.com?" });
    await dialog.getByText(/cannot be restored/).waitFor();
    await page.screenshot({ path: join(SHOTS, "invite-revoke-confirm.png"), fullPage: true });
    await expectAccessible(page, "revoke confirmation");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await pending.getByText("emmy@example.com").waitFor();
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("team: a step down that would leave no admin is stopped, by Roster's check or Clerk's rule behind it", async () => {
    const { page, uncaught, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Mary Somerville"]);
    // Ada makes Mary, the other admin, a member, then leaves at once: Clerk already knows Mary is a
    // member; Roster learns it only when the webhook lands a moment later. Whichever answers first —
    // Roster's check or Clerk's own rule (then in Clerk's words) — the team keeps its admin.
    await page.getByLabel("Role of Mary Somerville").selectOption({ label: "Member" });
    await page.getByRole("button", { name: "Leave team" }).click();
    const confirm = page.getByRole("dialog", { name: "Leave Analytical Engines?" });
    const explained = page.getByRole("dialog", { name: "Someone has to keep Analytical Engines" });
    await confirm.or(explained).waitFor();
    if (await confirm.isVisible()) await confirm.getByRole("button", { name: "Leave team" }).click();
    await explained.waitFor();
    await page.getByRole("heading", { name: "Analytical Engines", exact: true }).waitFor();
    expect(uncaught).toEqual([]);
    await close();
  }, 60_000);

  test("team: requests to join come from Clerk's SDK; Accept settles on Clerk's answer, the member follows by webhook", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await page.getByRole("button", { name: "Team: Analytical Engines" }).click();
    await page.getByRole("menuitemradio", { name: "Difference Lab" }).click();
    await page.getByRole("heading", { name: "Difference Lab" }).waitFor();
    await page.getByRole("tab", { name: "Requests" }).click();
    const requests = page.getByRole("list", { name: "Requests to join" });
    await requests.getByText("Charles Babbage").first().waitFor();
    await page.screenshot({ path: join(SHOTS, "team-requests.png"), fullPage: true });
    await expectAccessible(page, "requests to join");
    await requests.getByRole("button", { name: "Accept Charles Babbage" }).click();
    await page.getByText(/Charles Babbage is accepted/).waitFor();
    await page.getByText("No requests to join").waitFor();
    await page.getByRole("tab", { name: "Members" }).click();
    await page.getByRole("list", { name: "Members" }).getByText("Charles Babbage").first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, "team-request-accepted.png"), fullPage: true });
    // A new request from the drawer: Clerk keeps it (no webhook); Refresh reads it through the SDK.
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: /^Someone asks to join/ }).click();
    await page.getByText(/Applicant 1 asked to join/).waitFor();
    // The drawer sits beside the page on a desktop: the page's tabs stay in reach.
    await page.getByRole("tab", { name: "Requests" }).click();
    await page.getByRole("tabpanel").getByRole("button", { name: "Refresh" }).click();
    await page.getByRole("list", { name: "Requests to join" }).getByText("Applicant 1").first().waitFor();
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
    await onPhone(playground("/team", ADA), "team-requests", async (phone) => {
      await phone.getByRole("button", { name: "Team: Analytical Engines" }).click();
      await phone.getByRole("menuitemradio", { name: "Difference Lab" }).click();
      await phone.getByRole("tab", { name: "Requests" }).click();
      await phone.getByRole("list", { name: "Requests to join" }).getByText("Charles Babbage").first().waitFor();
    });
  }, 90_000);

  test("an invited person sees her invitation on the team page and in the switcher, dismisses it, and joins", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", KATHERINE));
    const mine = page.getByRole("list", { name: "Your invitations" });
    await mine.getByText("Analytical Engines").waitFor();
    // Clerk's switcher lists her invitations too, with Join.
    await page.getByRole("button", { name: "Team: Personal account" }).click();
    await page.getByRole("menuitem", { name: "Join Analytical Engines" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "switcher-invitations.png"), fullPage: true });
    await expectAccessible(page, "switcher with invitations");
    await page.keyboard.press("Escape");

    await mine
      .getByRole("button", { name: "Dismiss the invitation to Analytical Engines (hides it here only)" })
      .click();
    await page.getByRole("button", { name: "Show dismissed invitations (1)" }).click();
    await page.getByRole("button", { name: "Restore the invitation to Analytical Engines" }).click();
    await mine.getByRole("button", { name: "Join Analytical Engines" }).click();
    await page.getByText("Joining Analytical Engines: Saving…").waitFor();
    await page.getByRole("heading", { name: "Analytical Engines" }).waitFor({ timeout: 20_000 });
    await page.getByRole("list", { name: "Members" }).getByText("Katherine Johnson").first().waitFor();
    await page.screenshot({ path: join(SHOTS, "invitation-joined.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("live: user.updated from the drawer renames Ada on her profile, without a reload", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/profile", ADA));
    await seeAll(page, ["Manage account", "Ada Lovelace"]);
    await markPage(page);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByLabel("First name").fill("Augusta Ada");
    await page.getByRole("button", { name: "Send user.updated (rename in Clerk)" }).click();
    await page.getByRole("list", { name: "Deliveries" }).getByText("200 applied · user.updated").waitFor();
    await page.getByRole("heading", { name: "Augusta Ada Lovelace" }).waitFor();
    await stillSamePage(page);
    await page.screenshot({ path: join(SHOTS, "live-profile-renamed.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("live: a membership event adds a member to the team page, and a duplicate delivery is logged as one", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await markPage(page);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: "Send: a newcomer joins Analytical Engines" }).click();
    await page.getByText("Newcomer 1").first().waitFor({ timeout: 20_000 });

    await page.getByLabel("Event type").selectOption("organization.updated");
    await page.getByLabel("Deliver twice").check();
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const deliveries = page.getByRole("list", { name: "Deliveries" });
    await deliveries.getByText("200 duplicate · organization.updated").waitFor();
    await stillSamePage(page);
    await page.screenshot({ path: join(SHOTS, "live-team-joined.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("live: Charles leaves the team in Clerk; his team page says he is no longer a member", async () => {
    const { page, uncaught, close } = await openPlayground();
    await page.goto(playground("/team", CHARLES));
    await seeAll(page, ["Analytical Engines", "Mary Somerville"]);
    await markPage(page);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: /Send organizationMembership.deleted/ }).click();
    await seeAll(page, ["You are not a member of this team"]);
    await stillSamePage(page);
    await page.screenshot({ path: join(SHOTS, "live-team-left.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    await close();
  });

  test("live: scenarios from the drawer (out of order; a team of N members) answer as documented", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/admin", ADA));
    await seeAll(page, ["Event log"]);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByLabel("Event type").selectOption("user.updated");
    await page.getByLabel("Scenario").selectOption("out-of-order");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const deliveries = page.getByRole("list", { name: "Deliveries" });
    await deliveries.getByText("200 stale · user.created").waitFor();
    await page.getByLabel("Scenario").selectOption("team");
    await page.getByRole("spinbutton", { name: "Members" }).fill("3");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await deliveries.getByText("member 3 joins").waitFor();
    expect(await deliveries.getByText("200 applied · organizationMembership.created").count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, "live-admin-scenarios.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("admin: reconcile asks first in a modal dialog, from the keyboard; Escape starts nothing", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/admin?tab=sync", ADA));
    const reconcile = page.getByRole("button", { name: "Reconcile…" });
    await reconcile.waitFor();
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

  test("live: a backfill from the simulated Clerk runs to the end and brings in Dorothy", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/admin?tab=sync", ADA));
    await page.getByRole("button", { name: "Start backfill" }).click();
    await seeAll(page, ["Completed"], 45_000);
    await page.screenshot({ path: join(SHOTS, "live-admin-backfill.png"), fullPage: true });
    // Same tab, same deployment: Dorothy signs in and her profile came from Clerk's API.
    await page.getByRole("button", { name: "Account: Ada Lovelace" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("button", { name: /Sign in as Dorothy Vaughan/ }).click();
    await seeAll(page, ["Dorothy Vaughan", "Manage account", "dorothy@example.com"]);
    // Her row came from Clerk's API: the profile is set up, nothing is still "finishing".
    expect(await page.getByText("Finishing setting up your profile…").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "live-backfill-dorothy.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("profile: the country picker from the keyboard, saved through the real mutation", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/profile", ADA));
    await seeAll(page, ["Manage account"]);
    const country = page.getByRole("combobox", { name: "Country" });
    await country.focus();
    await page.keyboard.type("united k");
    await page.getByRole("listbox", { name: "Countries" }).getByRole("option").first().waitFor();
    await page.keyboard.press("Enter");
    expect(await country.inputValue()).toBe("United Kingdom");
    await page.screenshot({ path: join(SHOTS, "profile-country-picker.png"), fullPage: true });
    await page.getByRole("button", { name: "Save changes" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("Saved.").waitFor();
    await expectAccessible(page, "profile after saving");
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("keyboard: after the playground's bar, the first Tab reaches “Skip to content”, and the navigation is reachable", async () => {
    const { page, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("button", { name: "Clerk events" }).focus();
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

  test("keyboard: the team and account menus are menu buttons (arrows, Escape back to the button); the account page opens", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/profile", ADA));
    await seeAll(page, ["Manage account", "Ada Lovelace"]);
    const focused = () =>
      page.evaluate(() => ({
        role: document.activeElement?.getAttribute("role") ?? null,
        text: document.activeElement?.textContent?.trim() ?? "",
      }));

    const switcher = page.getByRole("button", { name: "Team: Analytical Engines" });
    // Her teams come from a live query after sign-in: wait until the switcher lists both before
    // counting keystrokes (on a busy machine the first open can beat the query).
    await switcher.click();
    await page.getByRole("menuitemradio", { name: "Difference Lab" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("menu").waitFor({ state: "detached" });
    await switcher.focus();
    await page.keyboard.press("ArrowDown");
    await page.getByRole("menu", { name: "Switch team" }).waitFor();
    expect(await focused()).toEqual({ role: "menuitemradio", text: "Analytical Engines" });
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toEqual({ role: "menuitemradio", text: "Difference Lab" });
    await page.screenshot({ path: join(SHOTS, "menu-switcher-keyboard.png") });
    await expectAccessible(page, "team switcher open");
    await page.keyboard.press("Escape");
    await page.getByRole("menu").waitFor({ state: "detached" });
    expect(await switcher.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await switcher.getAttribute("aria-expanded")).toBe("false");
    // Enter opens it; ↓ then Enter switches, and focus is back on the button.
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Difference Lab" }).waitFor();
    const switched = page.getByRole("button", { name: "Team: Difference Lab" });
    expect(await switched.evaluate((element) => element === document.activeElement)).toBe(true);

    const account = page.getByRole("button", { name: "Account: Ada Lovelace" });
    await account.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("menu", { name: "Account" }).waitFor();
    expect(await focused()).toEqual({ role: "menuitem", text: "Manage account" });
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toEqual({ role: "menuitem", text: "Sign out" });
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toEqual({ role: "menuitem", text: "Manage account" });
    await page.screenshot({ path: join(SHOTS, "menu-account-keyboard.png") });
    await expectAccessible(page, "account menu open");
    await page.keyboard.press("Escape");
    expect(await account.evaluate((element) => element === document.activeElement)).toBe(true);

    // "Manage account" opens the simulated account page; Escape closes it, back on the button.
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Your account" });
    await dialog.waitFor();
    await dialog.getByText("ada@example.com").waitFor();
    await dialog.getByText(/Clerk is simulated here/).waitFor();
    await page.screenshot({ path: join(SHOTS, "account-dialog.png") });
    await expectAccessible(page, "account dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await account.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("live: a rename from the drawer shows in the header's account button too", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/profile", ADA));
    await seeAll(page, ["Manage account", "Ada Lovelace"]);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByLabel("First name").fill("Augusta Ada");
    await page.getByRole("button", { name: "Send user.updated (rename in Clerk)" }).click();
    await page.getByRole("heading", { name: "Augusta Ada Lovelace" }).waitFor();
    await page.getByRole("button", { name: "Account: Augusta Ada Lovelace" }).waitFor();
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("live: the drawer's failing event is kept as failed; Retry failed events tries it again; the corrected delivery applies", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/admin", ADA));
    await seeAll(page, ["Event log", "No failed events to retry."]);
    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: "Send an event that fails to apply" }).click();
    const deliveries = page.getByRole("list", { name: "Deliveries" });
    await deliveries.getByText("500 failed · organizationMembership.created").waitFor();
    await page.getByRole("button", { name: "Close Clerk events" }).click();

    const failedRow = page.getByRole("listitem", { name: "organizationMembership.created, failed" });
    await failedRow
      .getByText(/no public_user_data\.user_id/)
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Retry failed events" }).click();
    // The kept payload is what failed: with no fix deployed, it fails again.
    await page.getByText(/Last retry, .*: 1\sevent retried, 0 applied, 1 still failing\./).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, "admin-retry-still-failing.png"), fullPage: true });
    await expectAccessible(page, "admin after a retry");

    await page.getByRole("button", { name: "Clerk events" }).click();
    await page.getByRole("button", { name: "Send it again, corrected" }).click();
    await deliveries.getByText("200 applied · organizationMembership.created").waitFor();
    await page.getByRole("button", { name: "Close Clerk events" }).click();
    await page.getByText("No failed events to retry.").waitFor();
    expect(await failedRow.count()).toBe(0);
    await page.getByRole("listitem", { name: "organizationMembership.created, applied" }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, "admin-failed-then-applied.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    // The deployment logs each failed attempt (the first delivery, the retry), as Convex would; nothing else.
    const kept = (message: string) => message.includes("failed to apply and is kept for a retry");
    expect(consoleErrors.filter(kept)).toHaveLength(2);
    expect(consoleErrors.filter((message) => !kept(message))).toEqual([]);
    await close();
  }, 60_000);

  test("phone: the playground's bar is one short line, and the open drawer leaves the page in view", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground(PHONE);
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    const bar = page.getByRole("complementary", { name: "Playground" });
    await bar.getByText(PLAYGROUND_SHORT_LABEL).waitFor();
    const barBox = await bar.boundingBox();
    expect(barBox?.height ?? Infinity, "the bar is one line on a phone").toBeLessThanOrEqual(40);
    await page.screenshot({ path: join(SHOTS, "phone-playground-bar.png") });

    await page.getByRole("button", { name: "Clerk events" }).click();
    const drawer = page.getByRole("complementary", { name: "Clerk events" });
    await drawer.waitFor();
    const drawerBox = await drawer.boundingBox();
    expect(drawerBox?.y ?? 0, "the drawer covers at most the lower 60 % of the screen").toBeGreaterThanOrEqual(
      PHONE.height * 0.4,
    );
    // The page stays on screen above the drawer: the team's name, and the header's switcher.
    const team = await page.getByRole("heading", { name: "Analytical Engines", exact: true }).boundingBox();
    expect(team !== null && team.y + team.height <= (drawerBox?.y ?? 0)).toBe(true);
    await page.screenshot({ path: join(SHOTS, "phone-drawer-open.png") });
    await expectAccessible(page, "phone with the drawer open");
    // Its end scrolls clear of the drawer.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.screenshot({ path: join(SHOTS, "phone-drawer-open-scrolled.png") });
    await drawer.getByRole("button", { name: "Send: a newcomer joins Analytical Engines" }).click();
    await page.getByText("Newcomer 1").first().waitFor({ timeout: 20_000 });
    await drawer.getByRole("button", { name: "Close Clerk events" }).click();
    await drawer.waitFor({ state: "detached" });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("profile: the birthday field offers 1900-01-01 to today, and a date typed outside it is refused in the field's format", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/profile", ADA));
    await seeAll(page, ["Manage account"]);
    const birthday = page.getByLabel("Birthday");
    expect(await birthday.getAttribute("min")).toBe("1900-01-01");
    const max = await birthday.getAttribute("max");
    expect(max !== null && max <= new Date().toISOString().slice(0, 10)).toBe(true);
    // Chromium's date field in en-US reads mm/dd/yyyy; the keyboard can still type a year before 1900.
    await birthday.focus();
    await page.keyboard.type("12101850");
    expect(await birthday.inputValue()).toBe("1850-12-10");
    await page.getByRole("button", { name: "Save changes" }).click();
    const [year, month, day] = (max ?? "").split("-");
    await page.getByText(`Choose a date between 01/01/1900 and today (${month}/${day}/${year}).`).waitFor();
    expect(await birthday.getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: join(SHOTS, "profile-birthday-refused.png"), fullPage: true });
    await expectAccessible(page, "profile with a refused birthday");
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });

  test("phone: a name cut off by the width shows in full on hover (title) and on keyboard focus", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground(PHONE);
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("button", { name: "Clerk events" }).click();
    const long = { first: "Augusta Ada", last: "King-Noel, Countess of Lovelace, née Byron" };
    await page.getByLabel("First name").fill(long.first);
    await page.getByLabel("Last name").fill(long.last);
    await page.getByRole("button", { name: "Send user.updated (rename in Clerk)" }).click();
    await page.getByRole("list", { name: "Deliveries" }).getByText("200 applied · user.updated").waitFor();
    await page.getByRole("button", { name: "Close Clerk events" }).click();
    const fullName = `${long.first} ${long.last}`;
    const name = page.getByRole("list", { name: "Members" }).getByText(fullName, { exact: true });
    await name.waitFor();
    expect(await name.getAttribute("title")).toBe(fullName);
    // Cut off on a phone, so it takes focus (Tab), and shows whole (wrapped) while it has it.
    await page.waitForFunction((text) => {
      const element = [...document.querySelectorAll("[title]")].find((candidate) => candidate.textContent === text);
      return element?.getAttribute("tabindex") === "0";
    }, fullName);
    const cutHeight = (await name.boundingBox())?.height ?? 0;
    await name.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);
    expect((await name.boundingBox())?.height ?? 0).toBeGreaterThan(cutHeight * 1.5);
    await page.screenshot({ path: join(SHOTS, "phone-long-name-focused.png") });
    // The header's account button names the person in full too.
    await page.getByRole("button", { name: `Account: ${fullName}` }).waitFor();
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  });
  /** Whether `locator`'s element has the focus. */
  const hasFocus = (locator: ReturnType<Page["getByRole"]>) =>
    locator.evaluate((element) => element === document.activeElement);

  /** A 2×2 PNG, as a logo to upload. */
  const TINY_PNG = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGNgYPj/n4GBgYGBgYEBAAkIAf9Y9wKSAAAAAElFTkSuQmCC",
    "base64",
  );

  test("team settings: rename and a logo through Clerk, Saving… until the webhook; on a phone too", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("tab", { name: "Settings" }).click();
    const panel = page.getByRole("tabpanel");
    await panel.getByLabel("Team name").fill("Analytical Society");
    await panel.getByLabel("Slug").fill("analytical-society");
    await panel.getByRole("button", { name: "Save" }).click();
    await panel.getByText("Renaming the team to Analytical Society: Saving…").waitFor();
    await page.screenshot({ path: join(SHOTS, "team-settings-saving.png"), fullPage: true });
    await page.getByRole("heading", { name: "Analytical Society" }).waitFor();
    await page.getByText("analytical-society", { exact: true }).first().waitFor();
    await panel.getByText(/Saving…/).waitFor({ state: "detached" });
    // The simulated switcher follows Clerk's new name.
    await page.getByRole("button", { name: "Team: Analytical Society" }).waitFor();

    await panel
      .getByLabel("Upload a logo")
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: TINY_PNG });
    await panel.getByText("Changing the logo: Saving…").waitFor();
    await panel.getByRole("button", { name: "Remove logo" }).waitFor();
    await panel.getByText(/Saving…/).waitFor({ state: "detached" });
    await page.screenshot({ path: join(SHOTS, "team-settings.png"), fullPage: true });
    await expectAccessible(page, "team settings");
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();

    const phone = await openPlayground(PHONE);
    await phone.page.goto(playground("/team", ADA));
    await seeAll(phone.page, ["Charles Babbage"]);
    await phone.page.getByRole("tab", { name: "Settings" }).click();
    await phone.page.getByRole("button", { name: "Delete Analytical Engines…" }).waitFor();
    await phone.page.screenshot({ path: join(SHOTS, "team-settings-phone.png"), fullPage: true });
    await expectAccessible(phone.page, "team settings on a phone");
    await phone.close();
  }, 60_000);

  test("verified domains: add, verify with the code from the drawer, choose the mode, remove", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("tab", { name: "Domains" }).click();
    const panel = page.getByRole("tabpanel");
    await panel.getByLabel("Add a domain").fill("lovelace.example");
    await panel.getByRole("button", { name: "Add domain" }).click();
    await panel.getByText("Adding lovelace.example: Saving…").waitFor();
    const list = panel.getByRole("list", { name: "Domains" });
    await list.getByText("lovelace.example", { exact: true }).waitFor();
    await panel.getByText(/Saving…/).waitFor({ state: "detached" });

    await list.getByRole("button", { name: "Verify lovelace.example" }).click();
    await list.getByLabel("Your email address at lovelace.example").fill("ada@lovelace.example");
    await list.getByRole("button", { name: "Send code" }).click();
    const codeField = list.getByLabel("Code sent to ada@lovelace.example");
    await codeField.waitFor();
    // The code Clerk emailed: the drawer shows it, as nothing leaves the machine.
    await page.getByRole("button", { name: "Clerk events" }).click();
    const codes = page.getByRole("list", { name: "Domain verification codes" });
    await codes.getByText("lovelace.example", { exact: true }).waitFor();
    await page.screenshot({ path: join(SHOTS, "domain-code-in-drawer.png"), fullPage: true });
    const code = (await codes.locator("strong").first().textContent())?.trim() ?? "";
    expect(code).toMatch(/^\d{6}$/);
    await page.getByRole("button", { name: "Close Clerk events" }).click();
    await codeField.fill(code);
    await list.getByRole("button", { name: "Verify", exact: true }).click();
    await list.getByText("Verifying lovelace.example: Saving…").waitFor();
    const mode = list.getByLabel("Enrollment mode for lovelace.example");
    await mode.waitFor();
    await mode.selectOption("automatic_suggestion");
    await list.getByRole("button", { name: "Save mode for lovelace.example" }).click();
    await list.getByText("Setting lovelace.example to Automatic suggestion: Saving…").waitFor();
    await list.getByText(/Saving…/).waitFor({ state: "detached" });
    await page.screenshot({ path: join(SHOTS, "domains-managed.png"), fullPage: true });
    await expectAccessible(page, "domains, managed");

    const remove = list.getByRole("button", { name: "Remove lovelace.example" });
    await remove.click();
    const dialog = page.getByRole("dialog", { name: "Remove lovelace.example?" });
    await dialog.waitFor();
    // Escape keeps the domain, and the focus is back on the button that opened the question.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Remove lovelace.example");
    await remove.click();
    await dialog.getByRole("button", { name: "Remove domain" }).click();
    await list.getByText("lovelace.example", { exact: true }).waitFor({ state: "detached" });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("the last admin: Leave explains the rule and offers the ways out; Escape returns to Leave", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    // Ada is Difference Lab's only admin.
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("button", { name: "Team: Analytical Engines" }).click();
    await page.getByRole("menuitemradio", { name: "Difference Lab" }).click();
    await page.getByRole("heading", { name: "Difference Lab" }).waitFor();
    await seeAll(page, ["You are the only one who may manage this team"]);
    const leave = page.getByRole("button", { name: "Leave team" });
    await leave.click();
    const dialog = page.getByRole("dialog", { name: "Someone has to keep Difference Lab" });
    await dialog.waitFor();
    await page.screenshot({ path: join(SHOTS, "last-admin-dialog.png"), fullPage: true });
    await expectAccessible(page, "last admin dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.textContent === "Leave team");
    await leave.click();
    await dialog.getByRole("button", { name: "Make someone else admin" }).click();
    const graceRole = page.getByLabel("Role of Grace Hopper");
    await page.waitForFunction(
      () => document.activeElement?.getAttribute("id") !== null && document.activeElement?.tagName === "SELECT",
    );
    expect(await hasFocus(graceRole)).toBe(true);
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("an admin removes a member: the feed names who acted, and the focus moves to the next row", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("button", { name: "Actions for Charles Babbage" }).click();
    await page.getByRole("menuitem", { name: "Remove from team" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove Charles Babbage from the team?" });
    await dialog.getByRole("button", { name: "Remove" }).click();
    const members = page.getByRole("list", { name: "Members" });
    await members.getByRole("button", { name: "Actions for Charles Babbage" }).waitFor({ state: "detached" });
    await page.getByRole("list", { name: "Recent activity" }).getByText("was removed by Ada Lovelace").waitFor();
    await page.waitForFunction(() => /^Actions for /.test(document.activeElement?.getAttribute("aria-label") ?? ""));
    await page.screenshot({ path: join(SHOTS, "member-removed-by.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);

  test("leaving your only team: 'You left', the personal account, then a new team from the switcher with 1 member", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", CHARLES));
    await seeAll(page, ["Mary Somerville"]);
    await page.getByRole("button", { name: "Leave team" }).click();
    await page
      .getByRole("dialog", { name: "Leave Analytical Engines?" })
      .getByRole("button", { name: "Leave team" })
      .click();
    await page.getByText("Leaving Analytical Engines: Saving…").waitFor();
    await page.getByRole("heading", { name: "You left Analytical Engines" }).waitFor();
    await page.getByRole("button", { name: "Team: Personal account" }).waitFor();
    await seeAll(page, ["Start or join a team"]);
    expect(await page.getByText("You are not a member of this team").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "left-only-team.png"), fullPage: true });
    await expectAccessible(page, "left the only team");

    await page.getByRole("button", { name: "Team: Personal account" }).click();
    await page.getByRole("menuitem", { name: "Create team" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a team" });
    await dialog.getByLabel("Team name").fill("Kitchen Cabinet");
    await page.screenshot({ path: join(SHOTS, "create-team-dialog.png") });
    await expectAccessible(page, "create team dialog");
    await dialog.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("button", { name: "Team: Kitchen Cabinet" }).waitFor();
    await page.getByRole("heading", { name: "Kitchen Cabinet" }).waitFor();
    await seeAll(page, ["1 member"]);
    await page.screenshot({ path: join(SHOTS, "created-from-switcher.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();

    // On a phone: the same flow, photographed.
    const phone = await openPlayground(PHONE);
    await phone.page.goto(playground("/team", CHARLES));
    await seeAll(phone.page, ["Mary Somerville"]);
    await phone.page.getByRole("button", { name: "Leave team" }).click();
    await phone.page
      .getByRole("dialog", { name: "Leave Analytical Engines?" })
      .getByRole("button", { name: "Leave team" })
      .click();
    await phone.page.getByRole("heading", { name: "You left Analytical Engines" }).waitFor();
    await phone.page.screenshot({ path: join(SHOTS, "left-only-team-phone.png"), fullPage: true });
    await expectAccessible(phone.page, "left the only team on a phone");
    await phone.close();
  }, 90_000);

  test("deleting a team: its name typed to confirm, then '… is deleted' and the next team", async () => {
    const { page, uncaught, consoleErrors, close } = await openPlayground();
    await page.goto(playground("/team", ADA));
    await seeAll(page, ["Charles Babbage"]);
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Delete Analytical Engines…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Analytical Engines?" });
    const confirm = dialog.getByRole("button", { name: "Delete team" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill("Analytical Engines");
    await page.screenshot({ path: join(SHOTS, "delete-team-confirm.png") });
    await expectAccessible(page, "delete team dialog");
    await confirm.click();
    await page.getByRole("heading", { name: "Analytical Engines is deleted" }).waitFor();
    // Ada's other team becomes the active one.
    await page.getByRole("button", { name: "Team: Difference Lab" }).waitFor();
    await page.getByRole("heading", { name: "Difference Lab" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "team-deleted.png"), fullPage: true });
    expect(uncaught).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await close();
  }, 60_000);
});
