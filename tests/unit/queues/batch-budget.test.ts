import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { experimental_readRawConfig } from "wrangler";
import { PREVIEW_PAGE_SIZE } from "../../../workers/authority/rule-preview-pages";
import { PERSONS_PER_MESSAGE } from "../../../workers/authority/rule-set-fanout";
import { MESSAGE_BYTES, packMessages } from "../../../workers/imports/routes";
import { RESULTS_PER_MESSAGE } from "../../../workers/labs/results";
import { RECORDS_PER_MESSAGE } from "../../../workers/vaccinations/routes";

// A queue batch is one Worker invocation, and each person object called is one subrequest: a batch
// size in wrangler.toml times the largest fan-out of any message that queue carries must stay within
// an invocation's subrequests (Workers Paid), or a full batch fails, is retried whole and fails again.
const SUBREQUESTS_PER_INVOCATION = 10_000;

const root = new URL("../../../", import.meta.url).pathname;

async function batchSizes(): Promise<Map<string, number>> {
  const { rawConfig } = await experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const consumers: { queue: string; max_batch_size?: number }[] = rawConfig.queues?.consumers ?? [];
  return new Map(consumers.map((c) => [c.queue, c.max_batch_size ?? 10]));
}

/** The most import items one message can hold: the shortest items packed as the import route packs. */
function importItemsPerMessage(): number {
  const item = {
    personId: "x".repeat(43), // a derived person id (HMAC-SHA-256, base64url)
    color: "red" as const,
    reason: "",
    since: new Date(0).toISOString(),
    source: "",
    districtCode: null,
  };
  const packed = packMessages(
    Array.from({ length: 5_000 }, () => item),
    MESSAGE_BYTES,
  );
  return Math.max(...packed.map((m) => m.items.length));
}

/** Person objects one message of each kind calls, by the queue that carries it. */
function objectCallsPerMessage(): Record<string, Record<string, number>> {
  return {
    "healthpass-lab-results": { lab_results: RESULTS_PER_MESSAGE },
    "healthpass-intake": {
      rule_set: PERSONS_PER_MESSAGE,
      rule_set_preview: PREVIEW_PAGE_SIZE + 1, // the persons of a page and the preview's object
      vaccinations: RECORDS_PER_MESSAGE,
      imports: importItemsPerMessage(),
      log_append: 1,
    },
  };
}

describe("queue batch sizes against an invocation's subrequests", () => {
  for (const [queue, kinds] of Object.entries(objectCallsPerMessage()))
    it(`${queue}: a full batch of its largest message stays within ${SUBREQUESTS_PER_INVOCATION}`, async () => {
      const size = (await batchSizes()).get(queue);
      expect(size, `${queue} has no consumer in wrangler.toml`).toBeDefined();
      for (const [kind, calls] of Object.entries(kinds))
        expect(size! * calls, `${queue}: ${size} × ${kind} (${calls})`).toBeLessThanOrEqual(
          SUBREQUESTS_PER_INVOCATION,
        );
    });
});
