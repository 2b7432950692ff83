import { useId, useRef, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { useMutation } from "../../lib/convex";
import { convexErrorData } from "../../lib/errors";
import { countryName } from "../../lib/format";
import { FormField } from "../../components/FormField";
import { BIRTHDAY_INCOMPLETE, birthdayOutOfRange, birthdayRange, isCalendarDate } from "./birthday";
import { CountryPicker } from "./CountryPicker";
import { serverErrors, type Errors, type Field } from "./profileErrors";

/** The bio limit the server enforces (convex/model/profile.ts). */
export const BIO_MAX_LENGTH = 500;

export type RosterProfileFields = { bio: string | null; country: string | null; birthday: string | null };

const inputClasses =
  "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-500 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none aria-invalid:border-red-400 aria-invalid:ring-red-200";

/**
 * What the browser can tell before asking the server, every field at once; the server has the
 * last word. `birthdayIncomplete`: the date field holds a date only partly typed (its value is then "").
 */
function checkLocally(values: Record<Field, string>, birthdayIncomplete: boolean, now: Date): Errors {
  const errors: Errors = {};
  if (values.bio.trim().length > BIO_MAX_LENGTH)
    errors.bio = `Keep the bio to ${BIO_MAX_LENGTH} characters (it has ${values.bio.trim().length}).`;
  if (values.country.trim() !== "" && !/^[A-Za-z]{2}$/.test(values.country.trim()))
    errors.country = "Choose a country from the list.";
  const birthday = values.birthday.trim();
  const range = birthdayRange(now);
  if (birthdayIncomplete) errors.birthday = BIRTHDAY_INCOMPLETE;
  else if (birthday !== "" && (!isCalendarDate(birthday) || birthday < range.min || birthday > range.max))
    errors.birthday = birthdayOutOfRange(range);
  return errors;
}

/** Roster's own profile fields (bio, country, birthday), saved with `users.updateProfile`. */
export function ProfileForm({ initial, onSaved }: { initial: RosterProfileFields; onSaved: () => void }) {
  const id = useId();
  const updateProfile = useMutation(api.users.updateProfile);
  const [values, setValues] = useState<Record<Field, string>>({
    bio: initial.bio ?? "",
    country: initial.country ?? "",
    birthday: initial.birthday ?? "",
  });
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | HTMLTextAreaElement | null>>>({});

  const dirty =
    values.bio !== (initial.bio ?? "") ||
    values.country !== (initial.country ?? "") ||
    values.birthday !== (initial.birthday ?? "");
  const country = countryName(values.country);
  // Today's range, taken when the form opens (a form left open past midnight is checked again on save).
  const [birthday] = useState(() => birthdayRange(new Date()));

  function change(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined, form: undefined }));
  }

  function showErrors(next: Errors) {
    setErrors(next);
    const first = (["bio", "country", "birthday"] as const).find((field) => next[field]);
    if (first) fieldRefs.current[first]?.focus();
  }

  /** A date only partly typed: the field's value is "" and the browser says its input is bad. */
  const birthdayIncomplete = () => fieldRefs.current.birthday?.validity?.badInput === true;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = checkLocally(values, birthdayIncomplete(), new Date());
    if (Object.keys(local).length > 0) return showErrors(local);
    setSaving(true);
    setErrors({});
    try {
      await updateProfile({ bio: values.bio, country: values.country, birthday: values.birthday });
      onSaved();
    } catch (error) {
      const data = convexErrorData(error);
      if (data?.code === "INVALID_PROFILE") {
        showErrors(serverErrors(data));
      } else if (typeof data?.message === "string") {
        showErrors({ form: data.message });
      } else {
        showErrors({ form: "Saving failed. Check your connection and try again." });
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={`${id}-title`}
      className="rounded-2xl border border-slate-200 bg-white shadow-sm shadow-slate-200/50"
    >
      <div className="border-b border-slate-100 px-5 py-4">
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          About you
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">Roster&rsquo;s own fields. Only you can change them.</p>
      </div>
      <div className="grid gap-5 px-5 py-5 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <FormField
            id={`${id}-bio`}
            label="Bio"
            hint={`${values.bio.trim().length} / ${BIO_MAX_LENGTH} characters`}
            error={errors.bio}
          >
            {(describedBy) => (
              <textarea
                id={`${id}-bio`}
                ref={(element) => {
                  fieldRefs.current.bio = element;
                }}
                name="bio"
                rows={4}
                value={values.bio}
                onChange={(event) => change("bio", event.target.value)}
                aria-invalid={errors.bio ? true : undefined}
                aria-describedby={describedBy || undefined}
                placeholder="What you work on, what you are good at…"
                className={inputClasses}
              />
            )}
          </FormField>
        </div>
        <FormField
          id={`${id}-country`}
          label="Country"
          hint={country ? undefined : "Type to search, then choose with Enter."}
          error={errors.country}
        >
          {(describedBy) => (
            <CountryPicker
              id={`${id}-country`}
              inputRef={(element) => {
                fieldRefs.current.country = element;
              }}
              value={values.country}
              onChange={(code) => change("country", code)}
              describedBy={describedBy}
              invalid={errors.country !== undefined}
              className={inputClasses}
            />
          )}
        </FormField>
        <FormField id={`${id}-birthday`} label="Birthday" error={errors.birthday}>
          {(describedBy) => (
            <input
              id={`${id}-birthday`}
              ref={(element) => {
                fieldRefs.current.birthday = element;
              }}
              name="birthday"
              type="date"
              value={values.birthday}
              onChange={(event) => change("birthday", event.target.value)}
              onBlur={() => {
                if (birthdayIncomplete()) setErrors((current) => ({ ...current, birthday: BIRTHDAY_INCOMPLETE }));
              }}
              autoComplete="bday"
              min={birthday.min}
              max={birthday.max}
              aria-invalid={errors.birthday ? true : undefined}
              aria-describedby={describedBy || undefined}
              className={inputClasses}
            />
          )}
        </FormField>
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3 rounded-b-2xl border-t border-slate-100 bg-slate-50/60 px-5 py-3">
        {errors.form ? (
          <p role="alert" className="mr-auto text-sm font-medium text-red-700">
            {errors.form}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={saving || !dirty}
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {saving ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
