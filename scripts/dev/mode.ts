/**
 * What `npm run dev` runs, decided from the shell's environment and .env.local: the real thing
 * when a Convex deployment is configured, else the playground (offline, no account, no Convex CLI).
 */
import type { EnvValues } from "../lib/env";

export type DevMode = { mode: "deployment"; reason: string } | { mode: "playground"; reason: string };

/** The variables that say a Convex deployment is configured (written by `npx convex dev`). */
export const DEPLOYMENT_KEYS = ["CONVEX_DEPLOYMENT", "VITE_CONVEX_URL"] as const;

/** `shell` wins over `dotenv` (.env.local), as Vite and the Convex CLI read them; blank counts as unset. */
export function chooseDevMode(shell: Record<string, string | undefined>, dotenv: EnvValues | null): DevMode {
  for (const key of DEPLOYMENT_KEYS) {
    const fromShell = shell[key]?.trim();
    if (fromShell) return { mode: "deployment", reason: `${key} is set in your shell` };
    const fromFile = dotenv?.[key]?.trim();
    if (fromFile) return { mode: "deployment", reason: `${key} is set in .env.local` };
  }
  return {
    mode: "playground",
    reason: dotenv === null ? "no .env.local" : `.env.local sets neither ${DEPLOYMENT_KEYS.join(" nor ")}`,
  };
}

/** The one line `npm run dev` prints first: which mode, why, and how to leave the playground. */
export function banner(choice: DevMode): string {
  return choice.mode === "playground"
    ? `Roster playground (${choice.reason}): offline, simulated Clerk, data in your browser tab only. Your own Convex and Clerk: npm run setup`
    : `Roster on your Convex deployment (${choice.reason}): convex dev + vite`;
}

/** The commands to run, in order (each an npm script or a binary of node_modules/.bin, with arguments). */
export function commandsFor(choice: DevMode): string[][] {
  return choice.mode === "playground"
    ? [["vite", "--mode", "playground", "--open"]]
    : [
        ["convex", "dev", "--until-success", "--live-component-sources"],
        ["npm-run-all", "--parallel", "dev:frontend", "dev:backend"],
      ];
}
