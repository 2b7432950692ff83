import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// Keeps the webhook event log to WEBHOOK_LOG_RETENTION_DAYS (default 30); failed events stay.
crons.daily("prune webhook event log", { hourUTC: 3, minuteUTC: 17 }, internal.webhooks.log.prune, {});

export default crons;
