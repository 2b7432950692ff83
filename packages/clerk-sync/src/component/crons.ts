import { cronJobs } from "convex/server";
import { internal } from "./_generated/api.js";

/** The component's own schedule: retention, session pruning, the scheduled reconcile, the instance check, the drift watch and stalled work. */
const crons = cronJobs();

// Keeps the webhook event log to WEBHOOK_LOG_RETENTION_DAYS (default 30); failed events stay.
crons.daily("prune webhook event log", { hourUTC: 3, minuteUTC: 17 }, internal.webhooks.log.prune, {});

// Failed events that never applied go after FAILED_EVENT_RETENTION_DAYS (default 90), with their payloads.
crons.daily(
  "prune expired failed webhook events",
  { hourUTC: 3, minuteUTC: 29 },
  internal.webhooks.log.pruneFailed,
  {},
);

// Ended sessions are kept 7 days (past Svix retries and a session lifetime), then dropped.
crons.hourly("prune ended sessions", { minuteUTC: 41 }, internal.cascades.pruneEndedSessions, {});

// Reconciles with Clerk's Backend API when CLERK_RECONCILE_INTERVAL_HOURS is set (off by default).
crons.hourly("reconcile with Clerk when due", { minuteUTC: 23 }, internal.clerk.sync.reconcileIfDue, {});

// Checks the Clerk instance pin against CLERK_SECRET_KEY's instance (pins it when nothing is) and
// stores what it found for sync health; does nothing without a key.
crons.hourly("check the Clerk instance pin", { minuteUTC: 11 }, internal.webhooks.instance.check, {});

// The drift watch: asks Clerk what changed last and compares (three requests), so webhooks that stop
// arriving show in sync health as "webhooks silent"; does nothing without a key.
crons.hourly("watch for drift from Clerk", { minuteUTC: 47 }, internal.clerk.drift.check, {});

// Scheduled work (cascades, a user's membership pages, fetches) that stalled on the app's hook gets
// one more try each hour; a pending one whose run was lost is restarted; an attempt that failed
// where its own catch could not keep it (out of time) is kept as a row.
crons.hourly("retry stalled scheduled work", { minuteUTC: 53 }, internal.work.sweep, {});

export default crons;
