// Type test (checked by `tsc`, part of `npm run typecheck`): Roster's generated API types the
// mounted component, `components.clerkSync`, from the component's own modules.
import type { FunctionReference } from "convex/server";
import { expectTypeOf } from "vitest";
import { components } from "../convex/_generated/api";

type Handles = { onChange: string | null; onEvent?: string | null };

expectTypeOf(components.clerkSync.config.get).toEqualTypeOf<
  FunctionReference<"query", "internal", Record<never, never>, Handles | null, "clerkSync">
>();
expectTypeOf(components.clerkSync.config.store).toEqualTypeOf<
  FunctionReference<"mutation", "internal", { handles: Handles }, boolean, "clerkSync">
>();
// The webhook's one mutation is typed from its validators (the route calls it with these args).
expectTypeOf(components.clerkSync.webhooks.ingest.apply).toExtend<
  FunctionReference<"mutation", "internal", { svixId: string; payload: string }, unknown, "clerkSync">
>();
// Only the component's public functions are reachable (its helpers and internal functions are not).
expectTypeOf<keyof typeof components.clerkSync.config>().toEqualTypeOf<"get" | "store">();
