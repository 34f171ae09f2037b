import { SignJWT } from "jose";
import { BUNDLE_TYP, type Bundle, type BundleIssuer } from "../../verifier";
import { activeSigningKey, bundleTtlSeconds, publishedSigningKeys } from "../codes/keys";
import { activeIssuers, toBundleIssuer } from "../issuers/registry";
import { ourIssuer } from "../issuers/self";
import { revocationList } from "../revocation/cache";
import { buildCrl } from "../revocation/crl";
import { COLOR_VOCABULARY } from "./colors";

/**
 * The offline verifier bundle: our issuer entry with our published keys (pending ones included, so a
 * scanner that refreshes daily already knows a key that activates tomorrow), every active trusted
 * issuer's keys and CRLs, our revocations per kid, and the colour vocabulary.
 */
export async function buildBundle(env: Env, now = Date.now()): Promise<Bundle> {
  const self = ourIssuer(env);
  const keys = await publishedSigningKeys(env, now);
  const { entries, ctr } = await revocationList(env, now);
  const revocations: Record<string, string[]> = {};
  for (const key of keys) revocations[key.kid] = buildCrl(key.kid, entries, ctr, now).rids;
  const others = (await activeIssuers(env, now)).filter((i) => i.keys.length > 0).map(toBundleIssuer);
  // Other hc+jwt issuers' rid lists travel in `revocations` too, where the library looks for them.
  for (const other of others) {
    if (other.format !== "hc+jwt") continue;
    for (const crl of other.crls ?? []) revocations[crl.kid] = [...(revocations[crl.kid] ?? []), ...crl.rids];
  }
  const ours: BundleIssuer = {
    issuer: self.issuer,
    name: self.name,
    regionCode: self.regionCode,
    format: "hc+jwt",
    algorithms: ["ES256"],
    jwks: { keys: keys.map((k) => k.publicJwk) },
  };
  const iat = Math.floor(now / 1000);
  return {
    iss: self.issuer,
    iat,
    exp: iat + bundleTtlSeconds(env),
    issuers: [ours, ...others],
    revocations,
    colors: COLOR_VOCABULARY,
  };
}

/** Signed with our active key; apps pin our JWKS as the trust anchor and open it with `openBundle`. */
export async function signBundle(env: Env, bundle: Bundle, now = Date.now()): Promise<string> {
  const key = await activeSigningKey(env, now);
  return new SignJWT({ ...bundle })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: BUNDLE_TYP })
    .sign(key.privateKey);
}
