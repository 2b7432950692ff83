import { describe, expect, test } from "vitest";
import { isValidBirthday, validateProfile } from "./profile";

const today = new Date(Date.UTC(2026, 10, 29));

describe("isValidBirthday", () => {
  test.each(["2000-02-29", "1900-01-01", "2026-11-29", "1985-07-04"])("accepts %s", (date) => {
    expect(isValidBirthday(date, today)).toBe(true);
  });
  test.each([
    "1900-02-29",
    "2023-02-29",
    "2026-11-30",
    "1899-12-31",
    "2026-13-01",
    "2026-00-10",
    "26-01-01",
    "2026-1-1",
    "",
    "2026-01-01T00:00",
  ])("rejects %s", (date) => {
    expect(isValidBirthday(date, today)).toBe(false);
  });
});

describe("validateProfile", () => {
  test("trims the bio, upper-cases the country and turns empty strings into cleared fields", () => {
    expect(validateProfile({ bio: "  hi  ", country: " de ", birthday: "" }, today.getTime())).toEqual({
      bio: "hi",
      country: "DE",
      birthday: undefined,
    });
  });
  test("leaves out what was not given", () => {
    expect(validateProfile({}, today.getTime())).toEqual({});
  });
});
