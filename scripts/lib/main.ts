import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Is the module at `moduleUrl` (its `import.meta.url`) the script Node was started with? Compares
 * real paths: Node resolves symlinks in `import.meta.url` but not in `process.argv[1]`, so a
 * project reached through a symlinked folder would otherwise run nothing, silently.
 */
export function isMainModule(moduleUrl: string, scriptPath: string | undefined = process.argv[1]): boolean {
  if (!scriptPath) return false;
  try {
    return realpathSync(scriptPath) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
