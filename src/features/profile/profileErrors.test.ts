import { describe, expect, test } from "vitest";
import { birthdayOutOfRange, birthdayRange } from "./birthday";
import { serverErrors } from "./profileErrors";

describe("the server's INVALID_PROFILE, as the form shows it", () => {
  test("every field the server names, at once; the birthday in the field's format, not ISO", () => {
    const errors = serverErrors({
      code: "INVALID_PROFILE",
      field: "bio",
      message: "Keep the bio to 500 characters (it has 501).",
      errors: {
        bio: "Keep the bio to 500 characters (it has 501).",
        country: '"XX" is not a country code (use ISO 3166-1 alpha-2, such as "DE" or "JP").',
        birthday: '"2999-01-01" is not a date between 1900-01-01 and today (use YYYY-MM-DD).',
      },
    });
    expect(errors).toEqual({
      bio: "Keep the bio to 500 characters (it has 501).",
      country: '"XX" is not a country code (use ISO 3166-1 alpha-2, such as "DE" or "JP").',
      birthday: birthdayOutOfRange(birthdayRange(new Date())),
    });
    expect(errors.birthday).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  test("an older server naming one field", () => {
    expect(serverErrors({ code: "INVALID_PROFILE", field: "country", message: "Not a country." })).toEqual({
      country: "Not a country.",
    });
  });

  test("no field it knows: said for the form", () => {
    expect(serverErrors({ code: "INVALID_PROFILE", field: "nickname", message: "No." })).toEqual({ form: "No." });
  });
});
