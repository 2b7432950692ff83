/**
 * Readers for untrusted JSON: Clerk's payloads are verified, but their shape is not promised
 * (fields go missing, turn null, or change type). Each reader returns a safe value or null;
 * `requireString` throws a PayloadError for what an event cannot do without.
 */

export type JsonObject = Record<string, unknown>;

/** A payload that is verified but unusable; recorded as a failed event. */
export class PayloadError extends Error {}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value[key]` when it is a non-empty string, else null. */
export function str(value: unknown, key: string): string | null {
  if (!isObject(value)) return null;
  const field = value[key];
  return typeof field === "string" && field.length > 0 ? field : null;
}

/** `value[key]` when it is a finite number, else null. */
export function num(value: unknown, key: string): number | null {
  if (!isObject(value)) return null;
  const field = value[key];
  return typeof field === "number" && Number.isFinite(field) ? field : null;
}

/** `value[key]` when it is an object, else null. */
export function obj(value: unknown, key: string): JsonObject | null {
  if (!isObject(value)) return null;
  const field = value[key];
  return isObject(field) ? field : null;
}

/** `value[key]` when it is an array (of anything), else an empty array. */
export function arr(value: unknown, key: string): unknown[] {
  if (!isObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field : [];
}

/** `value[key]` as a string, or a PayloadError naming what is missing. */
export function requireString(value: unknown, key: string, what: string): string {
  const field = str(value, key);
  if (field === null) throw new PayloadError(`${what}: "${key}" is missing or not a string`);
  return field;
}
