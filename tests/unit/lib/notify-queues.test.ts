import { describe, expect, it } from "vitest";
import { notifyQueueFor, notifyQueueIndex, notifyQueues } from "../../../workers/lib/notify-queues";

const queue = (name: string) => ({ name }) as unknown as Queue<unknown>;

describe("notifications over K queues by person", () => {
  it("uses NOTIFY_QUEUE, NOTIFY_QUEUE_1, ... up to the first gap", () => {
    const env = { NOTIFY_QUEUE: queue("0"), NOTIFY_QUEUE_1: queue("1"), NOTIFY_QUEUE_3: queue("3") };
    expect(notifyQueues(env).map((q) => (q as unknown as { name: string }).name)).toEqual(["0", "1"]);
  });

  it("sends a person's messages always to the same queue, and spreads persons evenly", () => {
    const env = {
      NOTIFY_QUEUE: queue("0"),
      NOTIFY_QUEUE_1: queue("1"),
      NOTIFY_QUEUE_2: queue("2"),
      NOTIFY_QUEUE_3: queue("3"),
    };
    expect(notifyQueueFor(env, "abc")).toBe(notifyQueueFor(env, "abc"));
    const counts = [0, 0, 0, 0];
    // Person ids are base64url of an HMAC: random-looking 22-character strings.
    for (let i = 0; i < 20_000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const id = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      counts[notifyQueueIndex(id, 4)]!++;
    }
    for (const n of counts) expect(Math.abs(n - 5_000)).toBeLessThan(400);
  });
});
