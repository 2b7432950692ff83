import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

// The sync engine's schedule (retention, reconcile, instance check) is the clerkSync component's own
// (packages/clerk-sync/src/component/crons.ts); Roster's is about Roster's data.
const crons = cronJobs();

// Departure notes whose webhook never came (Clerk refused, the page closed) go after 10 minutes.
crons.hourly("prune stale departure notes", { minuteUTC: 53 }, internal.memberships.pruneDepartures, {});

export default crons;
