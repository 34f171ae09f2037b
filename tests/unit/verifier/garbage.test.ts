import fc from "fast-check";
import { base64url } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type Bundle, type Reason, verifyCode, verifySmartHealthCard } from "../../../verifier";
import { makeBundle, makeIssuer, NOW, signCode, type TestIssuer } from "./fixtures";

const REASONS: Reason[] = [
  "malformed",
  "bad_signature",
  "expired",
  "not_yet_valid",
  "unknown_issuer",
  "unknown_key",
  "unsupported_alg",
  "revoked",
  "bundle_expired",
];

let ours: TestIssuer;
let bundle: Bundle;

beforeAll(async () => {
  ours = await makeIssuer("https://healthpass.test", "Sichuan Health Code");
  bundle = makeBundle([ours]);
});

function randomText(length: number, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("garbage in, a reason out, never a throw", () => {
  it("16 KB of assorted garbage is malformed", async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16 * 1024));
    const inputs = [
      String.fromCharCode(...bytes),
      randomText(16 * 1024, `${B64URL}.`),
      `${randomText(8000, B64URL)}.${randomText(8000, B64URL)}.${randomText(383, B64URL)}`,
      `eyJhbGciOiJFUzI1NiJ9.${randomText(16 * 1024, B64URL)}.`,
      `shc:/${randomText(16 * 1024, "0123456789")}`,
      `shc:/1/2/${randomText(16 * 1024, "0123456789")}`,
      `{"verifiableCredential":["${randomText(16 * 1024, B64URL)}"]}`,
      `{${randomText(16 * 1024, '{}[]":,')}`,
      "",
      ".".repeat(16 * 1024),
    ];
    for (const input of inputs) {
      expect(await verifyCode(input, bundle, NOW)).toEqual({ valid: false, reason: "malformed" });
      expect(await verifySmartHealthCard(input, [], NOW)).toEqual({ valid: false, reason: "malformed" });
    }
  });

  it("non-strings are malformed", async () => {
    for (const input of [null, undefined, 42, {}, ["a"]]) {
      expect(await verifyCode(input as unknown as string, bundle, NOW)).toEqual({
        valid: false,
        reason: "malformed",
      });
    }
  });

  it("any mutation of a good code is refused with a known reason", async () => {
    const token = await signCode(ours);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(token.length - 1),
        fc.string({ minLength: 0, maxLength: 3 }),
        async (at, insert) => {
          const mutated = token.slice(0, at) + insert + token.slice(at + 1);
          fc.pre(mutated !== token);
          const result = await verifyCode(mutated, bundle, NOW);
          if (result.valid) {
            // Base64url's last character of a segment carries unused bits: only a same-bytes change passes.
            const bytes = (t: string) => t.split(".").map((p) => Array.from(base64url.decode(p)).join());
            expect(bytes(mutated)).toEqual(bytes(token));
            return;
          }
          expect(REASONS).toContain(result.reason);
        },
      ),
      { numRuns: 200 },
    );
  });
});
