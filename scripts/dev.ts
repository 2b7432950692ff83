/**
 * `npm run dev`: Roster on your Convex deployment when one is configured (CONVEX_DEPLOYMENT or
 * VITE_CONVEX_URL in the shell or .env.local: `convex dev --until-success`, then Vite and
 * `convex dev` side by side), else the playground (`vite --mode playground`: no Convex CLI, no
 * account, no network). Prints one line saying which, first.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readEnvFile } from "./lib/env";
import { banner, chooseDevMode, commandsFor } from "./dev/mode";

const cwd = process.cwd();
const choice = chooseDevMode(process.env, readEnvFile(join(cwd, ".env.local")));
console.log(banner(choice));
for (const [command, ...args] of commandsFor(choice)) {
  const result = spawnSync(join(cwd, "node_modules", ".bin", command!), args, { cwd, stdio: "inherit" });
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}. Run npm install first.`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
