/**
 * The Convex React hooks the app uses, imported from this one module so the component tests
 * (test/react/convexTestHooks.tsx, over convex-test) and the browser check's preview entry
 * (recorded data) can answer them without changing view code.
 */
export { useConvexConnectionState, useMutation, usePaginatedQuery, useQuery } from "convex/react";
/** usePaginatedQuery for explicit-cursor lists, whose loaded pages keep their ends (see the module). */
export { useGaplessPaginatedQuery } from "./useGaplessPaginatedQuery";
