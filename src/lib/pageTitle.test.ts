import { expect, test } from "vitest";
import { pageTitle, routeTitleOf } from "./pageTitle";

test("titles read from the page outward and leave empty parts out", () => {
  expect(pageTitle("Team", "Analytical Engines")).toBe("Team · Analytical Engines · Roster");
  expect(pageTitle("Team", null)).toBe("Team · Roster");
  expect(pageTitle("Team", "  ")).toBe("Team · Roster");
  expect(pageTitle()).toBe("Roster");
});

test("a route handle names a title only when it has one", () => {
  expect(routeTitleOf({ title: "Team", withOrganization: true })).toEqual({ title: "Team", withOrganization: true });
  expect(routeTitleOf({ title: "Profile" })).toEqual({ title: "Profile", withOrganization: false });
  expect(routeTitleOf(undefined)).toBeUndefined();
  expect(routeTitleOf({ crumb: "x" })).toBeUndefined();
});
