import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { runInComponent } from "convex-clerk-sync/test";
import type { FunctionReference } from "convex/server";
import { components } from "../../convex/_generated/api";
import {
  ADA,
  CHARLES,
  T0,
  clerkMembership,
  clerkOrganization,
  clerkUser,
  clerkRole,
  clerkUserCharles,
  envelope,
  membershipEvent,
  organizationEvent,
  sampleEvent,
  userEvent as clerkUserEvent,
  INSTANCE_ID,
} from "../../test/clerkEvents";
import { SECRET } from "../../test/convex";
import { FAKE_FRONTEND_API, loopbackFetch, startFakeClerkApi, type FakeClerkApi } from "../../test/fakeClerkApi";
import { clerkIdentity, renderWithBackend } from "../../test/react/render";
import type { TestConvexClient } from "../../test/react/TestConvexClient";
import { captureConsole } from "../../test/console";
import { eventHandlers } from "../../packages/clerk-sync/src/component/webhooks/registry";
import { AdminActivityView } from "./AdminActivityView";

vi.mock("../lib/convex", () => import("../../test/react/convexTestHooks"));
vi.mock("@clerk/react", () => import("../../test/react/clerkMock"));

/** The component's `clerk/sync:backfill`, as `npx convex run --component clerkSync` runs it. */
const CLI_BACKFILL = (
  components.clerkSync as unknown as {
    clerk: { sync: { backfill: FunctionReference<"mutation", "internal", Record<string, never>, string> } };
  }
).clerk.sync.backfill;

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await clerkApi?.close();
  clerkApi = undefined;
});

let clerkApi: FakeClerkApi | undefined;

/**
 * Clerk's Backend API on 127.0.0.1, holding Ada (an app admin there too), Charles and Ada's
 * organization, with CLERK_SECRET_KEY set for it. A started run's steps are scheduled on real
 * timers here and read from it by themselves; `fetch` reaches nothing but 127.0.0.1.
 */
async function clerkHolds(): Promise<FakeClerkApi> {
  clerkApi = await startFakeClerkApi({
    users: [clerkUser({ public_metadata: { rosterAdmin: true } }), clerkUserCharles()],
    organizations: [clerkOrganization()],
    memberships: [clerkMembership()],
    roles: [clerkRole()],
  });
  vi.stubEnv("CLERK_SECRET_KEY", clerkApi.secretKey);
  vi.stubEnv("CLERK_API_URL", clerkApi.url);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", FAKE_FRONTEND_API);
  vi.stubGlobal("fetch", loopbackFetch);
  return clerkApi;
}

/**
 * A run moves on in scheduled steps, which this adapter does not watch (it re-runs queries after
 * the page's own mutations and webhooks): re-run them until `check` passes, as Convex would push.
 */
async function untilLive(client: TestConvexClient, check: () => void, timeout = 5_000) {
  await waitFor(
    async () => {
      await client.refresh();
      check();
    },
    { timeout },
  );
}

const ada = clerkIdentity(ADA, { name: "Ada Lovelace" });
const charles = clerkIdentity(CHARLES, { name: "Charles Babbage" });

/** Ada, made an app admin in Clerk (public metadata `rosterAdmin: true`). */
async function adaIsAppAdmin(client: TestConvexClient) {
  const answer = await client.deliver(
    clerkUserEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }),
  );
  expect(answer.outcome).toBe("applied");
}

/**
 * With CLERK_SECRET_KEY set, the first event asks for the instance check (a scheduled step that
 * reads GET /v1/instance and /v1/domains): waits until it has pinned the key's instance, so what a
 * test then tells the fake Clerk (a 429 next) reaches the run it starts.
 */
async function instanceChecked(client: ReturnType<typeof renderWithBackend>["client"]) {
  await waitFor(async () =>
    expect(
      await runInComponent(client.backend, async (ctx) => await ctx.db.query("clerkInstance").first()),
    ).not.toBeNull(),
  );
}

