import type { Job } from "../scheduled/job";
import { hourStart } from "./rate-limit";
import { deleteOldLookupCounters } from "./repo";

/**
 * Staff look-up counters are only needed for the current hour. (Check-ins and manual entries are no
 * longer in D1: venue and person objects delete their own by alarm after CHECKIN_RETENTION_DAYS.)
 */
export const lookupCounterRetentionJob: Job = {
  name: "lookup-counter-retention",
  async run(env, now) {
    await deleteOldLookupCounters(env, hourStart(now.getTime() - 3_600_000));
  },
};
