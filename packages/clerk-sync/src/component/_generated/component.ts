/* eslint-disable */
/**
 * Generated `ComponentApi` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED, offline, by `npm run codegen` (scripts/codegen/generate.ts):
 * the type is derived from the component's modules. `npx convex dev` rewrites this file from the
 * deployment's analysis; run `npm run codegen` again before committing.
 * @module
 */

import type { ComponentApiFromModules } from "../../componentApi.js";
import type * as config from "../config.js";

/**
 * A utility for referencing a Convex component's exposed API.
 *
 * Useful when expecting a parameter like `components.myComponent`.
 * Usage:
 * ```ts
 * async function myFunction(ctx: QueryCtx, component: ComponentApi) {
 *   return ctx.runQuery(component.someFile.someQuery, { ...args });
 * }
 * ```
 */
export type ComponentApi<Name extends string | undefined = string | undefined> =
  ComponentApiFromModules<
    {
      config: typeof config;
    },
    Name
  >;
