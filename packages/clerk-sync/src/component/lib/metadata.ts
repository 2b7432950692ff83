import { isObject } from "./payload.js";

/**
 * Clerk metadata may hold any JSON, including keys Convex forbids in field names (`$x`, `_x`)
 * and nesting deeper than Convex allows. It is stored as JSON text, which Convex accepts
 * whatever it holds, and decoded unchanged.
 */
export function encodeMetadata(value: unknown): string {
  return JSON.stringify(isObject(value) ? value : {});
}

/** The metadata object stored by `encodeMetadata` ({} for anything unreadable). */
export function decodeMetadata(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}
