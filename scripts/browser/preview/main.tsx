/**
 * The browser check's preview entry (never part of the app's build): the app's real routes and
 * views, over answers the real Convex functions gave under convex-test (recording.json), for the
 * scenario named in `?scenario=`.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createMemoryRouter, RouterProvider } from "react-router";
import { routes } from "../../../src/routes";
import type { Recording, ScenarioName } from "../recording";
import { setClerkScenario } from "./fakeClerk";
import { setScenario } from "./fakeConvex";
import "./preview.css";

async function start() {
  const root = createRoot(document.getElementById("root") as HTMLElement);
  const params = new URLSearchParams(window.location.search);
  const recording = (await (await fetch("./recording.json")).json()) as Recording;
  const name = params.get("scenario") as ScenarioName | null;
  const scenario = name === null ? undefined : recording[name];
  if (scenario === undefined) {
    root.render(
      <main className="mx-auto max-w-xl p-8">
        <h1 className="text-xl font-bold">Roster preview scenarios</h1>
        <ul className="mt-4 list-disc pl-6">
          {Object.keys(recording).map((key) => (
            <li key={key}>
              <a className="text-brand-700 underline" href={`?scenario=${key}`}>
                {key}
              </a>
            </li>
          ))}
        </ul>
      </main>,
    );
    return;
  }
  setScenario(scenario);
  setClerkScenario(scenario);
  document.documentElement.dataset.scenario = name ?? "";
  const router = createMemoryRouter(routes, { initialEntries: [scenario.path + (params.get("search") ?? "")] });
  root.render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
}

void start();
