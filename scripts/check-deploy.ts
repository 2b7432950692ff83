/**
 * `npm run check:deploy`: bundles convex/ and the components it mounts (from their source) for the
 * Convex runtime as a deploy does, against a stub deployment on 127.0.0.1 that is never pushed to,
 * and loads every entry point (scripts/deploy/check.ts), and checks that convex/convex.config.ts hands
 * every environment variable a component declares over to it by reference. Exit code 0: every entry
 * point bundles and loads and every variable is handed over; 1: something would fail or break the
 * real deploy (the report says what).
 * `--each` also bundles every non-"use node" entry point on its own (slower; done anyway on failure).
 */
import { fileURLToPath } from "node:url";
import { checkDeploy, formatDeployCheck } from "./deploy/check";

const projectDir = fileURLToPath(new URL("..", import.meta.url));
const result = await checkDeploy(projectDir, { everyEntryPoint: process.argv.includes("--each") });
console.log(formatDeployCheck(result));
process.exitCode = result.ok ? 0 : 1;
