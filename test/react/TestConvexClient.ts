import type { UserIdentity } from "convex/server";
import { getFunctionName, type FunctionReference } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { deliver, type HttpTarget, type SignOptions } from "../webhookRequests";

/** Runs queries and mutations as one caller: convex-test's backend, or `withIdentity` of it. */
export type ConvexCaller = {
  query: (query: FunctionReference<"query">, args: Record<string, unknown>) => Promise<unknown>;
  mutation: (mutation: FunctionReference<"mutation">, args: Record<string, unknown>) => Promise<unknown>;
};

/**
 * What the client needs of a backend: convex-test's (`newBackend()` in tests), or the
 * playground's, which runs the same functions in a Web Worker (playground/backend/).
 */
export type ClientBackend = ConvexCaller &
  HttpTarget & { withIdentity: (identity: Partial<UserIdentity>) => ConvexCaller };

/** What a subscribed query currently holds, as `useQuery` sees it. */
export type QueryState = { status: "loading" } | { status: "ok"; value: unknown } | { status: "error"; error: unknown };

type Subscription = {
  query: FunctionReference<"query">;
  args: Record<string, unknown>;
  state: QueryState;
  listeners: Set<() => void>;
  /** Bumped on every run, so a slow older run never overwrites a newer answer. */
  run: number;
};

const LOADING: QueryState = { status: "loading" };

/** The same answer again (Convex values compared as JSON), so subscribers need not re-render. */
function sameState(before: QueryState, after: QueryState): boolean {
  if (before.status !== "ok" || after.status !== "ok") return false;
  try {
    return JSON.stringify(convexToJson(before.value as Value)) === JSON.stringify(convexToJson(after.value as Value));
  } catch {
    return false;
  }
}

/**
 * A stand-in for `ConvexReactClient` over a convex-test backend (in tests, and in the playground):
 * queries run the real Convex functions as the signed-in identity, and every subscribed query runs
 * again after each mutation or delivered webhook (and, in the playground, after scheduled work) —
 * the way Convex pushes new results to the browser after a write. An unchanged answer notifies no one.
 */
export class TestConvexClient<B extends ClientBackend = ClientBackend> {
  private readonly subscriptions = new Map<string, Subscription>();
  private identity: Partial<UserIdentity> | null;

  constructor(
    readonly backend: B,
    identity: Partial<UserIdentity> | null = null,
  ) {
    this.identity = identity;
  }

  /** The backend as the current caller sees it (signed in or not). */
  private get caller() {
    return this.identity === null ? this.backend : this.backend.withIdentity(this.identity);
  }

  private static keyOf(query: FunctionReference<"query">, args: Record<string, unknown>): string {
    return `${getFunctionName(query)}:${JSON.stringify(args)}`;
  }

  /** Current state of a query (loading until its first run has finished). */
  getState(query: FunctionReference<"query">, args: Record<string, unknown>): QueryState {
    return this.subscriptions.get(TestConvexClient.keyOf(query, args))?.state ?? LOADING;
  }

  /** Subscribes `listener` to a query; the first subscriber starts it. Returns the unsubscribe. */
  subscribe(query: FunctionReference<"query">, args: Record<string, unknown>, listener: () => void): () => void {
    const key = TestConvexClient.keyOf(query, args);
    let subscription = this.subscriptions.get(key);
    if (!subscription) {
      subscription = { query, args, state: LOADING, listeners: new Set(), run: 0 };
      this.subscriptions.set(key, subscription);
      void this.runQuery(subscription);
    }
    subscription.listeners.add(listener);
    const current = subscription;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.subscriptions.delete(key);
    };
  }

  private async runQuery(subscription: Subscription): Promise<void> {
    subscription.run += 1;
    const run = subscription.run;
    let next: QueryState;
    try {
      next = { status: "ok", value: await this.caller.query(subscription.query, subscription.args) };
    } catch (error) {
      next = { status: "error", error };
    }
    if (run !== subscription.run || sameState(subscription.state, next)) return;
    subscription.state = next;
    for (const listener of subscription.listeners) listener();
  }

  /** Runs every subscribed query again and waits for the answers. */
  async refresh(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((subscription) => this.runQuery(subscription)));
  }

  /** Runs a mutation as the caller; resolves once subscribed queries reflect it (as Convex does). */
  async mutation(mutation: FunctionReference<"mutation">, args: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.caller.mutation(mutation, args);
    } finally {
      await this.refresh();
    }
  }

  /** Posts a signed Clerk webhook to /clerk-webhook, then refreshes every subscribed query. */
  async deliver(event: object | string, options?: SignOptions) {
    const answer = await deliver(this.backend, event, options);
    await this.refresh();
    return answer;
  }

  /** Changes who is signed in (null = signed out) and refreshes every subscribed query. */
  async setIdentity(identity: Partial<UserIdentity> | null): Promise<void> {
    this.identity = identity;
    await this.refresh();
  }
}
