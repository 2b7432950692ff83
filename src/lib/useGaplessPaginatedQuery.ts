/**
 * `usePaginatedQuery` for lists paged with explicit cursors (the clerkSync component's lists, such as
 * `admin.eventLog`), whose loaded pages must keep their ends.
 *
 * Convex's own hook asks every page for `numItems` rows and never passes `paginationOpts.endCursor`
 * when it loads more (only when it splits a page): for a built-in `.paginate()` the deployment keeps
 * each page's end itself (the query journal). An explicit-cursor page has no journal, so when a row
 * arrives before page 1's end, page 1 stays `numItems` long, its last row is pushed past it, and page
 * 2 still starts after that row's old place: the row is on no page until the list is loaded again.
 *
 * This hook does what the journal does: once a later page continues from a page, it asks that page
 * again with `endCursor` = the `continueCursor` it returned, so the page then holds every row up to
 * there, however many arrive. Until the bounded read answers, the page shows its earlier answer (no
 * flicker). A page the list cannot read any more (an "InvalidCursor" error) starts the list over, as
 * Convex's hook does; any other error is thrown to the nearest error boundary.
 */
import {
  useQueries,
  type PaginatedQueryArgs,
  type PaginatedQueryReference,
  type RequestForQueries,
  type UsePaginatedQueryReturnType,
} from "convex/react";
import { getFunctionName, type PaginationResult } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { useMemo, useState } from "react";

/** One loaded page: where it starts, how many rows it first asked for, and its fixed end once one follows it. */
type PageSpec = {
  cursor: string | null;
  numItems: number;
  endCursor: string | null;
  /** Its end was just fixed: its unbounded read stays subscribed (and shown) until the bounded one answers. */
  settling: boolean;
};

type ListState = { key: string; id: number; pages: PageSpec[] };

let nextListId = 0;

function startOf(key: string, initialNumItems: number, skip: boolean): ListState {
  nextListId += 1;
  return {
    key,
    id: nextListId,
    pages: skip ? [] : [{ cursor: null, numItems: initialNumItems, endCursor: null, settling: false }],
  };
}

function isInvalidCursor(error: Error): boolean {
  return error.message.includes("InvalidCursor");
}

export function useGaplessPaginatedQuery<Query extends PaginatedQueryReference>(
  query: Query,
  args: PaginatedQueryArgs<Query> | "skip",
  options: { initialNumItems: number },
): UsePaginatedQueryReturnType<Query> {
  const skip = args === "skip";
  const key = `${getFunctionName(query)}:${skip ? "skip" : JSON.stringify(convexToJson(args as Value))}:${options.initialNumItems}`;
  const [state, setState] = useState(() => startOf(key, options.initialNumItems, skip));
  let current = state;
  if (state.key !== key) {
    // New arguments: a new list (as Convex's hook starts over).
    current = startOf(key, options.initialNumItems, skip);
    setState(current);
  }

  const requests = useMemo(() => {
    const built: RequestForQueries = {};
    const base = skip ? {} : (args as Record<string, Value>);
    current.pages.forEach((page, i) => {
      const opts = { numItems: page.numItems, cursor: page.cursor, id: current.id };
      built[`${i}`] = {
        query,
        args: { ...base, paginationOpts: page.endCursor === null ? opts : { ...opts, endCursor: page.endCursor } },
      };
      if (page.settling) built[`${i}:before`] = { query, args: { ...base, paginationOpts: opts } };
    });
    return built;
    // `args` is keyed by `key`; `query` by its name in `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current]);
  const answers = useQueries(requests) as Record<string, PaginationResult<unknown> | Error | undefined>;

  const answerOf = (i: number) => answers[`${i}`] ?? answers[`${i}:before`];
  const settled = current.pages.some((page, i) => page.settling && answers[`${i}`] !== undefined);
  const invalid = current.pages.some((_, i) => {
    const answer = answerOf(i);
    return answer instanceof Error && isInvalidCursor(answer);
  });
  // Set while rendering (React's pattern for state that follows what a render found), as Convex's hook does.
  if (state === current && invalid) {
    // A page the list cannot read any more: start the list over.
    setState(startOf(key, options.initialNumItems, false));
  } else if (state === current && settled) {
    // The bounded reads that answered replace the answers shown meanwhile.
    setState({
      ...current,
      pages: current.pages.map((page, i) =>
        page.settling && answers[`${i}`] !== undefined ? { ...page, settling: false } : page,
      ),
    });
  }

  const results: unknown[] = [];
  let last: PaginationResult<unknown> | undefined;
  let loading = false;
  for (let i = 0; i < current.pages.length; i++) {
    const answer = answerOf(i);
    if (answer === undefined || (answer instanceof Error && isInvalidCursor(answer))) {
      loading = true;
      last = undefined;
      break;
    }
    if (answer instanceof Error) throw answer;
    results.push(...answer.page);
    last = answer;
  }

  const loadMore = (numItems: number) => {
    if (last === undefined || last.isDone) return;
    const from = last.continueCursor;
    const count = current.pages.length;
    setState((prev) => {
      // Once per answer: a second click before the new page exists adds nothing.
      if (prev !== current || prev.pages.length !== count) return prev;
      const pages = prev.pages.map((page, i) =>
        i === count - 1 ? { ...page, endCursor: from, settling: true } : page,
      );
      return { ...prev, pages: [...pages, { cursor: from, numItems, endCursor: null, settling: false }] };
    });
  };

  const noop = () => {};
  if (current.pages.length === 0 || (loading && results.length === 0 && current.pages.length === 1))
    return {
      results: [],
      status: "LoadingFirstPage",
      isLoading: true,
      loadMore: noop,
    };
  if (loading || last === undefined) return { results, status: "LoadingMore", isLoading: true, loadMore: noop };
  if (last.isDone) return { results, status: "Exhausted", isLoading: false, loadMore: noop };
  return { results, status: "CanLoadMore", isLoading: false, loadMore };
}
