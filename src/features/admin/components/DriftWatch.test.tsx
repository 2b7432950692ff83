import { render, screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { formatDateTime } from "../../../lib/format";
import type { DriftStatus } from "../lib/drift";
import { DriftWatch } from "./DriftWatch";

const CHECKED = Date.UTC(2026, 11, 7, 10, 0, 0);
const CHANGED = CHECKED - 50 * 60_000;
const LAST_WEBHOOK = CHECKED - 3 * 60 * 60_000;

function drift(overrides: Partial<DriftStatus>): DriftStatus {
  return {
    state: "in_step",
    message: "In step with Clerk.",
    checkedAt: CHECKED,
    lastSuccessAt: CHECKED,
    lastWebhookAt: LAST_WEBHOOK,
    users: { clerkId: "user_ada", updatedAt: CHANGED, inStep: true },
    organizations: { clerk: 3, local: 3, moved: null },
    memberships: { clerk: 7, local: 7, moved: null },
    ...overrides,
  };
}

function watch() {
  return screen.getByRole("region", { name: "Drift watch" });
}

describe("the drift watch on the sync-health card", () => {
  test.each([
    ["off", "Drift watch: Off.", /With CLERK_SECRET_KEY set/],
    ["unchecked", "Drift watch: Not checked yet.", /first check runs within the hour/],
    ["in_step", "Drift watch: In step with Clerk.", /What Clerk has, this deployment has/],
  ] as const)("%s is one quiet line: no alert, nothing to check", (state, label, says) => {
    render(<DriftWatch drift={drift({ state, ...(state === "in_step" ? {} : { checkedAt: null }) })} />);
    within(watch()).getByText(label);
    expect(watch().textContent).toMatch(says);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(watch().textContent).not.toMatch(/Check:|signing secret|reconcile/i);
    expect(watch().className).not.toMatch(/bg-(red|amber)/);
  });

  test("in step says when it last checked", () => {
    render(<DriftWatch drift={drift({})} />);
    expect(watch().textContent).toMatch(/Checked .+\.$/);
  });

  test("webhooks silent is an alert: what Clerk changed, when the last webhook came, and the three things to check", () => {
    render(
      <DriftWatch
        drift={drift({
          state: "webhooks_silent",
          message: "Webhooks are silent: …",
          users: { clerkId: "user_ada", updatedAt: CHANGED, inStep: false },
          organizations: { clerk: 4, local: 3, moved: { after: CHECKED - 60 * 60_000, seenAt: CHECKED - 30 * 60_000 } },
        })}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert.getAttribute("aria-label")).toBe("Drift watch");
    within(alert).getByText(/Drift watch: Webhooks silent\. Clerk changed, and no webhook has arrived since\./);
    within(alert).getByText(
      `Clerk changed user user_ada at ${formatDateTime(CHANGED)}, and that change is missing here.`,
    );
    within(alert).getByText("Clerk has 4 organizations, this deployment 3.");
    // Memberships agree: not listed.
    expect(alert.textContent).not.toMatch(/memberships/);
    within(alert).getByText(`The last webhook arrived at ${formatDateTime(LAST_WEBHOOK)}.`);
    // What to check: the route, the signing secret, the endpoint's URL.
    within(alert).getByText(/Is the webhook route mounted\? convex\/http\.ts must call clerk\.registerRoutes/);
    within(alert).getByText(/Is the signing secret current\?/);
    within(alert).getByText("npx convex env set CLERK_WEBHOOK_SIGNING_SECRET whsec_…");
    within(alert).getByText(/Is the endpoint's URL this deployment's\?/);
    within(alert).getByText("https://<deployment>.convex.site/clerk-webhook");
    within(alert).getByText(/run a reconcile/);
  });

  test("webhooks silent before any webhook says none ever arrived", () => {
    render(
      <DriftWatch
        drift={drift({
          state: "webhooks_silent",
          lastWebhookAt: null,
          users: { clerkId: "user_ada", updatedAt: CHANGED, inStep: false },
        })}
      />,
    );
    within(screen.getByRole("alert")).getByText("No webhook has ever arrived.");
  });

  test("could not check says Clerk's answer and what to check, without claiming anything was missed", () => {
    render(
      <DriftWatch
        drift={drift({
          state: "could_not_check",
          message: "Could not ask Clerk: Clerk answered 401 (the secret key was refused)",
        })}
      />,
    );
    expect(screen.queryByRole("alert")).toBeNull();
    within(watch()).getByText(/Drift watch: Could not check\. Clerk did not answer/);
    within(watch()).getByText("Could not ask Clerk: Clerk answered 401 (the secret key was refused)");
    within(watch()).getByText(/Is CLERK_SECRET_KEY a current secret key of this Clerk instance/);
    within(watch()).getByText("npx convex env set CLERK_SECRET_KEY sk_…");
    within(watch()).getByText(/An outage or a rate limit passes by itself/);
    expect(watch().textContent).not.toMatch(/changed user|signing secret/i);
  });

  test("behind says webhooks arrive but changes are missing, and what fixes it", () => {
    render(
      <DriftWatch
        drift={drift({
          state: "behind",
          message: "The component is behind Clerk: …",
          memberships: { clerk: 9, local: 7, moved: null },
        })}
      />,
    );
    expect(screen.queryByRole("alert")).toBeNull();
    within(watch()).getByText(/Drift watch: Behind Clerk\. Webhooks arrive/);
    within(watch()).getByText("Clerk has 9 memberships, this deployment 7.");
    within(watch()).getByText(/Retry the failed events below, or run a reconcile/);
  });
});
