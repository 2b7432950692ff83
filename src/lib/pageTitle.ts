/** A route's `handle`: the page's name for the tab title, and whether the active organization belongs in it. */
export type RouteTitle = { title: string; withOrganization?: boolean };

/** "Team · Analytical Engines · Roster": the most specific part first, empty parts left out. */
export function pageTitle(...parts: (string | null | undefined)[]): string {
  return [...parts.filter((part): part is string => typeof part === "string" && part.trim() !== ""), "Roster"].join(
    " · ",
  );
}

/** The route handle's title, if `handle` is one. */
export function routeTitleOf(handle: unknown): RouteTitle | undefined {
  if (handle === null || typeof handle !== "object" || !("title" in handle) || typeof handle.title !== "string")
    return undefined;
  return { title: handle.title, withOrganization: "withOrganization" in handle && handle.withOrganization === true };
}