function eventLog() {
  return screen.getByRole("list", { name: "Webhook events" });
}

/** Opens one of the admin page's tabs. */
async function openTab(name: string) {
  await userEvent.setup().click(await screen.findByRole("tab", { name }));
}

async function syncPanel() {
  if (screen.queryByRole("region", { name: "Backfill and reconcile from Clerk" }) === null)
    await openTab("Backfill and reconcile");
  return await screen.findByRole("region", { name: "Backfill and reconcile from Clerk" });
}

/** The figure a stat card shows under its label. */
function figure(scope: HTMLElement, label: string) {
  return within(scope).getByText(label).nextElementSibling?.textContent;
}

function isDisabled(element: HTMLElement) {
  return (element as HTMLButtonElement).disabled;
}

describe("admin activity", () => {
  test("shows the event log live, newest first, with failed events highlighted and explained", async () => {
    const errors = captureConsole("error");
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await waitFor(() => within(eventLog()).getByText("user.created"));

    expect((await client.deliver(clerkUserEvent("user.created", clerkUserCharles()))).outcome).toBe("applied");
    // A payload Roster cannot apply (a user without an id): failed, kept for retry.
    const broken = envelope("user.updated", { object: "user", first_name: "Nobody", updated_at: T0 });
    expect((await client.deliver(broken)).status).toBe(500);
    expect(errors()).toEqual([
      expect.stringMatching(/^Clerk event msg_\w+ failed to apply and is kept for a retry: user: "id" is missing/),
    ]);

    await waitFor(() => within(eventLog()).getByText("user.updated"));
    const rows = within(eventLog()).getAllByRole("listitem");
    expect(rows.map((row) => row.getAttribute("aria-label"))).toEqual([
      "user.updated, failed",
      "user.created, applied",
      "user.created, applied",
    ]);
    expect(rows[0]?.className).toContain("bg-red-50");
    expect(rows[1]?.className).not.toContain("bg-red-50");
    // Who, by name; the id on hover.
    expect(
      within(rows[1] as HTMLElement)
        .getByText("Charles Babbage")
        .getAttribute("title"),
    ).toBe(CHARLES);
    within(rows[0] as HTMLElement).getByText(/user: "id" is missing/);

    const health = screen.getByRole("region", { name: "Sync health" });
    await waitFor(() => within(health).getByText("Needs attention"));
    expect(within(health).getByText("Failed, last 24 h").nextElementSibling?.textContent).toBe("1");
  });

  test("filters the log by outcome, in the URL", async () => {
    const user = userEvent.setup();
    const { client, router } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const event = clerkUserEvent("user.created", clerkUserCharles());
    await client.deliver(event, { svixId: "msg_twice" });
    expect((await client.deliver(event, { svixId: "msg_twice" })).outcome).toBe("duplicate");
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));

    await user.click(screen.getByRole("radio", { name: "duplicate" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(1));
    expect(router.state.location.search).toBe("?outcome=duplicate");
    await user.click(within(eventLog()).getByRole("button", { name: "Details" }));
    within(eventLog()).getByText("msg_twice");

    await user.click(screen.getByRole("radio", { name: "failed" }));
    await screen.findByText("No failed events");

    await user.click(screen.getByRole("radio", { name: "All" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));
    expect(router.state.location.search).toBe("");
  });

  test("sync health before any event: no events yet, and what to check; not healthy", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    // Ada's row without a webhook (her first sign-in wrote it): the event log is empty.
    await runInComponent(client.backend, async (ctx) => {
      await ctx.db.insert("users", {
        clerkId: ADA,
        clerkVersion: 0,
        email: null,
        phone: null,
        username: "ada",
        firstName: "Ada",
        lastName: null,
        imageUrl: null,
        publicMetadata: JSON.stringify({ rosterAdmin: true }),
      });
    });
    await client.refresh();
    const health = await screen.findByRole("region", { name: "Sync health" });
    await within(health).findByText("No events yet");
    expect(within(health).queryByText("Healthy")).toBeNull();
    within(health).getByText(/No webhook event has arrived yet/);
    within(health).getByText("https://<deployment>.convex.site/clerk-webhook");
    expect(figure(health, "Last event received")).toBe("Never");
    await screen.findByText("No webhook events yet");

    await adaIsAppAdmin(client);
    await waitFor(() => within(health).getByText("Healthy"));
  });

  test("sync health shows the pinned Clerk instance and warns about events from another", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const health = await screen.findByRole("region", { name: "Sync health" });
    await waitFor(() => within(health).getByText(INSTANCE_ID));
    expect(within(health).queryByRole("alert")).toBeNull();

    const foreign = {
      ...clerkUserEvent("user.created", clerkUserCharles()),
      instance_id: "ins_2someDevInstance0000000000",
    };
    expect((await client.deliver(foreign)).outcome).toBe("foreign");
    await waitFor(() => within(health).getByText("Needs attention"));
    expect(within(health).getByRole("alert").textContent).toMatch(
      /1 event came from another Clerk instance.*ins_2someDevInstance/,
    );
  });

  test("without a secret key, the foreign instances seen are offered: confirming one pins it and applies its kept events", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const health = await screen.findByRole("region", { name: "Sync health" });
    const real = "ins_2realInstance00000000000";
    const foreign = { ...clerkUserEvent("user.created", clerkUserCharles()), instance_id: real };
    expect((await client.deliver(foreign)).outcome).toBe("foreign");
    const pin = await within(health).findByRole("region", { name: "Clerk instance pin" });
    const pinButton = within(pin).getByRole("button", { name: "Choose an instance to pin" });
    expect(isDisabled(pinButton)).toBe(true);
    const user = userEvent.setup();
    await user.click(within(pin).getByRole("radio", { name: real }));
    await user.click(within(pin).getByRole("button", { name: `Pin ${real}` }));
    await waitFor(() => within(pin).getByText(/The events kept from it are being applied/));
    // The kept event applies in a scheduled step: nothing foreign is left, and the pin is the one chosen.
    await untilLive(client, () => {
      expect(figure(health, "Clerk instance")).toBe(real);
      expect(within(health).queryByRole("alert")).toBeNull();
    });
    expect(within(health).getByText("Confirmed by an admin", { exact: false })).toBeTruthy();
  });

  test("an admin filter with no events says the log is empty", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin?outcome=stale" });
    await adaIsAppAdmin(client);
    await screen.findByText("No stale events");
  });

  test("users who are not app admins get one explanation in plain words, no Try again, and no log", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: charles, path: "/admin" });
    await client.deliver(clerkUserEvent("user.created", clerkUserCharles()));
    await screen.findByRole("heading", { name: "Only Roster’s operators see this page" });
    // A team admin reads where to go, not how Clerk's metadata makes an operator (the README says that).
    expect(document.body.textContent).not.toMatch(/metadata|rosterAdmin|dashboard/i);
    expect(screen.getByRole("link", { name: "Go to your team" }).getAttribute("href")).toBe("/team");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    expect(screen.queryByRole("tab")).toBeNull();
    expect(screen.queryByRole("list", { name: "Webhook events" })).toBeNull();
    expect(screen.queryByRole("region", { name: "Sync health" })).toBeNull();
    expect(screen.queryByRole("region", { name: "Backfill and reconcile from Clerk" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Start backfill" })).toBeNull();
    expect(screen.queryByRole("region", { name: "Messages Clerk sent" })).toBeNull();
  });
});

