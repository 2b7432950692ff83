import { act, renderHook, waitFor } from "@testing-library/react";
import type { RequestForQueries } from "convex/react";
import { useCallback, useRef, useSyncExternalStore } from "react";
import { runInComponent } from "convex-clerk-sync/test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import { ADA, clerkUserCharles, userEvent } from "../../test/clerkEvents";
import { newBackend, SECRET, type Backend } from "../../test/convex";
import { clerkIdentity } from "../../test/react/clerkMock";
import { TestConvexClient, type QueryState } from "../../test/react/TestConvexClient";
import { useGaplessPaginatedQuery } from "./useGaplessPaginatedQuery";

/** Convex's `useQueries` over the real functions in convex-test (each answer: a value, an Error, or undefined). */
let client: TestConvexClient<Backend>;
/** Every paginationOpts a page was asked with, in order. */
const asked: Array<Record<string, unknown>> = [];
vi.mock("convex/react", () => ({ useQueries: (queries: RequestForQueries) => useTestQueries(queries) }));

function useTestQueries(queries: RequestForQueries) {
  const entries = Object.entries(queries);
  const key = JSON.stringify(entries.map(([name, { args }]) => [name, args]));
  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = entries.map(([, { query, args }]) => {
        asked.push(args.paginationOpts as Record<string, unknown>);
        return client.subscribe(query, args, listener);
      });
      return () => stops.forEach((stop) => stop());
    },
    // keyed by the requests' JSON
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const cache = useRef<{ states: QueryState[]; answers: Record<string, unknown> } | null>(null);
  const getSnapshot = () => {
    const states = entries.map(([, { query, args }]) => client.getState(query, args));
    const previous = cache.current;
    if (
      previous !== null &&
      previous.states.length === states.length &&
      previous.states.every((s, i) => s === states[i])
    )
      return previous.answers;
    const answers = Object.fromEntries(
      entries.map(([name], i) => {
        const state = states[i];
        return [name, state?.status === "ok" ? state.value : state?.status === "error" ? state.error : undefined];
      }),
    );
    cache.current = { states, answers };
    return answers;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
  asked.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

type Row = { id: string; type: string };

describe("useGaplessPaginatedQuery", () => {
  test("an event arriving while two pages are loaded pushes no row out of view and shows none twice", async () => {
    client = new TestConvexClient(newBackend(), clerkIdentity(ADA, { name: "Ada Lovelace" }));
    await client.deliver(userEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }));
    for (let i = 1; i <= 3; i++)
      await client.deliver(
        userEvent("user.updated", { id: ADA, public_metadata: { rosterAdmin: true }, first_name: `Ada ${i}` }),
      );

    const { result } = renderHook(() => useGaplessPaginatedQuery(api.admin.eventLog, {}, { initialNumItems: 2 }));
    await waitFor(() => expect(result.current.status).toBe("CanLoadMore"));
    expect(result.current.results).toHaveLength(2);
    act(() => result.current.loadMore(2));
    await waitFor(() => expect(result.current.results).toHaveLength(4));
    const before = (result.current.results as Row[]).map((row) => row.id);

    await act(async () => {
      await client.deliver(userEvent("user.created", clerkUserCharles()));
    });
    await waitFor(() => expect(result.current.results).toHaveLength(5));
    const after = (result.current.results as Row[]).map((row) => row.id);
    expect((result.current.results as Row[])[0]?.type).toBe("user.created");
    expect(after.slice(1)).toEqual(before);
    expect(new Set(after).size).toBe(5);
    // Page 1 was asked again with its end fixed at where page 2 starts.
    const page2 = asked.find((opts) => opts.cursor !== null);
    expect(asked).toContainEqual(expect.objectContaining({ cursor: null, endCursor: page2?.cursor }));
  });

  test("more rows arriving above a loaded page than a page may hold: the list starts over, no error", async () => {
    client = new TestConvexClient(newBackend(), clerkIdentity(ADA, { name: "Ada Lovelace" }));
    await client.deliver(userEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }));
    for (let i = 1; i <= 3; i++)
      await client.deliver(userEvent("user.updated", { id: ADA, public_metadata: { rosterAdmin: true } }));
    const { result } = renderHook(() => useGaplessPaginatedQuery(api.admin.eventLog, {}, { initialNumItems: 2 }));
    await waitFor(() => expect(result.current.status).toBe("CanLoadMore"));
    act(() => result.current.loadMore(2));
    await waitFor(() => expect(result.current.results).toHaveLength(4));
    // 1,001 events above page 1's end: more than MAX_BOUNDED_PAGE_SIZE, so page 1 is INVALID_CURSOR.
    await act(async () => {
      await runInComponent(client.backend, async (ctx) => {
        for (let i = 0; i < 1001; i++)
          await ctx.db.insert("webhookEvents", {
            svixId: `msg_flood_${i}`,
            type: "session.created",
            family: "session",
            clerkIds: [],
            timestamp: null,
            receivedAt: Date.now(),
            outcome: "applied",
            attempts: 1,
          });
      });
      await client.refresh();
    });
    await waitFor(() => expect((result.current.results as Row[])[0]?.type).toBe("session.created"));
    expect(result.current.results).toHaveLength(2);
    expect(result.current.status).toBe("CanLoadMore");
  });

  test("the first page alone stays numItems long; new arguments start a new list", async () => {
    client = new TestConvexClient(newBackend(), clerkIdentity(ADA, { name: "Ada Lovelace" }));
    await client.deliver(userEvent("user.created", { id: ADA, public_metadata: { rosterAdmin: true } }));
    await client.deliver(userEvent("user.updated", { id: ADA, public_metadata: { rosterAdmin: true } }));
    const { result, rerender } = renderHook(
      ({ outcome }: { outcome?: "failed" }) =>
        useGaplessPaginatedQuery(api.admin.eventLog, outcome === undefined ? {} : { outcome }, { initialNumItems: 1 }),
      { initialProps: {} },
    );
    await waitFor(() => expect(result.current.status).toBe("CanLoadMore"));
    await act(async () => {
      await client.deliver(userEvent("user.created", clerkUserCharles()));
    });
    await waitFor(() => expect((result.current.results as Row[])[0]?.type).toBe("user.created"));
    expect(result.current.results).toHaveLength(1);
    expect(asked.every((opts) => opts.endCursor === undefined)).toBe(true);
    rerender({ outcome: "failed" });
    await waitFor(() => expect(result.current.status).toBe("Exhausted"));
    expect(result.current.results).toEqual([]);
  });
});
