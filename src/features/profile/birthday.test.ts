import { describe, expect, test } from "vitest";
import { birthdayOutOfRange, birthdayRange, formatFieldDate, isCalendarDate } from "./birthday";

describe("the birthday field", () => {
  test("offers 1900-01-01 to today; near midnight, the earlier of today here and today in UTC", () => {
    const noon = new Date(Date.UTC(2026, 11, 1, 12));
    expect(birthdayRange(noon)).toEqual({ min: "1900-01-01", max: "2026-12-01" });
    // Local time may be ahead of or behind UTC: the last day offered is never after either.
    for (const hour of [0, 1, 23]) {
      const at = new Date(Date.UTC(2026, 11, 1, hour, 30));
      const { max } = birthdayRange(at);
      const utc = at.toISOString().slice(0, 10);
      const local = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;
      expect(max <= utc && max <= local).toBe(true);
      expect([utc, local]).toContain(max);
    }
  });

  test.each([
    ["en-US", "12/31/1990"],
    ["en-GB", "31/12/1990"],
    ["de-DE", "31.12.1990"],
    ["ja-JP", "1990/12/31"],
  ])("shows dates as the field draws them in %s: %s", (locale, shown) => {
    expect(formatFieldDate("1990-12-31", locale)).toBe(shown);
  });

  test("says its range in the field's format (jsdom's language is en-US), never in ISO", () => {
    const message = birthdayOutOfRange({ min: "1900-01-01", max: "2026-12-01" });
    expect(message).toBe("Choose a date between 01/01/1900 and today (12/01/2026).");
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  test.each([
    ["1990-12-31", true],
    ["2000-02-29", true],
    ["2023-02-29", false],
    ["1990-13-01", false],
    ["1990-1-1", false],
    ["", false],
  ])("%j is a calendar date: %s", (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
