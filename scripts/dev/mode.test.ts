import { describe, expect, test } from "vitest";
import { banner, chooseDevMode, commandsFor } from "./mode";

describe("npm run dev chooses its mode", () => {
  test.each([
    ["a fresh clone: no .env.local, nothing in the shell", {}, null],
    [
      "an .env.local without a deployment (copied from the example)",
      {},
      { VITE_CONVEX_URL: "", CONVEX_DEPLOYMENT: " " },
    ],
    ["only a Clerk key", {}, { VITE_CLERK_PUBLISHABLE_KEY: "pk_test_x" }],
  ])("%s → the playground, and no Convex CLI call", (_, shell, dotenv) => {
    const choice = chooseDevMode(shell, dotenv);
    expect(choice.mode).toBe("playground");
    expect(commandsFor(choice).flat()).not.toContain("convex");
    expect(commandsFor(choice)).toEqual([["vite", "--mode", "playground", "--open"]]);
    expect(banner(choice)).toContain("npm run setup");
  });

  test.each([
    ["CONVEX_DEPLOYMENT in .env.local", {}, { CONVEX_DEPLOYMENT: "dev:happy-otter-123" }, ".env.local"],
    ["VITE_CONVEX_URL in .env.local", {}, { VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud" }, ".env.local"],
    ["CONVEX_DEPLOYMENT in the shell", { CONVEX_DEPLOYMENT: "dev:happy-otter-123" }, null, "shell"],
  ])("%s → the deployment, as before (convex dev first)", (_, shell, dotenv, where) => {
    const choice = chooseDevMode(shell, dotenv);
    expect(choice).toMatchObject({ mode: "deployment" });
    expect(choice.reason).toContain(where);
    expect(commandsFor(choice)[0]).toEqual(["convex", "dev", "--until-success", "--live-component-sources"]);
    expect(commandsFor(choice)[1]).toEqual(["npm-run-all", "--parallel", "dev:frontend", "dev:backend"]);
  });
});
