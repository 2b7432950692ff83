import { api } from "../../../convex/_generated/api";
import { useMutation } from "../../lib/convex";

/**
 * Removes `userId` from a team (or, for the viewer, leaves it) through Clerk, the way Roster does
 * it: first `memberships.noteDeparture`, which refuses what Clerk would refuse (the last member who
 * may manage members and delete the team; ConvexError LAST_KEEPER) and notes who acted, so the
 * feed can say "left" or "removed by"; then Clerk's call. If Clerk refuses, the note goes.
 */
export function useNotedDeparture() {
  const note = useMutation(api.memberships.noteDeparture);
  const drop = useMutation(api.memberships.dropDeparture);
  return async (organizationId: string, userId: string, clerkCall: () => Promise<unknown>) => {
    await note({ organizationId, userId });
    try {
      await clerkCall();
    } catch (error) {
      // The note would otherwise name the wrong actor for a later change made elsewhere.
      await drop({ organizationId, userId }).catch(() => {});
      throw error;
    }
  };
}
