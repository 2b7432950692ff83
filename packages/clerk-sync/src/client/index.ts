/**
 * The client an app constructs over its mounted component: `new ClerkSync(components.clerkSync)`.
 * Each method is one call into the component (the app never names a component function itself).
 */
import type { GenericDataModel, GenericMutationCtx, GenericQueryCtx } from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import type { Handles } from "../component/schema.js";

export type { ComponentApi, Handles };

/** A ctx that can run component queries: any query, mutation or action ctx. */
export type RunQueryCtx = Pick<GenericQueryCtx<GenericDataModel>, "runQuery">;
/** A ctx that can run component mutations: a mutation or action ctx. */
export type RunMutationCtx = Pick<GenericMutationCtx<GenericDataModel>, "runQuery" | "runMutation">;

export class ClerkSync {
  constructor(public readonly component: ComponentApi) {}

  /** Hands the app's handles to the component (it writes only when they changed); true when it wrote. */
  async storeHandles(ctx: RunMutationCtx, handles: Handles): Promise<boolean> {
    return await ctx.runMutation(this.component.config.store, { handles });
  }

  /** The handles the component holds, or null before the app stored any. */
  async storedHandles(ctx: RunQueryCtx): Promise<Handles | null> {
    return await ctx.runQuery(this.component.config.get, {});
  }
}
