// Memory per 1,000 live person objects (issue 16), measured in a runtime of their own: in one warmed
// by the rounds the collector returns earlier garbage while objects are created, and the difference
// means nothing (it came out negative). `node bench/profile-memory.mjs` splits it into V8 heap and native.
import { call } from "./fixtures.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SETTLE_MS = 3000;

/** `n` person objects initialised through `/__bench/seed-persons`; workerd's VmRSS before and after. */
export async function measureObjectMemory(origin, memory, n, log) {
  await sleep(SETTLE_MS);
  const before = memory.nowMb();
  const seeded = await call(origin, "POST", `/__bench/seed-persons?n=${n}&name=memory`);
  await sleep(SETTLE_MS);
  const after = memory.nowMb();
  const per1000 = Math.round(((after - before) * 1000 * 10) / n) / 10;
  log(
    `memory: ${n} person objects initialised in ${seeded.ms} ms; VmRSS ${before} → ${after} MB, ${per1000} MB per 1,000`,
  );
  return {
    objects: n,
    rss_before_mb: before,
    rss_after_mb: after,
    settle_ms: SETTLE_MS,
    per_1000_person_objects_mb: per1000,
  };
}
