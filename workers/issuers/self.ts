import { config } from "../config";

/** Our own entry, as other regions and offline verifiers see it. */
export function ourIssuer(env: Env) {
  return {
    issuer: config(env).issuer,
    name: config(env).issuerName,
    regionCode: config(env).issuerRegionCode,
  };
}
