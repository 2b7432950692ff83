/**
 * Initials for an avatar placeholder, never mixing scripts.
 *
 * The rule:
 * - The name is cut at "@" (an email address names its person by what comes before) and split into
 *   words at spaces, dots, underscores and hyphens ("difference-engine" → "DE").
 * - Each word's initial is its first letter or digit, as a whole grapheme (Intl.Segmenter), so an
 *   accented letter written with a combining mark ("É" as E + ◌́), a Hangul syllable or a surrogate
 *   pair stays whole and is never cut in half.
 * - The first word's initial always counts. The second word's is added only when both initials are
 *   letters of the same script, and that script writes initials (Latin, Greek, Cyrillic, …): "Ada
 *   Lovelace" → "AL", "Ada 山田" → "A", "山田 太郎" → "山", "2nd Team" → "2".
 * - Chinese, Japanese and Korean names get one character: two are not an abbreviation there but the
 *   start of a name, and one reads better in a small circle.
 * - A word without a letter or digit ("🦄") gives none; a name with none at all ("", "!!!") → "?".
 */

// Every browser Roster supports has Intl.Segmenter; without it, code points are the next best thing.
const segmenter =
  typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

function graphemes(text: string): string[] {
  return segmenter ? Array.from(segmenter.segment(text), (part) => part.segment) : Array.from(text);
}

/** Scripts whose names take one initial (CJK). */
const ONE_INITIAL = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
/** The scripts whose initials may pair up; a letter of any other script gets one initial. */
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Latin", /^\p{Script=Latin}/u],
  ["Greek", /^\p{Script=Greek}/u],
  ["Cyrillic", /^\p{Script=Cyrillic}/u],
  ["Armenian", /^\p{Script=Armenian}/u],
  ["Georgian", /^\p{Script=Georgian}/u],
  ["Hebrew", /^\p{Script=Hebrew}/u],
  ["Arabic", /^\p{Script=Arabic}/u],
  ["Devanagari", /^\p{Script=Devanagari}/u],
  ["Bengali", /^\p{Script=Bengali}/u],
  ["Tamil", /^\p{Script=Tamil}/u],
  ["Thai", /^\p{Script=Thai}/u],
  ["Ethiopic", /^\p{Script=Ethiopic}/u],
  ["CJK", ONE_INITIAL],
];

/** The script of a grapheme's first letter, or null for a digit (or a letter of a script not listed). */
function scriptOf(grapheme: string): string | null {
  if (!/^\p{L}/u.test(grapheme)) return null;
  return SCRIPTS.find(([, pattern]) => pattern.test(grapheme))?.[0] ?? null;
}

/** The first letter or digit of `word`, as a whole grapheme, upper-cased where the script has case. */
function initialOf(word: string): string | null {
  const found = graphemes(word).find((grapheme) => /^[\p{L}\p{N}]/u.test(grapheme));
  if (found === undefined) return null;
  const upper = found.toUpperCase();
  // "ß" would become "SS": one grapheme in, one out.
  return graphemes(upper).length === 1 ? upper : found;
}

/** Up to two initials from one script: "Ada Lovelace" → "AL", "ada@x.io" → "A", "山田 太郎" → "山". */
export function initialsOf(name: string): string {
  const initials = name
    .replace(/@.*$/s, "")
    .split(/[\s._-]+/)
    .map(initialOf)
    .filter((initial) => initial !== null);
  const [first, second] = initials;
  if (first === undefined) return "?";
  const script = scriptOf(first);
  if (second === undefined || script === null || script === "CJK" || scriptOf(second) !== script) return first;
  return first + second;
}
