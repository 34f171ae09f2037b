import { describe, expect, it } from "vitest";
import { decryptPii, encryptPii, PiiDecryptError } from "../../../workers/identity/pii";
import { decodeBase64url, encodeBase64url } from "../../../workers/lib/base64url";

const key = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));

describe("encryptPii / decryptPii", () => {
  it("round-trips names and phones, including characters outside the BMP", async () => {
    for (const plaintext of ["张小三", "John Smith", "13812345678", "𠮷野家", ""]) {
      const sealed = await encryptPii(key, plaintext);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain(plaintext || "\u0000");
      expect(await decryptPii(key, sealed)).toBe(plaintext);
    }
  });

  it("uses a fresh IV each time, so equal names do not look equal at rest", async () => {
    const a = await encryptPii(key, "张三");
    const b = await encryptPii(key, "张三");
    expect(a).not.toBe(b);
    expect(decodeBase64url(a.slice(3)).subarray(0, 12)).not.toEqual(
      decodeBase64url(b.slice(3)).subarray(0, 12),
    );
  });

  it("rejects a flipped bit anywhere, a truncation, another key and other formats", async () => {
    const sealed = await encryptPii(key, "13812345678");
    const bytes = decodeBase64url(sealed.slice(3));
    for (const i of [0, 11, 12, bytes.length - 1]) {
      const t = bytes.slice();
      t[i]! ^= 1;
      await expect(decryptPii(key, `v1.${encodeBase64url(t)}`)).rejects.toBeInstanceOf(PiiDecryptError);
    }
    await expect(decryptPii(key, `v1.${encodeBase64url(bytes.subarray(0, 27))}`)).rejects.toThrow(
      /truncated/,
    );
    const other = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
    await expect(decryptPii(other, sealed)).rejects.toThrow(/authentication/);
    await expect(decryptPii(key, sealed.slice(3))).rejects.toThrow(/format/);
    await expect(decryptPii(key, "v1.not base64!")).rejects.toThrow(/base64url/);
  });
});
