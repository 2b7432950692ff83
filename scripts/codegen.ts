/**
 * `npm run codegen`: regenerates, offline, `convex/_generated` (with `components`) and the
 * `_generated/` folder of every component Roster mounts (scripts/codegen/generate.ts). Commit them.
 */
import { fileURLToPath } from "node:url";
import { generate, generatedDirs, writeGenerated } from "./codegen/generate";

const projectDir = fileURLToPath(new URL("..", import.meta.url));
const files = await generate(projectDir);
writeGenerated(projectDir, files);
console.log(`Generated ${files.size} files in ${generatedDirs(files).join(", ")}.`);
