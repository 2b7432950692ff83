import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { stubTextWidths } from "../../test/react/layout";
import { TruncatedText } from "./TruncatedText";

const LONG = "Augusta Ada King, Countess of Lovelace, née Byron";
let widths: ReturnType<typeof stubTextWidths> | null = null;
/** The size changes ResizeObserver would report: `resized()` reports one to every observer. */
const observed: Array<() => void> = [];
function resized() {
  act(() => {
    for (const report of observed) report();
  });
}
vi.stubGlobal(
  "ResizeObserver",
  class {
    constructor(callback: () => void) {
      observed.push(callback);
    }
    observe() {}
    disconnect() {}
  },
);

afterEach(() => {
  widths?.restore();
  widths = null;
  observed.length = 0;
});

describe("a truncated name", () => {
  test("cut off: its full text on hover (title), to a screen reader (the text itself), and a tab stop that shows it whole", async () => {
    widths = stubTextWidths(160);
    const user = userEvent.setup();
    render(
      <p>
        <button type="button">Before</button>
        <TruncatedText text={LONG} />
        <button type="button">After</button>
      </p>,
    );
    const name = screen.getByText(LONG);
    expect(name.getAttribute("title")).toBe(LONG);
    expect(name.className).toContain("truncate");
    expect(name.className).toContain("focus-visible:whitespace-normal");
    await user.click(screen.getByRole("button", { name: "Before" }));
    await user.tab();
    expect(document.activeElement).toBe(name);
    // Shown whole it fits: it keeps its tab stop while it has focus, and loses it once focus leaves.
    widths.restore();
    widths = stubTextWidths(10_000);
    resized();
    expect(name.tabIndex).toBe(0);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "After" }));
    expect(name.hasAttribute("tabindex")).toBe(false);
    // Cut again (a narrower window): a tab stop again.
    widths.restore();
    widths = stubTextWidths(160);
    resized();
    expect(name.tabIndex).toBe(0);
  });

  test("fits: no extra tab stop, and the title still names it", async () => {
    widths = stubTextWidths(10_000);
    const user = userEvent.setup();
    render(
      <p>
        <button type="button">Before</button>
        <TruncatedText text="Ada" />
        <button type="button">After</button>
      </p>,
    );
    expect(screen.getByText("Ada").getAttribute("title")).toBe("Ada");
    expect(screen.getByText("Ada").hasAttribute("tabindex")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Before" }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "After" }));
  });

  test("inside a button: the button takes focus, and the name shows whole while it has it", () => {
    widths = stubTextWidths(160);
    render(
      <button type="button" className="group">
        <TruncatedText text={LONG} focus="group" />
      </button>,
    );
    const name = screen.getByText(LONG);
    expect(name.hasAttribute("tabindex")).toBe(false);
    expect(name.getAttribute("title")).toBe(LONG);
    expect(name.className).toContain("group-focus-visible:whitespace-normal");
    expect(screen.getByRole("button", { name: LONG })).toBeTruthy();
  });
});
