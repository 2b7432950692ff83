import { useRouteError } from "react-router";
import { ProblemScreen } from "./ProblemScreen";

/** When a page's code cannot load (often: a new version was deployed) or a route fails. */
export function RouteErrorView() {
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <ProblemScreen
      title="This page could not be opened"
      problems={[`Roster could not load this page: ${detail}`]}
      actions={
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
        >
          Reload
        </button>
      }
    />
  );
}
