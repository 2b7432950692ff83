/**
 * Stands in for src/lib/convex.ts in the preview build: answers the views' hooks from the
 * recording (scripts/browser/record.ts) for the scenario the page was opened with.
 */
import type * as ConvexReact from "convex/react";
import { getFunctionName, type FunctionReference, type PaginationResult } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import type { RecordedAnswer, Scenario } from "../recording";

let scenario: Scenario | null = null;

/** Chooses the scenario every hook answers from (before the first render). */
export function setScenario(next: Scenario): void {
  scenario = next;
}

function answerFor(reference: FunctionReference<"query">): RecordedAnswer {
  const name = getFunctionName(reference);
  const answer = scenario?.queries[name];
  if (answer === undefined) throw new Error(`The recording has no answer for ${name} in this scenario.`);
  return answer;
}

function errorOf(answer: Extract<RecordedAnswer, { status: "error" }>): Error {
  return answer.data === null ? new Error(answer.message) : new ConvexError(answer.data as Value);
}

export const useQuery = ((reference: FunctionReference<"query">, args?: unknown) => {
  if (args === "skip") return undefined;
  const answer = answerFor(reference);
  if (answer.status === "error") throw errorOf(answer);
  return answer.status === "ok" ? answer.value : undefined;
}) as typeof ConvexReact.useQuery;

export const usePaginatedQuery = ((reference: FunctionReference<"query">, args: unknown) => {
  const loadMore = () => {};
  if (args === "skip") return { results: [], status: "LoadingFirstPage", isLoading: true, loadMore };
  const answer = answerFor(reference);
  if (answer.status === "error") throw errorOf(answer);
  if (answer.status === "loading") return { results: [], status: "LoadingFirstPage", isLoading: true, loadMore };
  const page = answer.value as PaginationResult<unknown>;
  return page.isDone
    ? { results: page.page, status: "Exhausted", isLoading: false, loadMore }
    : { results: page.page, status: "CanLoadMore", isLoading: false, loadMore };
}) as typeof ConvexReact.usePaginatedQuery;

export const useMutation = ((reference: FunctionReference<"mutation">) => {
  return async (args: unknown = {}) => {
    const recorded = scenario?.mutations[getFunctionName(reference)] ?? [];
    const match = recorded.find((entry) => JSON.stringify(entry.args) === JSON.stringify(args));
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (match?.answer.status === "error") throw errorOf(match.answer);
    return match?.answer.status === "ok" ? match.answer.value : null;
  };
}) as unknown as typeof ConvexReact.useMutation;

export { useConvexConnectionState } from "../../../test/react/alwaysConnected";
