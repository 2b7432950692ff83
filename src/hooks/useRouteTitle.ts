import { useOrganization } from "@clerk/react";
import { useMatches } from "react-router";
import { pageTitle, routeTitleOf } from "../lib/pageTitle";

/** The title of the deepest matched route that names one, with the active organization when it asks for it. */
export function useRouteTitle(): string {
  const matches = useMatches();
  const { organization } = useOrganization();
  const named = matches.map((match) => routeTitleOf(match.handle)).filter((title) => title !== undefined);
  const deepest = named.at(-1);
  if (!deepest) return pageTitle();
  return pageTitle(deepest.title, deepest.withOrganization ? organization?.name : undefined);
}
