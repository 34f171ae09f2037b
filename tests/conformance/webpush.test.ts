// The test decryptor and VAPID verifier against the RFC vectors, so that the round trips in
// webpush-send.test.ts are judged by an oracle that is itself known to be right.

import { env } from "cloudflare:workers";
import { encryptNotification } from "@block65/webcrypto-web-push";
import { base64url } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  decryptAes128gcm,
  decryptWebPush,
  deriveContentKeys,
  deriveWebPushIkm,
  parseAes128gcmHeader,
  verifyVapidAuthorization,
} from "../helpers/webpush-decrypt";

const b = (s: string) => base64url.decode(s);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const vector = <T>(path: string): T => {
  const raw = env.TESTDATA[path];
  if (raw === undefined) throw new Error(`missing test data ${path}`);
  return JSON.parse(raw) as T;
};

interface Rfc8291 {
  inputs: Record<
    | "plaintext_utf8"
    | "as_public_b64url"
    | "as_private_b64url"
    | "ua_public_b64url"
    | "ua_private_b64url"
    | "salt_b64url"
    | "auth_secret_b64url",
    string
  >;
  intermediate: Record<"ecdh_secret_b64url" | "ikm_b64url" | "cek_b64url" | "nonce_b64url", string>;
  output: { body_b64url: string; body_length: number };
}
const rfc8291 = vector<Rfc8291>("webpush/rfc8291-appendix-a.json");
const ua = {
  priv: b(rfc8291.inputs.ua_private_b64url),
  pub: b(rfc8291.inputs.ua_public_b64url),
  auth: b(rfc8291.inputs.auth_secret_b64url),
};
const rfcBody = b(rfc8291.output.body_b64url);

describe("RFC 8291 Appendix A", () => {
  it("derives the RFC's ECDH secret, IKM, CEK and nonce", async () => {
    const asPublic = b(rfc8291.inputs.as_public_b64url);
    const { ecdhSecret, ikm } = await deriveWebPushIkm(ua.priv, ua.pub, asPublic, ua.auth);
    expect(base64url.encode(ecdhSecret)).toBe(rfc8291.intermediate.ecdh_secret_b64url);
    expect(base64url.encode(ikm)).toBe(rfc8291.intermediate.ikm_b64url);
    const { cek, nonce } = await deriveContentKeys(b(rfc8291.inputs.salt_b64url), ikm);
    expect(base64url.encode(cek)).toBe(rfc8291.intermediate.cek_b64url);
    expect(base64url.encode(nonce)).toBe(rfc8291.intermediate.nonce_b64url);
  });

  it("parses the header: salt, rs 4096, keyid = the application server's public key", () => {
    const header = parseAes128gcmHeader(rfcBody);
    expect(rfcBody.length).toBe(rfc8291.output.body_length);
    expect(base64url.encode(header.salt)).toBe(rfc8291.inputs.salt_b64url);
    expect(header.rs).toBe(4096);
    expect(base64url.encode(header.keyid)).toBe(rfc8291.inputs.as_public_b64url);
  });

  it("decrypts the RFC body to the RFC plaintext, with the private key raw or as a JWK", async () => {
    expect(text(await decryptWebPush(rfcBody, ua.priv, ua.pub, ua.auth))).toBe(rfc8291.inputs.plaintext_utf8);
    const jwk: JsonWebKey = {
      kty: "EC",
      crv: "P-256",
      x: base64url.encode(ua.pub.slice(1, 33)),
      y: base64url.encode(ua.pub.slice(33, 65)),
      d: rfc8291.inputs.ua_private_b64url,
    };
    expect(text(await decryptWebPush(rfcBody, jwk, ua.pub, ua.auth))).toBe(rfc8291.inputs.plaintext_utf8);
  });

  it("refuses a tampered body and a wrong auth secret", async () => {
    const tampered = rfcBody.slice();
    tampered[100] = (tampered[100] ?? 0) ^ 1;
    await expect(decryptWebPush(tampered, ua.priv, ua.pub, ua.auth)).rejects.toThrow();
    const wrongAuth = ua.auth.slice();
    wrongAuth[0] = (wrongAuth[0] ?? 0) ^ 1;
    await expect(decryptWebPush(rfcBody, ua.priv, ua.pub, wrongAuth)).rejects.toThrow();
  });

  describe("the package's encryptor with the RFC's salt and ephemeral key injected", () => {
    afterEach(() => vi.restoreAllMocks());

    it("produces the RFC body byte for byte", async () => {
      const asPublic = b(rfc8291.inputs.as_public_b64url);
      const alg = { name: "ECDH", namedCurve: "P-256" };
      const asPair = {
        publicKey: await crypto.subtle.importKey("raw", asPublic, alg, true, []),
        privateKey: await crypto.subtle.importKey(
          "jwk",
          {
            kty: "EC",
            crv: "P-256",
            x: base64url.encode(asPublic.slice(1, 33)),
            y: base64url.encode(asPublic.slice(33, 65)),
            d: rfc8291.inputs.as_private_b64url,
          },
          alg,
          false,
          ["deriveBits"],
        ),
      };
      const salt = b(rfc8291.inputs.salt_b64url);
      vi.spyOn(crypto, "getRandomValues").mockImplementationOnce((array) => {
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(salt);
        return array;
      });
      vi.spyOn(crypto.subtle, "generateKey").mockResolvedValueOnce(asPair);
      const body = await encryptNotification(
        {
          endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
          expirationTime: null,
          keys: {
            p256dh: rfc8291.inputs.ua_public_b64url,
            auth: rfc8291.inputs.auth_secret_b64url,
          },
        },
        new TextEncoder().encode(rfc8291.inputs.plaintext_utf8),
        { pad: false },
      );
      expect(base64url.encode(body)).toBe(rfc8291.output.body_b64url);
    });
  });
});

