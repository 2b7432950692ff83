/**
 * The names Roster shows for people, from the fields Clerk gives (a user, or the public user data a
 * membership carries). Pure: the activity feed, the profile and the members list share them.
 */

/** The name fields a person has (a Clerk user, or a membership's public user data). */
export type NameFields = { firstName: string | null; lastName: string | null };

/** A person's first and last name, or null: never their email, phone or other identifier. */
export function personName(person: NameFields): string | null {
  const full = [person.firstName, person.lastName].filter((part) => part !== null && part.trim() !== "").join(" ");
  return full === "" ? null : full;
}

/**
 * The name to show for a user: first and last name, else the username, else the email or
 * phone number; never "null null".
 */
export function displayName(
  user: NameFields & { username: string | null; email: string | null; phone: string | null },
  fallback = "Unnamed user",
): string {
  return personName(user) ?? (user.username || user.email || user.phone || fallback);
}
