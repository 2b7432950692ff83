/** Whether the profile has arrived from Clerk's `user.created` webhook yet. */
export function SyncBadge({ synced }: { synced: boolean }) {
  if (synced) {
    return (
      <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200 ring-inset">
        <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
        In sync with Clerk
      </span>
    );
  }
  return (
    <span
      role="status"
      className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset"
    >
      <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-amber-500" />
      Syncing from Clerk…
    </span>
  );
}
