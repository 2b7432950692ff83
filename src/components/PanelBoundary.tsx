import type { ReactNode } from "react";
import { describeError, isRetryable } from "../lib/errors";
import { ErrorPanel } from "./ErrorPanel";
import { Panel } from "./Panel";
import { QueryBoundary } from "./QueryBoundary";

/**
 * A panel's own error boundary: what its query threw is shown under the panel's title, so on a
 * page of several panels the reader knows which one failed, and the others keep working. An
 * authorization error offers no "Try again"; with `escalate` matching (e.g. `isAuthorizationError`
 * on a page whose panels share one permission) the error goes to the page's boundary instead, so
 * the page says it once rather than once per panel.
 */
export function PanelBoundary({
  title,
  children,
  escalate,
}: {
  title: string;
  children: ReactNode;
  escalate?: (error: unknown) => boolean;
}) {
  return (
    <QueryBoundary
      fallback={(error, retry) => {
        if (escalate?.(error)) throw error;
        const info = describeError(error);
        return (
          <Panel title={title}>
            <ErrorPanel info={info} onRetry={isRetryable(info) ? retry : undefined} />
          </Panel>
        );
      }}
    >
      {children}
    </QueryBoundary>
  );
}
