/** Messages between the playground page and its backend worker (backend/worker.ts). */
import type { UserIdentity } from "convex/server";

/** What the page asks: run a query or mutation (by function name, as an identity), or an HTTP request. */
export type BackendRequest =
  | {
      id: number;
      op: "query" | "mutation";
      name: string;
      args: Record<string, unknown>;
      identity: Partial<UserIdentity> | null;
    }
  | { id: number; op: "fetch"; path: string; method: string; headers: Record<string, string>; body: string };

/** An error as the page rebuilds it: a ConvexError's data, or a plain message (a bug, or a server error). */
export type SerializedError = { message: string; convexErrorData?: unknown };

export type HttpAnswer = { status: number; headers: Record<string, string>; body: string };

/** What the worker says: an answer, "data changed" (scheduled work ran), or "seeded" (the sample world is in). */
export type BackendMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { op: "changed" }
  | { op: "seeded"; events: number; failures: string[] };
