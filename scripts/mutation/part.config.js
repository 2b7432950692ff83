// A run over a few files of the core, with its own report and incremental file, so runs of a few
// files each add up (`npm run test:mutation:report -- reports/mutation/<part>.json …`):
//   STRYKER_PART=hooks STRYKER_FILES=packages/clerk-sync/src/component/lib/hooks.ts \
//     npx stryker run scripts/mutation/part.config.js
import base from "../../stryker.config.js";

const part = process.env.STRYKER_PART ?? "part";
const files = (process.env.STRYKER_FILES ?? "").split(",").filter((file) => file !== "");
if (files.length === 0) throw new Error("Name the files to mutate: STRYKER_FILES=a.ts,b.ts (comma-separated).");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: files,
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
  htmlReporter: { fileName: `reports/mutation/${part}.html` },
  incrementalFile: `reports/stryker-incremental-${part}.json`,
};
