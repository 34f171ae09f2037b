import { retireJob } from "../codes/rotation-routes";
import { issuerKeysJob } from "../issuers/jobs";
import { proxyCounterRetentionJob } from "../persons/quota";
import { checkinRetentionJob } from "../venues/retention";

/** Scheduled jobs (retention, sweeps). Each is independent: one failing does not stop the others. */
export type Job = { name: string; run: (env: Env, now: Date) => Promise<void> };

const jobs: Job[] = [checkinRetentionJob, retireJob, issuerKeysJob, proxyCounterRetentionJob];

export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const results = await Promise.allSettled(jobs.map((j) => j.run(env, now)));
  results.forEach((r, i) => {
    if (r.status === "rejected") {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "scheduled job failed",
          job: jobs[i]?.name,
          error: String(r.reason),
        }),
      );
    }
  });
}
