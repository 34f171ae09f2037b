import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { logSequencer } from "../../durable/log-client";
import { PARTIAL_TILE_GRACE_MS } from "../../durable/log-sequencer";
import { parseBundle, TILE_WIDTH, tilePath } from "../../verifier/tlog";
import { env, ORIGIN } from "../helpers/api";

const entries = (tag: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `gc:${tag}:${from + i}`,
    entry: JSON.stringify({ i: from + i, tag, type: "test", v: 1 }),
  }));

const keysUnder = async (prefix: string) =>
  (await env.LOG_BUCKET.list({ prefix })).objects.map((o) => o.key).sort();

async function tile(path: string): Promise<{ status: number; bytes: Uint8Array }> {
  const res = await exports.default.fetch(new Request(`${ORIGIN}/log/${path}`));
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe("partial tiles superseded by a full tile", () => {
  it("are deleted after the grace period, and their paths are still served from the full tile", async () => {
    const seq = logSequencer(env);
    const start = (await seq.stats()).size;
    // Fill the current level-0 tile in two rounds: the first leaves a partial tile, the second fills it.
    const tileIndex = Math.floor(start / TILE_WIDTH);
    const toFull = (tileIndex + 1) * TILE_WIDTH - start;
    const first = Math.max(1, Math.floor(toFull / 2));
    await seq.append(entries("a", 0, first));
    const width = start + first - tileIndex * TILE_WIDTH;
    const partialHash = tilePath({ level: 0, index: tileIndex, width });
    const partialBundle = tilePath({ level: -1, index: tileIndex, width });
    const partialBefore = await tile(partialHash);
    const bundleBefore = await tile(partialBundle);
    expect(partialBefore.status).toBe(200);
    expect(bundleBefore.status).toBe(200);
    const prefixes = [
      `${tilePath({ level: 0, index: tileIndex, width: TILE_WIDTH })}.p/`,
      `${tilePath({ level: -1, index: tileIndex, width: TILE_WIDTH })}.p/`,
    ];
    for (const p of prefixes) expect(await keysUnder(p)).toContain(`${p}${width}`);

    const rest = await seq.append(entries("b", first, toFull - first + 3));
    expect(rest.every((r) => r.index !== null)).toBe(true);
    expect((await seq.stats()).gc).toBeGreaterThanOrEqual(2);

    // Within the grace period nothing goes: a client with the older checkpoint still finds its tiles.
    expect(await seq.collectGarbage(Date.now())).toBe(0);
    for (const p of prefixes) expect((await keysUnder(p)).length).toBeGreaterThan(0);

    // After it, every partial version of the now-full tiles goes, and nothing else.
    const fullHash = tilePath({ level: 0, index: tileIndex, width: TILE_WIDTH });
    expect(await seq.collectGarbage(Date.now() + PARTIAL_TILE_GRACE_MS + 1)).toBeGreaterThanOrEqual(2);
    for (const p of prefixes) expect(await keysUnder(p)).toEqual([]);
    expect(await keysUnder(fullHash)).toEqual([fullHash]);
    expect((await seq.stats()).gc).toBe(0);

    // The deleted partial paths answer with the same bytes as before, cut from the full tile.
    expect(await tile(partialHash)).toEqual(partialBefore);
    const bundleAfter = await tile(partialBundle);
    expect(bundleAfter.status).toBe(200);
    expect(parseBundle(bundleAfter.bytes)).toEqual(parseBundle(bundleBefore.bytes));
    // The tree's new right edge keeps its partial tile.
    const edge = tilePath({ level: 0, index: tileIndex + 1, width: 3 });
    expect((await tile(edge)).status).toBe(200);
  });
});
