/**
 * "Nothing leaves your machine" holds for pictures too. Clerk's payloads carry image URLs on other
 * origins (`image_url` on img.clerk.com, `profile_image_url` on gravatar.com, organization logos),
 * and the browser fetches one the moment a view shows that avatar. Every Clerk object the
 * playground makes goes through `withoutRemoteImages`: such a URL becomes null — no picture, so
 * Roster shows the initials, as for someone who never uploaded one. A URL on this page's own origin
 * (a file under public/) would stay.
 */

/** `image_url`, `profile_image_url`, `logo_url`, `logo_image_url`, … */
const IMAGE_KEY = /(^|_)(image|logo)(_image)?_url$/;

/** True for an absolute http(s) URL, which points off this page whatever its host. */
function isRemote(value: unknown): boolean {
  return typeof value === "string" && /^(https?:)?\/\//i.test(value.trim());
}

/** A copy of `value` (a Clerk object, an event, a list of them) with every remote image URL nulled. */
export function withoutRemoteImages<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutRemoteImages) as T;
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = IMAGE_KEY.test(key) && isRemote(field) ? null : withoutRemoteImages(field);
  }
  return copy as T;
}

/** Every remote image URL in `value`, each with where it sits (what the tests look for). */
export function remoteImages(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => remoteImages(item, `${path}[${index}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    IMAGE_KEY.test(key) && isRemote(field)
      ? [`${path}.${key} = ${String(field)}`]
      : remoteImages(field, `${path}.${key}`),
  );
}
