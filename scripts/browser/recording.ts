/**
 * What the browser check's preview entry replays: for each scenario, the answer the real Convex
 * functions gave (recorded by scripts/browser/record.ts under convex-test) to each query the
 * views ask, by function name.
 */

/** One recorded answer: a value, a thrown error (ConvexError data when there was one), or still loading. */
export type RecordedAnswer =
  { status: "ok"; value: unknown } | { status: "error"; message: string; data: unknown } | { status: "loading" };

export type Scenario = {
  /** Where the app opens (a route of src/routes.tsx). */
  path: string;
  /** Clerk's active organization, as `useOrganization()` would report it. */
  activeOrganization: { id: string; name: string } | null;
  /** The signed-in user as Clerk's user button shows them. */
  user: { name: string; imageUrl: string | null };
  /** Query answers, by Convex function name (`users:me`, `organizations:members` …). */
  queries: Record<string, RecordedAnswer>;
  /** Mutation answers, by function name and arguments; calls not recorded succeed with null. */
  mutations: Record<string, Array<{ args: unknown; answer: RecordedAnswer }>>;
};

export const VIEWS = ["profile", "team", "admin"] as const;
export const STATES = ["loaded", "empty", "error", "loading"] as const;
/** Every view in every state, and the admin view with no backfill going (its Start buttons work). */
export type ScenarioName = `${(typeof VIEWS)[number]}-${(typeof STATES)[number]}` | "admin-idle";

export type Recording = Record<ScenarioName, Scenario>;
