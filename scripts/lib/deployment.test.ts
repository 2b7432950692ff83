import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { HANDLED_EVENT_TYPES } from "./deployment";

describe("the events to subscribe to", () => {
  test("the README's set-up lists exactly the events Roster applies (what npm run doctor prints)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Connect your own Clerk and Convex"));
    const list = section.slice(
      section.indexOf("Events (what Roster applies"),
      section.indexOf("Subscribing to all events"),
    );
    const listed = [...list.matchAll(/`([a-zA-Z]+\.[a-zA-Z]+)`/g)].map((match) => match[1]);
    expect([...listed].sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
  });
});
