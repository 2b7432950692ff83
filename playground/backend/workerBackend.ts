/**
 * The page's side of the playground's deployment: the shape of convex-test's backend
 * (`query`, `mutation`, `withIdentity`, `fetch`) that test/react/TestConvexClient.ts drives,
 * answered by the backend worker (worker.ts) by message.
 */
import type { FunctionReference, UserIdentity } from "convex/server";
import { getFunctionName } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import type { ClientBackend, ConvexCaller } from "../../test/react/TestConvexClient";
import type { BackendMessage, BackendRequest, HttpAnswer } from "./protocol";

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outgoing = BackendRequest extends infer R ? (R extends BackendRequest ? Omit<R, "id"> : never) : never;

export class WorkerBackend implements ClientBackend {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<() => void>();
  /** Resolves once the sample world is in, with the seed's surprises (empty when all went as planned). */
  readonly seeded: Promise<{ events: number; failures: string[] }>;

  constructor(private readonly worker: Worker) {
    let onSeeded: (seed: { events: number; failures: string[] }) => void = () => {};
    this.seeded = new Promise((resolve) => (onSeeded = resolve));
    worker.addEventListener("message", (event: MessageEvent<BackendMessage>) => {
      const message = event.data;
      if ("op" in message) {
        if (message.op === "seeded") onSeeded(message);
        for (const listener of this.changeListeners) listener();
        return;
      }
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else
        waiting.reject(
          message.error.convexErrorData === undefined
            ? new Error(message.error.message)
            : new ConvexError(message.error.convexErrorData as Value),
        );
    });
  }

  /** Calls `listener` whenever the backend wrote on its own (scheduled functions) or finished seeding. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private send(request: Outgoing): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private as(identity: Partial<UserIdentity> | null): ConvexCaller {
    return {
      query: (query: FunctionReference<"query">, args: Record<string, unknown> = {}) =>
        this.send({ op: "query", name: getFunctionName(query), args, identity }),
      mutation: (mutation: FunctionReference<"mutation">, args: Record<string, unknown> = {}) =>
        this.send({ op: "mutation", name: getFunctionName(mutation), args, identity }),
    };
  }

  query(query: FunctionReference<"query">, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.as(null).query(query, args);
  }

  mutation(mutation: FunctionReference<"mutation">, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.as(null).mutation(mutation, args);
  }

  withIdentity(identity: Partial<UserIdentity>): ConvexCaller {
    return this.as(identity);
  }

  /** An HTTP request to the deployment's HTTP actions (`/clerk-webhook`), like convex-test's `t.fetch`. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const answer = (await this.send({
      op: "fetch",
      path,
      method: init.method ?? "GET",
      headers: Object.fromEntries(new Headers(init.headers)),
      body: typeof init.body === "string" ? init.body : "",
    })) as HttpAnswer;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
}