/** Makes user.created throw (a bug) until the returned spy is restored ("the fix is deployed"). */
function breakUserCreated() {
  captureConsole("error");
  return vi.spyOn(eventHandlers, "user.created").mockRejectedValue(new Error("bug in user.created"));
}

describe("the operator's tools", () => {
  test(
    "Retry failed events schedules the retry and shows its progress live, to the end",
    { timeout: 20_000 },
    async () => {
      const user = userEvent.setup();
      const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
      await adaIsAppAdmin(client);
      const broken = breakUserCreated();
      for (let n = 0; n < 23; n += 1)
        await client.deliver(clerkUserEvent("user.created", { id: `user_2retry${String(n).padStart(18, "0")}` }));
      const health = screen.getByRole("region", { name: "Sync health" });
      await waitFor(() => expect(figure(health, "Failed, not yet applied")).toBe("23"));
      broken.mockRestore(); // the fix is deployed

      await user.click(within(health).getByRole("button", { name: "Retry failed events" }));
      const progress = await within(health).findByRole("progressbar", { name: "Retry progress" });
      expect(progress.getAttribute("aria-valuemax")).toBe("23");
      within(health).getByRole("button", { name: "Retrying…" });
      await untilLive(client, () =>
        within(health).getByText(/Last retry, .*23 events retried, 23 applied, 0 still failing/),
      );
      expect(figure(health, "Failed, not yet applied")).toBe("0");
      within(health).getByText("Healthy");
      expect(within(health).queryByRole("progressbar")).toBeNull();
      expect(isDisabled(within(health).getByRole("button", { name: "Retry failed events" }))).toBe(true);
    },
  );

  test("a failed event is retried on its own from the log", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const broken = breakUserCreated();
    await client.deliver(clerkUserEvent("user.created", clerkUserCharles()));
    await client.deliver(clerkUserEvent("user.created", { id: "user_2other0000000000000000001", first_name: "Grace" }));
    broken.mockRestore();
    await waitFor(() =>
      expect(within(eventLog()).getAllByRole("listitem", { name: "user.created, failed" })).toHaveLength(2),
    );
    const [, charlesRow] = within(eventLog()).getAllByRole("listitem", { name: "user.created, failed" }) as [
      HTMLElement,
      HTMLElement,
    ];

    await user.click(within(charlesRow).getByRole("button", { name: "Retry" }));
    await untilLive(client, () =>
      expect(within(eventLog()).getAllByRole("listitem", { name: "user.created, applied" })).toHaveLength(2),
    );
    within(eventLog()).getByText("Charles Babbage");
    expect(within(eventLog()).getAllByRole("listitem", { name: "user.created, failed" })).toHaveLength(1);
  });

  test("a row's details: type, ids, outcome, error, attempts; never the payload", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    breakUserCreated();
    await client.deliver(clerkUserEvent("user.created", clerkUserCharles({ first_name: "PayloadOnlyName" })), {
      svixId: "msg_detailed",
    });
    const row = await within(eventLog()).findByRole("listitem", { name: "user.created, failed" });
    expect(within(row).queryByText("msg_detailed")).toBeNull();
    await user.click(within(row).getByRole("button", { name: "Details" }));
    const details = within(row).getByLabelText("Event details");
    for (const text of ["msg_detailed", "bug in user.created", "(user)", "failed"])
      within(details).getByText(text, { exact: false });
    expect(within(details).getByText("Attempts").nextElementSibling?.textContent).toBe("1");
    expect(document.body.textContent).not.toContain("PayloadOnlyName");
    await user.click(within(row).getByRole("button", { name: "Hide details" }));
    expect(within(row).queryByLabelText("Event details")).toBeNull();
  });

  test("the log comes a page at a time: Load more", async () => {
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await runInComponent(client.backend, async (ctx) => {
      for (let n = 0; n < 30; n += 1)
        await ctx.db.insert("webhookEvents", {
          svixId: `msg_page${n}`,
          type: "session.created",
          family: "session",
          clerkIds: [],
          timestamp: null,
          receivedAt: Date.now(),
          outcome: "applied",
          attempts: 1,
        });
    });
    await client.refresh();
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(25));
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(31));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  test("filters by event family, with or without an outcome, in the URL", async () => {
    const user = userEvent.setup();
    const { client, router } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await client.deliver(organizationEvent("organization.created", clerkOrganization()));
    await client.deliver(membershipEvent("organizationMembership.created", clerkMembership()));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));

    await user.selectOptions(screen.getByRole("combobox", { name: "Event family" }), "organization");
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(1));
    within(eventLog()).getByRole("listitem", { name: "organization.created, applied" });
    expect(router.state.location.search).toBe("?family=organization");

    await user.click(screen.getByRole("radio", { name: "failed" }));
    await screen.findByText("No failed organization events");
    await user.click(screen.getByRole("radio", { name: "applied" }));
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(1));

    await user.selectOptions(screen.getByRole("combobox", { name: "Event family" }), "");
    await waitFor(() => expect(within(eventLog()).getAllByRole("listitem")).toHaveLength(3));
    expect(router.state.location.search).toBe("?outcome=applied");
  });

  test("the sections are tabs: arrow keys move between them, the choice is kept in ?tab=", async () => {
    const user = userEvent.setup();
    const { client, router } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const events = await screen.findByRole("tab", { name: "Event log" });
    expect(events.getAttribute("aria-selected")).toBe("true");
    screen.getByRole("tabpanel", { name: "Event log" });
    events.focus();
    await user.keyboard("{ArrowRight}");
    const sync = screen.getByRole("tab", { name: "Backfill and reconcile" });
    expect(document.activeElement).toBe(sync);
    expect(sync.getAttribute("aria-selected")).toBe("true");
    await screen.findByRole("region", { name: "Backfill and reconcile from Clerk" });
    expect(screen.queryByRole("list", { name: "Webhook events" })).toBeNull();
    expect(router.state.location.search).toBe("?tab=sync");
    await user.keyboard("{End}");
    expect(router.state.location.search).toBe("?tab=messages");
    await user.keyboard("{ArrowRight}");
    expect(router.state.location.search).toBe("");
    // Sync health stays on top, whichever tab is open.
    screen.getByRole("region", { name: "Sync health" });
  });

  test("an admin whose rights are removed while the page is open reads it once, without Try again", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await waitFor(() => within(eventLog()).getByText("user.created"));
    await client.deliver(clerkUserEvent("user.updated", { id: ADA, public_metadata: {}, updated_at: T0 + 1 }));
    await screen.findByRole("heading", { name: "Only Roster’s operators see this page" });
    expect(screen.getAllByRole("heading", { name: "Only Roster’s operators see this page" })).toHaveLength(1);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    expect(screen.queryByRole("region", { name: "Sync health" })).toBeNull();
  });
});

