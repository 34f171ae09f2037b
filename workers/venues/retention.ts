import { config } from "../config";
import { log } from "../lib/log";
import type { Job } from "../scheduled/job";
import { hourStart } from "./rate-limit";
import { deleteExpired, deleteOldLookupCounters } from "./repo";

/**
 * Check-ins and manual entries are kept CHECKIN_RETENTION_DAYS (28) and then deleted. A run deletes
 * at most a bounded number of batches; a backlog drains over the next runs (every 15 minutes).
 */
export const checkinRetentionJob: Job = {
  name: "checkin-retention",
  async run(env, now) {
    const cutoff = new Date(now.getTime() - config(env).checkinRetentionDays * 86_400_000).toISOString();
    const deleted = await deleteExpired(env, cutoff);
    // Look-up counters are only needed for the current hour.
    await deleteOldLookupCounters(env, hourStart(now.getTime() - 3_600_000));
    if (deleted > 0) log("info", "check-in retention", { deleted, cutoff });
  },
};
