import { Component, type ReactNode } from "react";
import { describeError, isRetryable } from "../lib/errors";
import { ErrorPanel } from "./ErrorPanel";

type Props = {
  children: ReactNode;
  /** When any of these change (another organization, another page), the boundary tries again. */
  resetKeys?: readonly unknown[];
  /** Rendered instead of the default error panel. */
  fallback?: (error: unknown, retry: () => void) => ReactNode;
};
type State = { failed: boolean; error: unknown; failedWith: readonly unknown[] };

function sameKeys(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((key, index) => Object.is(key, b[index]));
}

/**
 * Catches what a live query throws (a ConvexError such as NOT_A_MEMBER, or a failure) and shows
 * it in place of that one section, so the rest of the page keeps working.
 */
export class QueryBoundary extends Component<Props, State> {
  override state: State = { failed: false, error: null, failedWith: [] };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { failed: true, error };
  }

  override componentDidCatch(): void {
    this.setState({ failedWith: this.props.resetKeys ?? [] });
  }

  override componentDidUpdate(previous: Props): void {
    if (!this.state.failed) return;
    const keys = this.props.resetKeys ?? [];
    if (!sameKeys(previous.resetKeys ?? [], keys) && !sameKeys(this.state.failedWith, keys)) this.retry();
  }

  retry = (): void => {
    this.setState({ failed: false, error: null, failedWith: [] });
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    if (this.props.fallback) return this.props.fallback(this.state.error, this.retry);
    const info = describeError(this.state.error);
    // An authorization error is not retryable: "Try again" would only ask the same question.
    return <ErrorPanel info={info} onRetry={isRetryable(info) ? this.retry : undefined} />;
  }
}
