import { v, type Infer } from "convex/values";

// The Clerk instance pin's shapes (webhooks/instance.ts), in a module of their own: sync health
// (model/eventLog.ts) and ingestion both read them, and validators must exist before either loads.

export const vPinSource = v.union(
  /** CLERK_INSTANCE_ID. */
  v.literal("env"),
  /** The first verified event (no CLERK_SECRET_KEY, nothing pinned). */
  v.literal("first_event"),
  /** The instance CLERK_SECRET_KEY belongs to, as Clerk's Backend API says (the instance check). */
  v.literal("secret_key"),
  /** An operator confirmed one of the foreign instances seen (no CLERK_SECRET_KEY). */
  v.literal("operator"),
);
export type PinSource = Infer<typeof vPinSource>;

export const vPinnedInstance = v.union(
  v.null(),
  v.object({
    instanceId: v.string(),
    source: vPinSource,
    /** When it was pinned (null for CLERK_INSTANCE_ID). */
    pinnedAt: v.union(v.number(), v.null()),
  }),
);
export type PinnedInstance = Infer<typeof vPinnedInstance>;

export const vPinProblem = v.object({ what: v.string(), fix: v.string() });
export type PinProblem = Infer<typeof vPinProblem>;

export const vInstanceCheck = v.object({
  checkedAt: v.union(v.number(), v.null()),
  keyInstanceId: v.union(v.string(), v.null()),
  keyHosts: v.array(v.string()),
  error: v.union(v.string(), v.null()),
});

export const vInstanceStatus = v.object({
  pinned: vPinnedInstance,
  /** Whether CLERK_SECRET_KEY is set (never the key): the pin then follows it. */
  hasSecretKey: v.boolean(),
  /** The stored result of the last instance check (while a key is set), or null. */
  check: v.union(vInstanceCheck, v.null()),
  /** The instances foreign events came from, still kept. */
  foreignInstanceIds: v.array(v.string()),
  /** What disagrees, each with its fix. */
  problems: v.array(vPinProblem),
});
export type InstanceStatus = Infer<typeof vInstanceStatus>;
