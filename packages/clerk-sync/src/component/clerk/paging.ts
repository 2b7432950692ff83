/**
 * Walking Clerk's offset-paged lists (oldest first) without skipping anything when objects are
 * deleted mid-run. A plain offset skips: delete one object already read and every later one
 * moves up a place, so the first object of the next page is never read. Each page is therefore
 * fetched with an overlap of the previous one and read by position in `created_at` order (the
 * last `created_at` read, and the ids read at that instant); when the overlap no longer reaches
 * back to what was read, the cursor steps back a page. Creations land at the end (newest), so
 * they never shift what was read.
 */
import { v, type Infer } from "convex/values";
import { num, str, type JsonObject } from "../lib/payload.js";

export const vListCursor = v.object({
  /** Where the next page starts, as far as is known. */
  offset: v.number(),
  /** The latest `created_at` read so far (null before the first object). */
  lastCreatedAt: v.union(v.number(), v.null()),
  /** The ids read whose `created_at` is `lastCreatedAt` (ties). */
  lastIds: v.array(v.string()),
});
export type ListCursor = Infer<typeof vListCursor>;

export const LIST_START: ListCursor = { offset: 0, lastCreatedAt: null, lastIds: [] };

/** How many objects read before each page is fetched again, to notice deletions. */
export const PAGE_OVERLAP = 10;

/**
 * How many ids of the latest `created_at` the cursor keeps: only the newest ones. A page is
 * fetched again from at most a page plus the overlap before the cursor (runs.ts caps a page at
 * 200), so older ties can no longer come back in it; a bulk import of thousands of objects at one
 * instant keeps the cursor this small instead of growing past Convex's 8,192 items per array.
 */
export const MAX_TIED_IDS = 256;

/** The offset and limit of the next request. */
export function pageRequest(cursor: ListCursor, pageSize: number): { offset: number; limit: number } {
  const offset = Math.max(0, cursor.offset - PAGE_OVERLAP);
  return { offset, limit: pageSize + (cursor.offset - offset) };
}

export type PageRead =
  /** Objects before the page were deleted (more than the overlap): fetch again from `cursor`. */
  | { kind: "rewind"; cursor: ListCursor }
  /** `fresh` are the objects not read before; `done` when this was the last page. */
  | { kind: "page"; fresh: JsonObject[]; cursor: ListCursor; done: boolean };

/**
 * Reads the answer to `pageRequest(cursor, pageSize)`: which objects are new, where the next
 * page starts, and whether the list is finished.
 */
export function readPage(
  cursor: ListCursor,
  request: { offset: number; limit: number },
  items: JsonObject[],
  pageSize: number,
): PageRead {
  const last = cursor.lastCreatedAt;
  if (last !== null && request.offset > 0) {
    const firstCreatedAt = items.length > 0 ? num(items[0], "created_at") : null;
    // The page starts after what was read (or past the end): objects read before it were
    // deleted and unread ones moved up, out of the overlap. Step back.
    if (items.length === 0 || (firstCreatedAt !== null && firstCreatedAt > last)) {
      return { kind: "rewind", cursor: { ...cursor, offset: Math.max(0, request.offset - pageSize) } };
    }
  }

  const alreadyRead = cursor.offset - request.offset;
  const lastIds = new Set(cursor.lastIds);
  const fresh = items.filter((item, index) => {
    const createdAt = num(item, "created_at");
    if (last === null || createdAt === null) return index >= alreadyRead;
    return createdAt > last || (createdAt === last && !lastIds.has(str(item, "id") ?? ""));
  });

  let lastCreatedAt = last;
  let ids = cursor.lastIds;
  for (const item of fresh) {
    const createdAt = num(item, "created_at");
    const id = str(item, "id");
    if (createdAt === null || id === null) continue;
    if (lastCreatedAt === null || createdAt > lastCreatedAt) {
      lastCreatedAt = createdAt;
      ids = [id];
    } else if (createdAt === lastCreatedAt) {
      ids = [...ids, id];
    }
  }
  if (ids.length > MAX_TIED_IDS) ids = ids.slice(-MAX_TIED_IDS);
  return {
    kind: "page",
    fresh,
    cursor: { offset: request.offset + items.length, lastCreatedAt, lastIds: ids },
    done: items.length < request.limit,
  };
}
