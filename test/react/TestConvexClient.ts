import type { UserIdentity } from "convex/server";
import { getFunctionName, type FunctionReference } from "convex/server";
import { deliver, type Backend, type SignOptions } from "../convex";

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

/**
 * A stand-in for `ConvexReactClient` over a convex-test backend: queries run the real Convex
 * functions as the signed-in identity, and every subscribed query runs again after each mutation
 * or delivered webhook — the way Convex pushes new results to the browser after a write.
 */
export class TestConvexClient {
  private readonly subscriptions = new Map<string, Subscription>();
  private identity: Partial<UserIdentity> | null;

  constructor(
    readonly backend: Backend,
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
    if (run !== subscription.run) return;
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
