// An independent user-agent side of Web Push, written from the RFCs with WebCrypto's own HKDF (the
// package under test hand-rolls HMAC expansion) and jose, and validated against the RFC vectors in
// tests/conformance/webpush.test.ts. It is the oracle the sender's output is checked with.
import { base64url, importJWK, type JWTPayload, jwtVerify } from "jose";

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8),
  );
}

export interface Aes128gcmHeader {
  salt: Uint8Array;
  rs: number;
  keyid: Uint8Array;
  /** Everything after the header: the encrypted records. */
  payload: Uint8Array;
}

/** RFC 8188 §2.1: salt(16) ‖ rs(uint32) ‖ idlen(uint8) ‖ keyid(idlen). */
export function parseAes128gcmHeader(body: Uint8Array): Aes128gcmHeader {
  if (body.length < 21) throw new Error("aes128gcm: body shorter than the header");
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const rs = view.getUint32(16);
  const idlen = body[20] ?? 0;
  if (body.length < 21 + idlen) throw new Error("aes128gcm: body shorter than its keyid");
  // §2: 16 octets of tag plus at least the delimiter octet.
  if (rs < 18) throw new Error(`aes128gcm: record size ${rs} is below 18`);
  return { salt: body.slice(0, 16), rs, keyid: body.slice(21, 21 + idlen), payload: body.slice(21 + idlen) };
}

/** RFC 8188 §2.2–2.3: CEK and the base NONCE from the salt and the input keying material. */
export async function deriveContentKeys(salt: Uint8Array, ikm: Uint8Array) {
  return {
    cek: await hkdf(salt, ikm, utf8("Content-Encoding: aes128gcm\0"), 16),
    nonce: await hkdf(salt, ikm, utf8("Content-Encoding: nonce\0"), 12),
  };
}

/** RFC 8188 decryption of every record, with padding removed and truncation detected. */
export async function decryptAes128gcm(body: Uint8Array, ikm: Uint8Array): Promise<Uint8Array> {
  const { salt, rs, payload } = parseAes128gcmHeader(body);
  const { cek, nonce } = await deriveContentKeys(salt, ikm);
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  if (payload.length === 0) throw new Error("aes128gcm: no records");
  const plain: Uint8Array[] = [];
  for (let seq = 0, at = 0; at < payload.length; seq++, at += rs) {
    const record = payload.subarray(at, at + rs);
    const last = at + rs >= payload.length;
    // §2.3: the record's nonce is the base nonce XOR the 96-bit big-endian sequence number.
    const iv = nonce.slice();
    for (let i = 11, s = seq; i >= 0 && s > 0; i--, s = Math.floor(s / 256))
      iv[i] = (iv[i] ?? 0) ^ (s & 0xff);
    const padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, record));
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (end < 0) throw new Error(`aes128gcm: record ${seq} has no delimiter`);
    // §2: 0x02 ends the final record and 0x01 every other; anything else means reordering or truncation.
    const expected = last ? 2 : 1;
    if (padded[end] !== expected) throw new Error(`aes128gcm: record ${seq} has delimiter ${padded[end]}`);
    plain.push(padded.subarray(0, end));
  }
  return concat(...plain);
}

async function importUaPrivate(
  uaPrivate: JsonWebKey | Uint8Array,
  uaPublicRaw: Uint8Array,
): Promise<CryptoKey> {
  const jwk: JsonWebKey =
    uaPrivate instanceof Uint8Array
      ? {
          kty: "EC",
          crv: "P-256",
          x: base64url.encode(uaPublicRaw.slice(1, 33)),
          y: base64url.encode(uaPublicRaw.slice(33, 65)),
          d: base64url.encode(uaPrivate),
        }
      : uaPrivate;
  return crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
}

