import { describe, expect, it } from "vitest";
import { derivePersonId, isPersonId } from "../../../workers/identity/person-id";
import { encodeBase64url } from "../../../workers/lib/base64url";

const key = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
const otherKey = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));

describe("derivePersonId", () => {
  it("gives the same 22-character id however the same number is typed", async () => {
    const a = await derivePersonId(key, { idType: "resident_id", idNumber: "11010519491231002x" });
    const b = await derivePersonId(key, { idType: "resident_id", idNumber: "11010519491231002X" });
    const c = await derivePersonId(key, { idType: "resident_id", idNumber: " 110105 19491231002X\n" });
    expect(a).toBe(b);
    expect(c).toBe(b);
    expect(a).toHaveLength(22);
    expect(isPersonId(a)).toBe(true);
  });

  it("differs by document type, number, issuing state and key", async () => {
    const p = { idType: "passport", idNumber: "12345678", nationality: "FRA" };
    const base = await derivePersonId(key, p);
    expect(await derivePersonId(key, { idType: "taiwan_permit", idNumber: "12345678" })).not.toBe(base);
    expect(await derivePersonId(key, { ...p, idNumber: "12345679" })).not.toBe(base);
    expect(await derivePersonId(key, { ...p, nationality: "DEU" })).not.toBe(base);
    expect(await derivePersonId(key, { ...p, nationality: " fra " })).toBe(base);
    expect(await derivePersonId(otherKey, p)).not.toBe(base);
  });

  it("refuses a passport without its issuing state rather than keying it on the number alone", async () => {
    await expect(derivePersonId(key, { idType: "passport", idNumber: "12345678" })).rejects.toThrow(
      /nationality/,
    );
  });

  it("keeps other document types' ids as they were: HMAC of idType:number", async () => {
    const raw = new Uint8Array(32).fill(7);
    const hmac = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    for (const [idType, idNumber] of [
      ["resident_id", "11010519491231002X"],
      ["taiwan_permit", "12345678"],
      ["hk_macao_permit", "C12345678"],
    ] as const) {
      const mac = new Uint8Array(
        await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(`${idType}:${idNumber}`)),
      );
      expect(await derivePersonId(encodeBase64url(raw), { idType, idNumber, nationality: "CHN" })).toBe(
        encodeBase64url(mac.subarray(0, 16)),
      );
    }
  });

  it("never contains the number or any 6-character run of it", async () => {
    const idNumber = "11010519491231002X";
    for (let i = 0; i < 20; i++) {
      const k = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
      const id = await derivePersonId(k, { idType: "resident_id", idNumber });
      for (let j = 0; j + 6 <= idNumber.length; j++)
        expect(id.toUpperCase()).not.toContain(idNumber.slice(j, j + 6));
    }
  });

  it("is not a plain hash of the input: a wrong-size key is refused", async () => {
    const short = encodeBase64url(new Uint8Array(16));
    await expect(
      derivePersonId(short, { idType: "passport", idNumber: "E12345678", nationality: "CHN" }),
    ).rejects.toThrow(/32 bytes/);
  });
});

describe("isPersonId", () => {
  it("accepts only 22-character base64url encodings of 16 bytes", () => {
    expect(isPersonId(encodeBase64url(new Uint8Array(16).fill(255)))).toBe(true);
    expect(isPersonId("AAAAAAAAAAAAAAAAAAAAAA")).toBe(true);
    expect(isPersonId("AAAAAAAAAAAAAAAAAAAAAB")).toBe(false);
    expect(isPersonId("AAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(isPersonId("AAAAAAAAAAAAAAAAAAAA+A")).toBe(false);
    expect(isPersonId("11010519491231002X")).toBe(false);
  });
});
