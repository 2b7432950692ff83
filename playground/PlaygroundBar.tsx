import { PLAYGROUND_LABEL } from "./config";

export type SeedStatus = { state: "seeding" } | { state: "seeded"; events: number; failures: string[] };

/** The playground's label on every screen, the way out, and the Clerk events drawer's button. */
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
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 sm:px-6"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1">
        <p className="font-semibold">{PLAYGROUND_LABEL}</p>
        <p className="text-amber-800">
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
          className="ml-auto rounded-lg bg-amber-900 px-3 py-1.5 font-semibold text-white hover:bg-amber-800"
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
