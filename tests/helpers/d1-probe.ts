import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

/** Points the person's object at a probed env (workers/lib/d1-probe.ts), so its own D1 use is counted (or fails). */
export async function probeObject(personId: string, probed: Env): Promise<void> {
  await runInDurableObject(env.PERSON.getByName(personId), (o) => {
    (o as unknown as { env: Env }).env = probed;
  });
}
