import { auditRetentionJob } from "../audit/retention";
import { retireJob } from "../codes/rotation-routes";
import { issuerKeysJob } from "../issuers/jobs";
import { log } from "../lib/log";
import { proxyCounterRetentionJob } from "../persons/quota";
import { personShardRetentionJob } from "../persons/retention";
import { lookupCounterRetentionJob } from "../venues/retention";
import type { Job } from "./job";

/** Scheduled jobs (retention, sweeps). Each is independent: one failing does not stop the others. */
const jobs: Job[] = [
  lookupCounterRetentionJob,
  retireJob,
  issuerKeysJob,
  proxyCounterRetentionJob,
  personShardRetentionJob,
  auditRetentionJob,
];

export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const results = await Promise.allSettled(jobs.map((j) => j.run(env, now)));
  results.forEach((r, i) => {
    if (r.status === "rejected") {
      log("error", "scheduled job failed", { job: jobs[i]?.name, error: String(r.reason) });
    }
  });
}
