/** The birthday field's range and what it says about a date outside it. */

/** The earliest birthday the server accepts (convex/model/profile.ts); the latest is today. */
export const EARLIEST_BIRTHDAY = "1900-01-01";

/** `YYYY-MM-DD` of a date's calendar day in UTC, or in local time. */
const isoDay = (date: Date, utc: boolean) =>
  [
    utc ? date.getUTCFullYear() : date.getFullYear(),
    (utc ? date.getUTCMonth() : date.getMonth()) + 1,
    utc ? date.getUTCDate() : date.getDate(),
  ]
    .map((part, index) => String(part).padStart(index === 0 ? 4 : 2, "0"))
    .join("-");

/**
 * The birthdays the picker offers: 1900-01-01 to today. The server counts today in UTC and a person
 * in their own time zone, so the last day is the earlier of the two: never one the server refuses,
 * never one in the person's future.
 */
export function birthdayRange(now: Date): { min: string; max: string } {
  const local = isoDay(now, false);
  const utc = isoDay(now, true);
  return { min: EARLIEST_BIRTHDAY, max: local < utc ? local : utc };
}

/**
 * A `YYYY-MM-DD` date as the date field shows it: the browser's language's numeric date, as
 * Chromium's date input draws it (en-US "12/31/1990", en-GB "31/12/1990", de "31.12.1990",
 * ja "1990/12/31"). jsdom draws nothing, and its navigator.language is en-US.
 */
export function formatFieldDate(isoDate: string, locale = navigator.language): string {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** What the birthday field says when its date is outside the range, in the format the field shows. */
export function birthdayOutOfRange({ min, max }: { min: string; max: string }): string {
  return `Choose a date between ${formatFieldDate(min)} and today (${formatFieldDate(max)}).`;
}

/** What the birthday field says when a date is only partly typed. */
export const BIRTHDAY_INCOMPLETE = "Enter the whole date: day, month and year.";

/** A real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