interface Rfc8188Example {
  name: string;
  ikm_b64url: string;
  keyid_utf8: string;
  salt_b64url: string;
  record_size: number;
  plaintext_utf8: string;
  body_b64url: string;
  intermediate_as_printed?: { cek_b64url: string; nonce_b64url: string };
}
const rfc8188 = vector<{ examples: Rfc8188Example[] }>("webpush/rfc8188-examples.json");

describe("RFC 8188 §3 examples", () => {
  it.each(rfc8188.examples.map((e) => [e.name, e] as const))(
    "%s decrypts to its plaintext",
    async (_, example) => {
      const body = b(example.body_b64url);
      const header = parseAes128gcmHeader(body);
      expect(header.rs).toBe(example.record_size);
      expect(text(header.keyid)).toBe(example.keyid_utf8);
      expect(base64url.encode(header.salt)).toBe(example.salt_b64url);
      if (example.intermediate_as_printed) {
        const keys = await deriveContentKeys(header.salt, b(example.ikm_b64url));
        expect(base64url.encode(keys.cek)).toBe(example.intermediate_as_printed.cek_b64url);
        expect(base64url.encode(keys.nonce)).toBe(example.intermediate_as_printed.nonce_b64url);
      }
      expect(text(await decryptAes128gcm(body, b(example.ikm_b64url)))).toBe(example.plaintext_utf8);
    },
  );

  it("detects a multi-record body cut after its first record", async () => {
    const example = rfc8188.examples.find((e) => e.record_size === 25)!;
    const body = b(example.body_b64url);
    const headerLength = body.length - parseAes128gcmHeader(body).payload.length;
    const truncated = body.slice(0, headerLength + example.record_size);
    await expect(decryptAes128gcm(truncated, b(example.ikm_b64url))).rejects.toThrow(/delimiter 1/);
  });

  it("refuses an RFC 8188 body as a web push message: its keyid is no P-256 key", async () => {
    const example = rfc8188.examples.find((e) => e.record_size === 25)!;
    await expect(decryptWebPush(b(example.body_b64url), ua.priv, ua.pub, ua.auth)).rejects.toThrow(/keyid/);
  });
});

interface Rfc8292 {
  authorization_header_as_printed_unwrapped: string;
  k: string;
  jwt_body: { aud: string; exp: number; sub: string };
}
const rfc8292 = vector<Rfc8292>("webpush/rfc8292-vapid-example.json");

describe("RFC 8292 §2.4 example", () => {
  const before = new Date((rfc8292.jwt_body.exp - 3600) * 1000);
  const header = rfc8292.authorization_header_as_printed_unwrapped;

  it("verifies with a clock before its exp", async () => {
    const claims = await verifyVapidAuthorization(header, rfc8292.k, rfc8292.jwt_body.aud, {
      currentDate: before,
    });
    expect(claims).toMatchObject(rfc8292.jwt_body);
  });

  it("is refused after exp, for another origin, with another k or a changed signature", async () => {
    const after = new Date((rfc8292.jwt_body.exp + 1) * 1000);
    await expect(
      verifyVapidAuthorization(header, rfc8292.k, rfc8292.jwt_body.aud, { currentDate: after }),
    ).rejects.toThrow();
    await expect(
      verifyVapidAuthorization(header, rfc8292.k, "https://other.example.net", { currentDate: before }),
    ).rejects.toThrow();
    await expect(
      verifyVapidAuthorization(header, `${rfc8292.k.slice(0, -1)}A`, rfc8292.jwt_body.aud, {
        currentDate: before,
      }),
    ).rejects.toThrow();
    // Change a signature character well inside the segment: the last one carries unused bits.
    const sigStart = header.lastIndexOf(".", header.indexOf(",")) + 1;
    const forged = `${header.slice(0, sigStart + 10)}${header[sigStart + 10] === "A" ? "B" : "A"}${header.slice(sigStart + 11)}`;
    await expect(
      verifyVapidAuthorization(forged, rfc8292.k, rfc8292.jwt_body.aud, { currentDate: before }),
    ).rejects.toThrow();
  });

  it("is refused by a clock more than 24 h before its exp", async () => {
    const early = new Date((rfc8292.jwt_body.exp - 25 * 3600) * 1000);
    await expect(
      verifyVapidAuthorization(header, rfc8292.k, rfc8292.jwt_body.aud, { currentDate: early }),
    ).rejects.toThrow(/24 hours/);
  });
});
