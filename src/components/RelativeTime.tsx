import { useNow } from "../hooks/useNow";
import { formatDateTime, formatRelative } from "../lib/format";

/** "5 minutes ago", kept current, with the exact time in the tooltip and the markup. */
export function RelativeTime({ at }: { at: number }) {
  const now = useNow();
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatRelative(at, now)}
    </time>
  );
}
