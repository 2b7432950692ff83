import { PLAYGROUND_LABEL, PLAYGROUND_SHORT_LABEL } from "./config";

export type SeedStatus = { state: "seeding" } | { state: "seeded"; events: number; failures: string[] };

/**
 * The playground's label on every screen, the way out, and the Clerk events drawer's button. On a
 * phone it is one short line (the label in brief and the button); from sm up, in full.
 */
export function PlaygroundBar({
  seed,
  drawerOpen,
  onToggleDrawer,
}: {
  seed: SeedStatus;
  drawerOpen: boolean;
  onToggleDrawer: () => void;
}) {
  return (
    <aside
      aria-label="Playground"
      className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-xs text-amber-950 sm:px-6 sm:py-2 sm:text-sm"
    >
      <div className="mx-auto flex max-w-6xl items-center gap-x-4 gap-y-1 sm:flex-wrap">
        <p className="min-w-0 font-semibold">
          <span className="hidden sm:inline">{PLAYGROUND_LABEL}</span>
          <span className="sm:hidden">
            {PLAYGROUND_SHORT_LABEL}
            {seed.state === "seeding" ? " · loading…" : ""}
          </span>
        </p>
        <p className="hidden text-amber-800 sm:block">
          {seed.state === "seeding"
            ? "Loading the sample world…"
            : `Sample world loaded (${seed.events} Clerk events).`}{" "}
          Yours: <code className="rounded bg-amber-100 px-1 whitespace-nowrap">npm run setup</code>
        </p>
        <button
          type="button"
          aria-expanded={drawerOpen}
          aria-controls="clerk-events"
          onClick={onToggleDrawer}
          className="ml-auto shrink-0 rounded-lg bg-amber-900 px-2.5 py-1 font-semibold text-white hover:bg-amber-800 sm:px-3 sm:py-1.5"
        >
          Clerk events
        </button>
      </div>
      {seed.state === "seeded" && seed.failures.length > 0 ? (
        <p role="alert" className="mx-auto mt-1 max-w-6xl text-red-800">
          The sample world did not load as expected: {seed.failures.join("; ")}
        </p>
      ) : null}
    </aside>
  );
}
