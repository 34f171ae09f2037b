import { base64url, decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { vapidAuthorization } from "../../../workers/push/vapid";

async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
  ])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return { publicKey: base64url.encode(raw), privateKey: jwk.d! };
}

const token = (header: string) => /t=([^,]+)/.exec(header)?.[1] ?? "";

describe("vapidAuthorization", () => {
  it("signs ES256 for the endpoint origin, 12 h ahead, with the subject", async () => {
    const keys = await keyPair();
    const header = await vapidAuthorization(
      "https://push.example.net/p/abc?x=1",
      { ...keys, subject: "mailto:ops@example.org" },
      1_800_000_000,
    );
    expect(header).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${keys.publicKey}$`));
    expect(decodeProtectedHeader(token(header))).toEqual({ typ: "JWT", alg: "ES256" });
    expect(decodeJwt(token(header))).toEqual({
      aud: "https://push.example.net",
      exp: 1_800_000_000 + 12 * 3600,
      sub: "mailto:ops@example.org",
    });
  });

  it("refuses a private key that does not belong to the public key", async () => {
    const a = await keyPair();
    const b = await keyPair();
    await expect(
      vapidAuthorization("https://push.example.net/p", {
        publicKey: a.publicKey,
        privateKey: b.privateKey,
        subject: "mailto:ops@example.org",
      }),
    ).rejects.toThrow(/VAPID_PRIVATE_KEY .* does not belong to VAPID_PUBLIC_KEY/);
  });

  it("refuses a malformed public key and a subject that is no contact URI", async () => {
    const keys = await keyPair();
    await expect(
      vapidAuthorization("https://push.example.net/p", {
        ...keys,
        publicKey: `${keys.publicKey}=`,
        subject: "mailto:a@b.c",
      }),
    ).rejects.toThrow();
    await expect(
      vapidAuthorization("https://push.example.net/p", { ...keys, subject: "ops@example.org" }),
    ).rejects.toThrow(/subject/);
  });

  it("recovers after a bad key: the next good key signs", async () => {
    const good = await keyPair();
    const bad = await keyPair();
    const subject = "https://healthpass.test";
    await expect(
      vapidAuthorization("https://push.example.net/p", {
        publicKey: good.publicKey,
        privateKey: bad.privateKey,
        subject,
      }),
    ).rejects.toThrow();
    await expect(vapidAuthorization("https://push.example.net/p", { ...good, subject })).resolves.toMatch(
      /^vapid /,
    );
  });
});
