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
  test("reports every bad field at once, the first also as `field` and `message`", () => {
    const thrown = (() => {
      try {
        validateProfile({ bio: "x".repeat(501), country: "XX", birthday: "2999-01-01" }, today.getTime());
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({
      data: {
        code: "INVALID_PROFILE",
        field: "bio",
        message: expect.stringMatching(/500 characters/),
        errors: {
          bio: expect.stringMatching(/500 characters/),
          country: expect.stringMatching(/not a country code/),
          birthday: expect.stringMatching(/not a date between 1900-01-01 and today/),
        },
      },
    });
  });
  test("one bad field among good ones: only that one is reported", () => {
    expect(() => validateProfile({ bio: "fine", country: "DE", birthday: "1899-12-31" }, today.getTime())).toThrow(
      expect.objectContaining({
        data: expect.objectContaining({ field: "birthday", errors: { birthday: expect.any(String) } }),
      }),
    );
  });
});
