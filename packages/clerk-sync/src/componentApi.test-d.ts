// Type tests of ComponentApiFromModules (checked by `tsc -p packages/clerk-sync`, part of `npm run
// typecheck`): the shape `_generated/component.ts` derives from the component's modules.
import type { FunctionReference, RegisteredAction, RegisteredMutation, RegisteredQuery } from "convex/server";
import type { GenericId } from "convex/values";
import { expectTypeOf } from "vitest";
import type { ComponentApi } from "./component/_generated/component.js";
import type { ComponentApiFromModules } from "./componentApi.js";
import type { Handles } from "./component/schema.js";

/** What `args: {}` infers. */
type NoArgs = Record<never, never>;

/** Modules as `typeof import(…)` sees them: registered functions beside helpers and constants. */
type Modules = {
  config: {
    get: RegisteredQuery<"public", NoArgs, Handles | null>;
    forget: RegisteredMutation<"internal", NoArgs, null>;
    readHandles: (ctx: unknown) => Promise<Handles | null>;
    NOT_CONFIGURED: string;
  };
  "ingest/apply": {
    apply: RegisteredMutation<"public", { svixId: string; user?: GenericId<"users"> }, { ids: GenericId<"users">[] }>;
    markFailed: RegisteredMutation<"internal", { svixId: string }, null>;
  };
  "ingest/deep/page": { fetchPage: RegisteredAction<"public", { cursor: string | null }, string> };
  "backfill/runs": { step: RegisteredMutation<"internal", { runId: GenericId<"runs"> }, null> };
};
type Api = ComponentApiFromModules<Modules, "clerkSync">;

// A public function: an "internal" reference (what an app may call) with its args and returns,
// carrying the component's name; ids are plain strings across the boundary.
expectTypeOf<Api["ingest"]["apply"]["apply"]>().toEqualTypeOf<
  FunctionReference<"mutation", "internal", { svixId: string; user?: string }, { ids: string[] }, "clerkSync">
>();
expectTypeOf<Api["config"]["get"]>().toEqualTypeOf<
  FunctionReference<"query", "internal", NoArgs, Handles | null, "clerkSync">
>();
// Nested folders nest.
expectTypeOf<Api["ingest"]["deep"]["page"]["fetchPage"]>().toEqualTypeOf<
  FunctionReference<"action", "internal", { cursor: string | null }, string, "clerkSync">
>();
// Internal functions are not reachable, nor helpers; a folder holding only internal ones vanishes.
expectTypeOf<keyof Api["config"]>().toEqualTypeOf<"get">();
expectTypeOf<keyof Api["ingest"]["apply"]>().toEqualTypeOf<"apply">();
expectTypeOf<keyof Api>().toEqualTypeOf<"config" | "ingest">();

// The committed component.ts: config.get and config.store, typed from their validators.
expectTypeOf<ComponentApi<"clerkSync">["config"]["get"]>().toEqualTypeOf<
  FunctionReference<"query", "internal", NoArgs, { onChange: string | null } | null, "clerkSync">
>();
expectTypeOf<ComponentApi<"clerkSync">["config"]["store"]>().toEqualTypeOf<
  FunctionReference<"mutation", "internal", { handles: { onChange: string | null } }, boolean, "clerkSync">
>();
expectTypeOf<keyof ComponentApi["config"]>().toEqualTypeOf<"get" | "store">();
