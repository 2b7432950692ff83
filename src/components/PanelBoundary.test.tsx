import { render, screen, within } from "@testing-library/react";
import { ConvexError } from "convex/values";
import { afterEach, describe, expect, test, vi } from "vitest";
import { captureConsole } from "../../test/console";
import { isAuthorizationError } from "../lib/errors";
import { PanelBoundary } from "./PanelBoundary";
import { QueryBoundary } from "./QueryBoundary";

afterEach(() => {
  vi.restoreAllMocks();
});

function Throws({ error }: { error: unknown }): never {
  throw error;
}

describe("authorization errors are not retryable", () => {
  test.each(["NOT_SIGNED_IN", "NOT_A_MEMBER", "NOT_AN_ADMIN", "USER_DELETED"])(
    "%s: the panel explains it without Try again",
    (code) => {
      captureConsole("error");
      render(
        <PanelBoundary title="Members">
          <Throws error={new ConvexError({ code, message: "No." })} />
        </PanelBoundary>,
      );
      const panel = screen.getByRole("region", { name: "Members" });
      within(panel).getByRole("alert");
      expect(within(panel).queryByRole("button", { name: "Try again" })).toBeNull();
    },
  );

  test("any other failure offers Try again", () => {
    captureConsole("error");
    render(
      <QueryBoundary>
        <Throws error={new Error("network")} />
      </QueryBoundary>,
    );
    screen.getByRole("button", { name: "Try again" });
  });

  test("escalated, panels' authorization errors are said once, by the page's boundary", () => {
    captureConsole("error");
    const denied = new ConvexError({ code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." });
    render(
      <QueryBoundary>
        <PanelBoundary title="One" escalate={isAuthorizationError}>
          <Throws error={denied} />
        </PanelBoundary>
        <PanelBoundary title="Two" escalate={isAuthorizationError}>
          <Throws error={denied} />
        </PanelBoundary>
      </QueryBoundary>,
    );
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    screen.getByText("Admins only");
    expect(screen.queryByRole("region")).toBeNull();
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });
});
