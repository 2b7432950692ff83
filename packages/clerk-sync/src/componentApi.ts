/**
 * The type of a component's API as an app sees it (`components.clerkSync`), derived from the
 * component's modules: what `_generated/component.ts` exports as `ComponentApi`. The Convex CLI
 * writes that file from a deployment's analysis of the pushed functions; offline there is none, so
 * `npm run codegen` writes one that derives the same shape from the modules' types instead.
 *
 * Every public query, mutation and action becomes a `FunctionReference<type, "internal", args,
 * returns, Name>` at its module path (folders nest); internal functions are left out (an app
 * cannot call them); ids become strings (they cross the boundary as strings, as in the CLI's file).
 */
import type { ApiFromModules, FunctionReference } from "convex/server";
import type { GenericId } from "convex/values";

/** `Modules` maps module paths ("config", "ingest/apply") to `typeof import(module)`. */
export type ComponentApiFromModules<
  Modules extends Record<string, object>,
  Name extends string | undefined = string | undefined,
> = PublicAsInternal<ApiFromModules<Modules>, Name>;

type PublicAsInternal<API, Name extends string | undefined> = {
  [K in keyof API as KeepKey<K, API[K]>]: API[K] extends FunctionReference<
    infer Type,
    "public",
    infer Args,
    infer Returns
  >
    ? FunctionReference<Type, "internal", BoundaryArgs<Args>, Boundary<Returns>, Name>
    : PublicAsInternal<API[K], Name>;
};

/** Keeps public functions and folders/modules holding at least one. */
type KeepKey<K, Value> = Value extends { _visibility: infer Visibility }
  ? Visibility extends "public"
    ? K
    : never
  : keyof PublicAsInternal<Value, undefined> extends never
    ? never
    : K;

type BoundaryArgs<Args> = { [K in keyof Args]: Boundary<Args[K]> };

/** A value as it crosses the component boundary: `Id<"table">` is a plain string there. */
export type Boundary<T> =
  T extends GenericId<string>
    ? string
    : T extends ArrayBuffer
      ? T
      : T extends readonly (infer Item)[]
        ? Boundary<Item>[]
        : T extends object
          ? { [K in keyof T]: Boundary<T[K]> }
          : T;
