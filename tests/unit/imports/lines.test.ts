import { describe, expect, it } from "vitest";
import { canonicalTime, parseImport } from "../../../workers/imports/lines";
import { residentId } from "../../helpers/identities";

const line = (o: Record<string, unknown> = {}) =>
  JSON.stringify({
    idType: "resident_id",
    idNumber: residentId("510104", "19900101", 7),
    name: "张三",
    color: "red",
    reason: "确诊病例",
    since: "2026-11-20T08:00:00+08:00",
    source: "chengdu",
    ...o,
  });

describe("parsing an import body", () => {
  const now = new Date("2026-11-25T00:00:00Z");

  it("accepts good lines, reports bad ones by 1-based line number without echoing them", () => {
    const id = residentId("510104", "19900101", 8);
    const bad = `${id.slice(0, 17)}${id[17] === "0" ? "1" : "0"}`;
    const body = [
      line(),
      "{not json",
      line({ idNumber: bad }),
      "",
      line({ color: "purple" }),
      line({ since: "2027-01-01T00:00:00Z" }),
    ].join("\n");
    const parsed = parseImport(`${body}\n`, now);
    expect(parsed.lines.map((l) => l.line)).toEqual([1]);
    expect(parsed.lines[0]).toMatchObject({
      since: "2026-11-20T00:00:00Z",
      districtCode: "510104",
      color: "red",
    });
    expect(parsed.rejected.map((r) => r.line)).toEqual([2, 3, 5, 6]);
    expect(parsed.rejected[1]!.message).toMatch(/^idNumber: check character/);
    expect(parsed.rejected[2]!.message).toMatch(/^color:/);
    expect(parsed.rejected[3]!.message).toMatch(/^since: must not be in the future/);
    expect(JSON.stringify(parsed.rejected)).not.toContain(bad);
    expect(parsed.total).toBe(5);
  });

  it("handles CRLF line endings", () => {
    expect(parseImport(`${line()}\r\n${line()}\r\n`, now).lines).toHaveLength(2);
  });

  it("canonicalises the since time", () => {
    expect(canonicalTime("2026-11-20T08:00:00+08:00")).toBe("2026-11-20T00:00:00Z");
    expect(canonicalTime("2026-11-20T00:00:00.250Z")).toBe("2026-11-20T00:00:00.250Z");
  });
});
