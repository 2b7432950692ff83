/** Formatting shared by the views: times, roles, countries, counts (initials: initials.ts). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

/** "just now", "5 minutes ago", "yesterday", "3 days ago"; the future reads as "just now". */
export function formatRelative(at: number, now: number): string {
  const elapsed = now - at;
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), "minute");
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), "hour");
  if (elapsed < 30 * DAY) return relative.format(-Math.floor(elapsed / DAY), "day");
  return dateTime.format(at);
}

/** A full, unambiguous timestamp (for tooltips and the event log). */
export function formatDateTime(at: number): string {
  return dateTime.format(at);
}

/** "Admin" for `org:admin`, or Clerk's role name when it has one. */
export function roleLabel(role: string | null, roleName: string | null = null): string {
  if (roleName !== null && roleName.trim() !== "") return roleName;
  if (role === null || role === "") return "No role";
  const key = role.replace(/^org:/, "").replace(/[_-]+/g, " ");
  return key.charAt(0).toUpperCase() + key.slice(1);
}

let regionNames: Intl.DisplayNames | null | undefined;

/** The English name of an ISO 3166-1 alpha-2 code ("DE" → "Germany"), or null when unknown. */
export function countryName(code: string): string | null {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) return null;
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    } catch {
      regionNames = null;
    }
  }
  return regionNames?.of(upper) ?? null;
}

/** A long birthday: "10 December 1815", from "1815-12-10". */
export function formatBirthday(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(date);
}

const count = new Intl.NumberFormat("en");

/** A whole number with thousands separators: 12,480. */
export function formatCount(value: number): string {
  return count.format(value);
}

/** A length of time, to the second: "42 s", "4 min 58 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** A machine name as words: "verification_code" → "Verification code". */
export function humanize(slug: string): string {
  const words = slug.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "1 organization", "2 organizations", "1,204 users" (regular plurals only), never split across lines. */
export function countOf(value: number, noun: string): string {
  return `${formatCount(value)}\u00a0${value === 1 ? noun : `${noun}s`}`;
}

const clock = new Intl.DateTimeFormat("en", { timeStyle: "medium" });

/** A moment near `now`: the time of day when it is today, else the full date and time. */
export function formatMoment(at: number, now: number): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? clock.format(at) : dateTime.format(at);
}
