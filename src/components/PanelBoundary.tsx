import type { ReactNode } from "react";
import { describeError } from "../lib/errors";
import { ErrorPanel } from "./ErrorPanel";
import { Panel } from "./Panel";
import { QueryBoundary } from "./QueryBoundary";

/**
 * A panel's own error boundary: what its query threw is shown under the panel's title, so on a
 * page of several panels the reader knows which one failed, and the others keep working.
 */
export function PanelBoundary({ title, children }: { title: string; children: ReactNode }) {
  return (
    <QueryBoundary
      fallback={(error, retry) => (
        <Panel title={title}>
          <ErrorPanel info={describeError(error)} onRetry={retry} />
        </Panel>
      )}
    >
      {children}
    </QueryBoundary>
  );
}
