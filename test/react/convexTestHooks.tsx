/**
 * Drop-in replacements for the hooks in src/lib/convex.ts, answered by a TestConvexClient
 * (convex-test running the real Convex functions). A test swaps them in with
 *
 *   vi.mock("../lib/convex", () => import("../../test/react/convexTestHooks"));
 *
 * and wraps the view in <ConvexTestProvider client={client}>.
 */
import type * as ConvexReact from "convex/react";
import { getFunctionName, type FunctionReference, type PaginationResult } from "convex/server";
import { createContext, useCallback, useContext, useState, useSyncExternalStore, type ReactNode } from "react";
import type { QueryState, TestConvexClient } from "./TestConvexClient";

const ClientContext = createContext<TestConvexClient | null>(null);

export function ConvexTestProvider({ client, children }: { client: TestConvexClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

function useTestClient(): TestConvexClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error("Wrap the component in <ConvexTestProvider client={…}>.");
  return client;
}

const SKIPPED: QueryState = { status: "loading" };

/** Subscribes to a query (or nothing, for "skip") and returns its current state. */
function useQueryState(query: FunctionReference<"query">, args: Record<string, unknown> | "skip"): QueryState {
  const client = useTestClient();
  const argsKey = JSON.stringify(args);
  // `api.x.y` builds a new reference object on every access: the function's name is what is stable.
  const name = getFunctionName(query);
  const subscribe = useCallback(
    (listener: () => void) => {
      if (argsKey === '"skip"') return () => {};
      return client.subscribe(query, JSON.parse(argsKey) as Record<string, unknown>, listener);
    },
    // keyed by `name`, see above
    [client, name, argsKey],
  );
  const getSnapshot = useCallback(
    () => (argsKey === '"skip"' ? SKIPPED : client.getState(query, JSON.parse(argsKey) as Record<string, unknown>)),
    // keyed by `name`, see above
    [client, name, argsKey],
  );
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Like Convex's `useQuery`: undefined while loading, the result, or throws the query's error. */
export const useQuery = ((query: FunctionReference<"query">, args?: Record<string, unknown> | "skip") => {
  const state = useQueryState(query, args ?? {});
  if (state.status === "error") throw state.error;
  return state.status === "ok" ? state.value : undefined;
}) as typeof ConvexReact.useQuery;

/**
 * Like Convex's `usePaginatedQuery`: the first `initialNumItems`, growing by `loadMore(n)`. While
 * more load, the results already shown stay (status "LoadingMore"); new arguments start over.
 */
export const usePaginatedQuery = ((
  query: FunctionReference<"query">,
  args: Record<string, unknown> | "skip",
  options: { initialNumItems: number },
) => {
  const argsKey = JSON.stringify(args);
  const [size, setSize] = useState({ argsKey, numItems: options.initialNumItems });
  const numItems = size.argsKey === argsKey ? size.numItems : options.initialNumItems;
  const [shown, setShown] = useState<{ argsKey: string; page: unknown[] } | null>(null);
  const state = useQueryState(
    query,
    args === "skip" ? "skip" : { ...args, paginationOpts: { numItems, cursor: null } },
  );
  if (state.status === "error") throw state.error;

  const loadMore = (more: number) => {
    if (state.status === "ok" && !(state.value as PaginationResult<unknown>).isDone)
      setSize({ argsKey, numItems: numItems + more });
  };
  if (state.status === "ok") {
    const result = state.value as PaginationResult<unknown>;
    if (shown?.page !== result.page || shown.argsKey !== argsKey) setShown({ argsKey, page: result.page });
    return result.isDone
      ? { results: result.page, status: "Exhausted", isLoading: false, loadMore }
      : { results: result.page, status: "CanLoadMore", isLoading: false, loadMore };
  }
  if (shown !== null && shown.argsKey === argsKey)
    return { results: shown.page, status: "LoadingMore", isLoading: true, loadMore };
  return { results: [], status: "LoadingFirstPage", isLoading: true, loadMore };
}) as typeof ConvexReact.usePaginatedQuery;

/** The same here: one growing read from the start has no page ends to keep. */
export const useGaplessPaginatedQuery = usePaginatedQuery;

/** Like Convex's `useMutation`: runs the real mutation; resolves after the queries have updated. */
export const useMutation = ((mutation: FunctionReference<"mutation">) => {
  const client = useTestClient();
  const name = getFunctionName(mutation);
  return useCallback(
    (args?: Record<string, unknown>) => client.mutation(mutation, args ?? {}),
    // keyed by the function's name, not the reference object
    [client, name],
  );
}) as unknown as typeof ConvexReact.useMutation;

export { useConvexConnectionState } from "./alwaysConnected";