describe("backfill and reconcile from Clerk", () => {
  test("without CLERK_SECRET_KEY: not configured, the command that sets it, and nothing can start", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const panel = await syncPanel();
    await within(panel).findByText("Not configured: CLERK_SECRET_KEY is not set");
    within(panel).getByText("npx convex env set CLERK_SECRET_KEY sk_…");
    within(panel).getByText("No backfill has run yet");
    expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(true);
    expect(isDisabled(within(panel).getByRole("button", { name: "Reconcile…" }))).toBe(true);
  });

  test(
    "an admin starts a backfill and watches it: waiting for Clerk's rate limit, cancelled, resumed, completed",
    { timeout: 15_000 },
    async () => {
      const logs = captureConsole("log");
      const clerk = await clerkHolds();
      const user = userEvent.setup();
      const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
      await adaIsAppAdmin(client);
      await instanceChecked(client);
      clerk.rateLimitNext(1, 60);
      const panel = await syncPanel();
      await within(panel).findByText("No backfill has run yet");
      expect(within(panel).queryByText(/Not configured/)).toBeNull();

      await user.click(within(panel).getByRole("button", { name: "Start backfill" }));
      const run = await within(panel).findByRole("article", { name: "Backfill" });
      within(run).getByText(/by you/);
      expect(document.activeElement).toBe(within(run).getByRole("heading", { name: "Backfill" }));
      within(panel).getByText("A backfill is going. Cancel it to start another.");
      expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(true);

      // Clerk answered the first request with 429 and Retry-After: 60.
      await untilLive(client, () => within(run).getByText(/^Waiting for Clerk: continues in \d+ s/));
      within(run).getByText("Waiting for Clerk", { selector: "span" });
      within(run).getByText(/rate limit was hit/);
      // One wait time, stated once.
      expect(run.textContent.match(/\d+ s\b/g)).toHaveLength(1);
      expect(within(run).getByRole("listitem", { current: "step" }).textContent).toContain("Count");

      await user.click(within(run).getByRole("button", { name: "Cancel backfill" }));
      await within(run).findByText("Cancelled");
      const resume = within(run).getByRole("button", { name: "Resume backfill" });
      expect(document.activeElement).toBe(resume); // Cancel turned into Resume, in place

      await user.click(resume);
      await untilLive(client, () => within(run).getByText("Completed"));
      expect(figure(run, "Read from Clerk")).toBe("5");
      // Charles, the organization, the role, the membership; Ada was up to date
      expect(figure(run, "Changed")).toBe("4");
      expect(figure(run, "Remaining")).toBe("0");
      within(run).getByText("2 users · 1 organization · 1 role · 1 membership");
      expect(within(run).queryByRole("listitem", { current: "step" })).toBeNull();
      expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(false);
      expect(logs()).toEqual([expect.stringMatching(/^Clerk backfill \w+ completed: \{"changed":4,/)]);
    },
  );

  /** Roster holds Grace, whom Clerk no longer has (its user.deleted was missed): a third of the users. */
  async function reconcileWaitsForConfirmation() {
    await clerkHolds();
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const grace = { id: "user_2graceHopperMissedDelete00", first_name: "Grace", last_name: "Hopper" };
    expect((await client.deliver(clerkUserEvent("user.created", grace))).outcome).toBe("applied");
    const panel = await syncPanel();
    await user.click(await within(panel).findByRole("button", { name: "Reconcile…" }));
    const dialog = await screen.findByRole("dialog", { name: "Reconcile with Clerk?" });
    within(dialog).getByText(/waits for your confirmation/);
    await user.click(within(dialog).getByRole("button", { name: "Start reconcile" }));
    const run = await within(panel).findByRole("article", { name: "Reconcile" });

    // Eight phases, each step checking the instance first: give it longer than a backfill.
    await untilLive(client, () => within(run).getByText("Needs confirmation", { selector: "span" }), 15_000);
    const found = within(run).getByRole("list", { name: "Would remove" });
    expect(
      within(found)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual([
      "1\u00a0user of 3 (33\u00a0%)",
      "0\u00a0organizations of 1 (0\u00a0%)",
      "0\u00a0memberships of 1 (0\u00a0%)",
    ]);
    within(run).getByText(/Nothing has been removed/);
    expect(figure(run, "Would remove")).toBe("1");
    expect(within(run).getByRole("listitem", { current: "step" }).textContent).toContain("Remove");
    within(panel).getByText("A reconcile waits for your confirmation. Confirm or cancel it to start another.");
    expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(true);
    const users = async () =>
      await runInComponent(client.backend, async (ctx) =>
        (await ctx.db.query("users").collect()).map((u) => u.clerkId).sort(),
      );
    expect(await users()).toContain(grace.id);
    return { user, client, panel, run, grace, users };
  }

  test(
    "a reconcile past its cap shows what it would remove per kind; Confirm removes it",
    { timeout: 30_000 },
    async () => {
      const { user, client, run, grace, users } = await reconcileWaitsForConfirmation();
      await user.click(within(run).getByRole("button", { name: "Confirm removals" }));
      await untilLive(client, () => within(run).getByText("Completed"));
      expect(figure(run, "Removed")).toBe("1");
      expect(await users()).not.toContain(grace.id);
    },
  );

  test(
    "a reconcile past its cap: Cancel removes nothing, and the run cannot be resumed",
    { timeout: 30_000 },
    async () => {
      const { user, client, panel, run, grace, users } = await reconcileWaitsForConfirmation();
      await user.click(within(run).getByRole("button", { name: "Cancel: remove nothing" }));
      await untilLive(client, () => within(run).getByText(/Its removals were cancelled .*: nothing was removed/));
      expect(within(run).queryByRole("button", { name: /Resume|Confirm/ })).toBeNull();
      expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(false);
      expect(await users()).toContain(grace.id);
    },
  );

  test("a failed run says why; once the cause is fixed, Resume continues it to the end", async () => {
    const errors = captureConsole("error");
    const logs = captureConsole("log");
    const clerk = await clerkHolds();
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_rotatedAwayInClerk"); // Clerk refuses it: 401
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const panel = await syncPanel();
    await user.click(await within(panel).findByRole("button", { name: "Start backfill" }));
    const run = await within(panel).findByRole("article", { name: "Backfill" });

    await untilLive(client, () => within(run).getByText("Failed"));
    within(run).getByText(/answered GET \/v1\/domains with 401: The provided secret key is invalid/);
    within(run).getByText(/Fix the cause, then resume/);
    expect(within(run).queryByRole("button", { name: "Cancel backfill" })).toBeNull();
    expect(errors()).toEqual([
      expect.stringMatching(/^Clerk backfill \w+ failed in phase count: .*GET \/v1\/domains with 401/),
    ]);

    vi.stubEnv("CLERK_SECRET_KEY", clerk.secretKey);
    await user.click(within(run).getByRole("button", { name: "Resume backfill" }));
    await untilLive(client, () => within(run).getByText("Completed"));
    expect(figure(run, "Read from Clerk")).toBe("5");
    expect(logs()).toContainEqual(expect.stringMatching(/^Clerk backfill \w+ completed:/));
  });

  test("a stalled run (its step was lost) can be resumed at once, or cancelled", async () => {
    const logs = captureConsole("log");
    const clerk = await clerkHolds();
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await instanceChecked(client);
    clerk.rateLimitNext(1, 60);
    const panel = await syncPanel();
    await user.click(await within(panel).findByRole("button", { name: "Start backfill" }));
    const run = await within(panel).findByRole("article", { name: "Backfill" });
    await untilLive(client, () => within(run).getByText(/^Waiting for Clerk: continues in/));

    // A redeploy loses the scheduled step; the watchdog would notice within 5 minutes.
    await runInComponent(client.backend, async (ctx) => {
      const row = await ctx.db.query("clerkSyncRuns").first();
      if (row?.nextStep) await ctx.scheduler.cancel(row.nextStep);
    });
    await untilLive(client, () => within(run).getByText("Stalled"));
    within(run).getByText(/The watchdog resumes it within 5 minutes/);
    within(run).getByRole("button", { name: "Cancel backfill" });

    await user.click(within(run).getByRole("button", { name: "Resume backfill" }));
    await untilLive(client, () => within(run).getByText("Completed"));
    expect(logs()).toContainEqual(expect.stringMatching(/^Clerk backfill \w+ completed:/));
  });

  test("a run started elsewhere since the page loaded: starting says one is already running, and shows it", async () => {
    const clerk = await clerkHolds();
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await instanceChecked(client);
    clerk.rateLimitNext(1, 60);
    const panel = await syncPanel();
    await within(panel).findByText("No backfill has run yet");

    // `npx convex run clerk/sync:backfill` in a terminal, before the page has heard of it.
    await client.backend.mutation(CLI_BACKFILL, {});
    await user.click(within(panel).getByRole("button", { name: "Start backfill" }));

    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain("A sync is already running");
    expect(alert.textContent).toContain("cancel it first");
    within(within(panel).getByRole("article", { name: "Backfill" })).getByText(/by the command line/);
    expect(isDisabled(within(panel).getByRole("button", { name: "Start backfill" }))).toBe(true);

    await user.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(within(panel).queryByRole("alert")).toBeNull();
  });

  test("CLERK_SECRET_KEY removed since the page loaded: starting says which command sets it", async () => {
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_removedSinceThePageLoaded");
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    const panel = await syncPanel();
    await within(panel).findByText("No backfill has run yet");

    vi.stubEnv("CLERK_SECRET_KEY", ""); // `npx convex env remove CLERK_SECRET_KEY`
    await user.click(within(panel).getByRole("button", { name: "Start backfill" }));

    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain("CLERK_SECRET_KEY is not set");
    within(alert).getByText("npx convex env set CLERK_SECRET_KEY sk_…", { selector: "code" });
    within(panel).getByText("Not configured: CLERK_SECRET_KEY is not set");
    expect(await runInComponent(client.backend, async (ctx) => await ctx.db.query("clerkSyncRuns").collect())).toEqual(
      [],
    );
  });

  test("reconcile removes rows, so it asks first: Cancel starts nothing, confirming starts it", async () => {
    const clerk = await clerkHolds();
    const user = userEvent.setup();
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await instanceChecked(client);
    clerk.rateLimitNext(1, 60);
    const panel = await syncPanel();
    await within(panel).findByText("No backfill has run yet");

    within(panel).getByRole("button", { name: "Reconcile…" }).focus();
    await user.keyboard("{Enter}");
    let dialog = screen.getByRole("dialog", { name: "Reconcile with Clerk?" });
    expect(dialog.textContent).toContain("deletes the users, organizations and memberships");
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(await runInComponent(client.backend, async (ctx) => await ctx.db.query("clerkSyncRuns").collect())).toEqual(
      [],
    );

    await user.click(within(panel).getByRole("button", { name: "Reconcile…" }));
    dialog = screen.getByRole("dialog", { name: "Reconcile with Clerk?" });
    await user.click(within(dialog).getByRole("button", { name: "Start reconcile" }));
    const run = await within(panel).findByRole("article", { name: "Reconcile" });
    const phases = within(run).getByRole("list", { name: "Phases" });
    expect(
      within(phases)
        .getAllByRole("listitem")
        .map((step) => step.textContent),
    ).toEqual([
      "Count (now)",
      "Users",
      "Organizations",
      "Roles",
      "Memberships",
      "Check memberships",
      "Check organizations",
      "Check users",
      "Remove",
    ]);
    expect(figure(run, "Removed")).toBe("0");
  });
});

describe("messages Clerk sent", () => {
  test("email and SMS, newest first: to whom, which template, the status; never the one-time code", async () => {
    const { client } = renderWithBackend(<AdminActivityView />, { identity: ada, path: "/admin" });
    await adaIsAppAdmin(client);
    await openTab("Messages");
    const panel = await screen.findByRole("region", { name: "Messages Clerk sent" });
    await within(panel).findByText("No messages yet");

    expect((await client.deliver(sampleEvent("email.created"))).outcome).toBe("applied");
    expect((await client.deliver(sampleEvent("sms.created"))).outcome).toBe("applied");

    const list = await within(panel).findByRole("list", { name: "Messages Clerk sent" });
    const [sms, email] = within(list).getAllByRole("listitem") as [HTMLElement, HTMLElement];
    within(email).getByText("•••••• is your verification code");
    within(email).getByText("to ada@example.com");
    within(email).getByText("Verification code");
    within(email).getByText("queued");
    expect(email.textContent).toContain("Email:");
    within(sms).getByText("Verification code");
    within(sms).getByText("to +15555550100");
    expect(sms.textContent).toContain("SMS:");
    expect(document.body.textContent).not.toContain("472913");
  });
});
