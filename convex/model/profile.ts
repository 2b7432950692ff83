import { ConvexError } from "convex/values";

/** ISO 3166-1 alpha-2 country codes (the profile's country picker offers these). */
export const COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ " +
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW " +
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY " +
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV " +
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG " +
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

export const BIO_MAX_LENGTH = 500;
const EARLIEST_BIRTH_YEAR = 1900;

/** Profile edits as the client sends them: an absent field is unchanged, "" clears it. */
export type ProfileInput = { bio?: string; country?: string; birthday?: string };
/** Validated edits: `undefined` clears a field. */
export type ProfilePatch = { bio?: string | undefined; country?: string | undefined; birthday?: string | undefined };

/** True for a real calendar date `YYYY-MM-DD` between 1900-01-01 and `today` (UTC). */
export function isValidBirthday(value: string, today: Date): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const isRealDate = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isRealDate && year >= EARLIEST_BIRTH_YEAR && date.getTime() <= today.getTime();
}

/**
 * Checks profile edits and normalises them (trimmed bio, upper-case country). Every bad field is
 * reported at once: throws a ConvexError `{ code: "INVALID_PROFILE", field, message, errors }`,
 * where `errors` maps each bad field to its message, and `field`/`message` name the first of them.
 */
export function validateProfile(input: ProfileInput, now: number): ProfilePatch {
  const patch: ProfilePatch = {};
  const errors: Partial<Record<keyof ProfileInput, string>> = {};
  if (input.bio !== undefined) {
    const bio = input.bio.trim();
    if (bio.length > BIO_MAX_LENGTH)
      errors.bio = `Keep the bio to ${BIO_MAX_LENGTH} characters (it has ${bio.length}).`;
    patch.bio = bio === "" ? undefined : bio;
  }
  if (input.country !== undefined) {
    const country = input.country.trim().toUpperCase();
    if (country !== "" && !COUNTRY_CODES.has(country))
      errors.country = `"${input.country}" is not a country code (use ISO 3166-1 alpha-2, such as "DE" or "JP").`;
    patch.country = country === "" ? undefined : country;
  }
  if (input.birthday !== undefined) {
    const birthday = input.birthday.trim();
    if (birthday !== "" && !isValidBirthday(birthday, new Date(now)))
      errors.birthday = `"${input.birthday}" is not a date between ${EARLIEST_BIRTH_YEAR}-01-01 and today (use YYYY-MM-DD).`;
    patch.birthday = birthday === "" ? undefined : birthday;
  }
  const [first] = Object.entries(errors);
  if (first !== undefined)
    throw new ConvexError({ code: "INVALID_PROFILE", field: first[0], message: first[1], errors });
  return patch;
}
