import { describe, expect, inject, it, vi } from "vitest";
import { authorityToken, call, env } from "../helpers/api";
import { residentId } from "../helpers/identities";
import { countEveryShard, personShard } from "../helpers/shards";

const COLORS = ["red", "yellow", "green"] as const;
const DAY = 86_400_000;

interface Line {
  idType: string;
  idNumber: string;
  name: string;
  phone?: string;
  color: (typeof COLORS)[number];
  reason: string;
  since: string;
  source: string;
}

/**
 * `npm test` imports 1,000 lines (four chunks, ten bad lines), enough for every path below; `IMPORT_LINES=10000 npm test --
 * tests/routes/imports.happy.test.ts` runs the full-size file (minutes here: every line becomes a
 * person object, its counters and its log entry).
 */
const LINES = Number(inject("importLines") || 1_000);
const GOOD = LINES - LINES / 100;

/** LINES lines; every 100th (the 100th, 200th, …) is bad in one of four ways: 1% bad. */
function makeFile(now: number) {
  const good: (Line & { lineNo: number })[] = [];
  const text: string[] = [];
  const badLines: number[] = [];
  for (let i = 1; i <= LINES; i++) {
    const birth = `1980${String(1 + (i % 12)).padStart(2, "0")}${String(1 + (Math.floor(i / 12) % 28)).padStart(2, "0")}`;
    const idNumber = residentId("510104", birth, Math.floor(i / 336) + 100);
    const line: Line = {
      idType: "resident_id",
      idNumber,
      name: `测试${i}`,
      phone: "13800000000",
      color: COLORS[i % 3]!,
      reason: `原系统赋码 #${i}`,
      // Within the last 10 days, so no imported colour has reached its own lifting time yet.
      since: new Date(now - (1 + (i % 9)) * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
      source: "chengdu-tianfu",
    };
    if (i % 100 === 0) {
      badLines.push(i);
      const kind = (i / 100) % 4;
      if (kind === 0) text.push("{not json");
      else if (kind === 1)
        text.push(
          JSON.stringify({
            ...line,
            idNumber: `${idNumber.slice(0, 17)}${idNumber[17] === "1" ? "2" : "1"}`,
          }),
        );
      else if (kind === 2) text.push(JSON.stringify({ ...line, color: "blue" }));
      else text.push(JSON.stringify({ ...line, reason: undefined }));
    } else {
      good.push({ ...line, lineNo: i });
      text.push(JSON.stringify(line));
    }
  }
  return { good, badLines, lines: text };
}

async function postChunk(token: string, lines: string[], query = "") {
  const res = await call("POST", `/v1/authority/imports${query}`, {
    token,
    rawBody: `${lines.join("\n")}\n`,
    headers: { "content-type": "application/x-ndjson" },
  });
  expect([200, 202], JSON.stringify(res.body).slice(0, 500)).toContain(res.status);
  return res.body as { accepted: number; duplicates: number; rejected: { line: number; message: string }[] };
}

describe("importing a previous system's persons", () => {
  it(`${LINES} lines with 1% bad: exact counts, idempotent on re-send, every colour preserved`, async () => {
    const token = await authorityToken();
    const now = Date.now();
    const file = makeFile(now);
    expect(new Set(file.good.map((g) => g.idNumber)).size).toBe(GOOD);

    const CHUNK = LINES / 4;
    const totals = { accepted: 0, duplicates: 0, rejected: [] as number[] };
    for (let start = 0; start < file.lines.length; start += CHUNK) {
      const r = await postChunk(token, file.lines.slice(start, start + CHUNK));
      totals.accepted += r.accepted;
      totals.duplicates += r.duplicates;
      totals.rejected.push(...r.rejected.map((x) => x.line + start));
    }
    expect(totals).toEqual({ accepted: GOOD, duplicates: 0, rejected: file.badLines });

    // The whole file again, in other chunk sizes: nothing new.
    const again = { accepted: 0, duplicates: 0, rejected: 0 };
    for (let start = 0; start < file.lines.length; start += LINES / 2) {
      const r = await postChunk(token, file.lines.slice(start, start + LINES / 2));
      again.accepted += r.accepted;
      again.duplicates += r.duplicates;
      again.rejected += r.rejected.length;
    }
    expect(again).toEqual({ accepted: 0, duplicates: GOOD, rejected: LINES / 100 });
    expect(
      await countEveryShard("SELECT count(*) AS n FROM import_lines WHERE source = 'chengdu-tianfu'"),
    ).toBe(GOOD);

    // Persons are in the directory with sealed name and phone, masked name, district and no binding.
    // Spread over the first chunk: its messages were queued first, so the test need not wait for
    // the whole backlog (one new object takes ~10 ms in the local runtime; thousands take minutes).
    const sample = file.good.filter((g) => g.lineNo <= CHUNK && g.lineNo % 83 === 1);
    const { derivePersonId } = await import("../../workers/identity/person-id");
    const ids = await Promise.all(sample.map((g) => derivePersonId(env.PERSON_ID_KEY, g)));
    const person = await personShard(ids[0]!)
      .prepare("SELECT * FROM persons WHERE person_id = ?")
      .bind(ids[0])
      .first<Record<string, string>>();
    expect(person).toMatchObject({ district_code: "510104", id_type: "resident_id" });
    expect(person?.masked_name).toMatch(/^测\*+\d$/);
    expect(person?.name_enc).toMatch(/^v1\./);
    expect(JSON.stringify(person)).not.toContain(sample[0]!.idNumber);
    expect(
      await countEveryShard("SELECT count(*) AS n FROM account_persons WHERE person_id = ?", ids[0]),
    ).toBe(0);

    // Every sampled person's object has the imported colour from its first history entry on.
    await vi.waitUntil(
      async () => {
        const s = await Promise.all(ids.map((id) => env.PERSON.getByName(id).summary()));
        return s.every((x) => x !== null);
      },
      { timeout: 90_000, interval: 500 },
    );
    for (const [i, g] of sample.entries()) {
      const status = await env.PERSON.getByName(ids[i]!).status();
      expect(status?.state.color, `line ${g.lineNo}`).toBe(g.color);
      expect(status?.history.map((h) => [h.from, h.to])).toEqual([[null, g.color]]);
      if (g.color !== "green") {
        expect(status?.state.since).toBe(g.since);
        expect(status?.state.reasons[0]).toMatchObject({ rule: `imported-${g.color}`, since: g.since });
      }
      const facts = await env.PERSON.getByName(ids[i]!).facts("imported_color");
      expect(facts).toEqual([
        {
          kind: "imported_color",
          id: `import:chengdu-tianfu:${ids[i]}:${g.since}`,
          color: g.color,
          reason: g.reason,
          since: g.since,
          source: "chengdu-tianfu",
        },
      ]);
    }
  }, 180_000);
});
