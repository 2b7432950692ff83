import { birthdayOutOfRange, birthdayRange } from "./birthday";

/** The profile form's fields, and what it says about each (and about the form as a whole). */
export type Field = "bio" | "country" | "birthday";
export type Errors = Partial<Record<Field | "form", string>>;

/**
 * The server's INVALID_PROFILE, every field it names (`errors`; `field`/`message` from an older
 * server). The birthday's is said in the format the field shows, not the server's ISO dates.
 */
export function serverErrors(data: Record<string, unknown>): Errors {
  const named: Record<string, unknown> =
    typeof data.errors === "object" && data.errors !== null
      ? (data.errors as Record<string, unknown>)
      : typeof data.field === "string"
        ? { [data.field]: data.message }
        : {};
  const errors: Errors = {};
  for (const field of ["bio", "country", "birthday"] as const) {
    const message = named[field];
    if (typeof message !== "string") continue;
    errors[field] = field === "birthday" ? birthdayOutOfRange(birthdayRange(new Date())) : message;
  }
  if (Object.keys(errors).length === 0)
    errors.form = typeof data.message === "string" ? data.message : "Check the fields and try again.";
  return errors;
}
