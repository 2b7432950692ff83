import { render, screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { formatDateTime } from "../../../lib/format";
import { EventDetails } from "./EventDetails";
import type { LoggedEvent } from "./EventRow";

const RAISED = Date.UTC(2026, 11, 1, 9, 30, 0);

function event(overrides: Partial<LoggedEvent>): LoggedEvent {
  return {
    id: "evt_1",
    svixId: "msg_1",
    type: "user.updated",
    family: "user",
    subjects: [],
    outcome: "applied",
    clerkIds: [],
    timestamp: RAISED,
    receivedAt: RAISED + 2_000,
    attempts: 1,
    error: null,
    ...overrides,
  };
}

/** The value shown next to the label `term`. */
function value(term: string): string {
  const details = screen.getByLabelText("Event details");
  return within(details).getByText(term).nextElementSibling?.textContent ?? "";
}

/** The labels of the details, in order. */
function terms(): string[] {
  return within(screen.getByLabelText("Event details"))
    .getAllByRole("term")
    .map((term) => term.textContent ?? "");
}

describe("an event's times", () => {
  test("labelled so their order reads right: Clerk raised it, then Roster received it, and how long after", () => {
    render(<EventDetails id="d" event={event({})} />);
    const order = terms();
    expect(order.indexOf("Clerk raised it")).toBeGreaterThan(-1);
    expect(order.indexOf("Roster received it")).toBe(order.indexOf("Clerk raised it") + 1);
    expect(value("Clerk raised it")).toBe(formatDateTime(RAISED));
    expect(value("Roster received it")).toBe(`${formatDateTime(RAISED + 2_000)}2 s after Clerk raised it.`);
    expect(screen.queryByText(/Received$|Clerk time/)).toBeNull();
  });

  test("received within the second", () => {
    render(<EventDetails id="d" event={event({ receivedAt: RAISED + 300 })} />);
    expect(value("Roster received it")).toContain("Under a second after Clerk raised it.");
  });

  test("Clerk's time after the received time: a note says the clocks disagree (clock skew)", () => {
    render(<EventDetails id="d" event={event({ receivedAt: RAISED - 4_000 })} />);
    expect(value("Roster received it")).toContain(
      "4 s before Clerk's time: Clerk's clock is ahead of this deployment's (clock skew), so the two times are not in order.",
    );
  });

  test("retried: the received time is the latest attempt's", () => {
    render(<EventDetails id="d" event={event({ attempts: 3, receivedAt: RAISED + 5 * 60_000 })} />);
    expect(terms()).toContain("Roster last received it");
    expect(value("Roster last received it")).toContain("5 min after Clerk raised it.");
  });

  test("no time from Clerk: said, with no comparison", () => {
    render(<EventDetails id="d" event={event({ timestamp: null })} />);
    expect(value("Clerk raised it")).toBe("Not given");
    expect(value("Roster received it")).toBe(formatDateTime(RAISED + 2_000));
    render(<EventDetails id="f" event={event({ timestamp: null, outcome: "failed", error: "boom" })} />);
    expect(screen.getAllByText("Not known: Roster could not read the event")).toHaveLength(1);
  });
});