/** RFC 8291 §3.3–3.4: the IKM for aes128gcm from ECDH(ua_private, as_public) and the auth secret. */
export async function deriveWebPushIkm(
  uaPrivate: JsonWebKey | Uint8Array,
  uaPublicRaw: Uint8Array,
  asPublicRaw: Uint8Array,
  authSecret: Uint8Array,
): Promise<{ ecdhSecret: Uint8Array; ikm: Uint8Array }> {
  const asPublic = await crypto.subtle.importKey(
    "raw",
    asPublicRaw,
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  const ecdhSecret = new Uint8Array(
    await crypto.subtle.deriveBits(
      // workers-types spell the member `$public` (a keyword-escaping artefact); WebCrypto reads `public`.
      { name: "ECDH", public: asPublic } as unknown as SubtleCryptoDeriveKeyAlgorithm,
      await importUaPrivate(uaPrivate, uaPublicRaw),
      256,
    ),
  );
  const keyInfo = concat(utf8("WebPush: info\0"), uaPublicRaw, asPublicRaw);
  return { ecdhSecret, ikm: await hkdf(authSecret, ecdhSecret, keyInfo, 32) };
}

/**
 * What a browser does with a push message body (RFC 8291 §4): the keyid is the application
 * server's ephemeral public key, and the message must be a single record.
 */
export async function decryptWebPush(
  body: Uint8Array,
  uaPrivate: JsonWebKey | Uint8Array,
  uaPublicRaw: Uint8Array,
  authSecret: Uint8Array,
): Promise<Uint8Array> {
  const { keyid, rs, payload } = parseAes128gcmHeader(body);
  if (keyid.length !== 65 || keyid[0] !== 0x04)
    throw new Error("web push: keyid is not an uncompressed P-256 key");
  if (payload.length > rs) throw new Error("web push: more than one record");
  const { ikm } = await deriveWebPushIkm(uaPrivate, uaPublicRaw, keyid, authSecret);
  return decryptAes128gcm(body, ikm);
}

export interface UserAgentKeys {
  /** What a browser's PushSubscription.toJSON().keys holds. */
  keys: { p256dh: string; auth: string };
  privateJwk: JsonWebKey;
  publicRaw: Uint8Array;
  authSecret: Uint8Array;
}

/** A fresh browser-side key pair and auth secret, as PushManager.subscribe would create. */
export async function makeUserAgentKeys(): Promise<UserAgentKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const publicRaw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const authSecret = crypto.getRandomValues(new Uint8Array(16));
  return {
    keys: { p256dh: base64url.encode(publicRaw), auth: base64url.encode(authSecret) },
    privateJwk,
    publicRaw,
    authSecret,
  };
}

const MAX_VAPID_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Checks an `Authorization: vapid t=…, k=…` value as a push service would (RFC 8292 §2–§3):
 * k is the expected key, t is an ES256 JWT signed by it, aud is the endpoint's origin, exp is in the
 * future but at most 24 h away, and sub is a contact URI.
 */
export async function verifyVapidAuthorization(
  header: string,
  publicKeyB64: string,
  expectedAud: string,
  opts: { currentDate?: Date } = {},
): Promise<JWTPayload> {
  const m = /^vapid\s+(.+)$/i.exec(header.trim());
  if (!m?.[1]) throw new Error("vapid: not a vapid authorization");
  const params = new Map<string, string>();
  for (const part of m[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const t = params.get("t");
  const k = params.get("k");
  if (!t || !k) throw new Error("vapid: t and k are both required");
  if (k !== publicKeyB64) throw new Error("vapid: k is not the expected public key");
  const point = base64url.decode(k);
  if (point.length !== 65 || point[0] !== 0x04)
    throw new Error("vapid: k is not an uncompressed P-256 point");
  const key = await importJWK(
    {
      kty: "EC",
      crv: "P-256",
      x: base64url.encode(point.slice(1, 33)),
      y: base64url.encode(point.slice(33, 65)),
    },
    "ES256",
  );
  const now = opts.currentDate ?? new Date();
  const { payload } = await jwtVerify(t, key, {
    algorithms: ["ES256"],
    audience: expectedAud,
    currentDate: now,
    requiredClaims: ["aud", "exp", "sub"],
  });
  if (typeof payload.aud !== "string") throw new Error("vapid: aud must be a single origin");
  if ((payload.exp ?? 0) - Math.floor(now.getTime() / 1000) > MAX_VAPID_LIFETIME_SECONDS) {
    throw new Error("vapid: exp is more than 24 hours away");
  }
  if (!/^(mailto:|https:)/.test(payload.sub ?? ""))
    throw new Error("vapid: sub is not a mailto: or https: URI");
  return payload;
}
