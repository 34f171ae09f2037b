import { config } from "../config";

/** Our own entry, as other regions and offline verifiers see it. */
export function ourIssuer(env: Env) {
  return {
    issuer: config(env).issuer,
    name: env.ISSUER_NAME ?? "四川天府健康通 Sichuan Health Code",
    regionCode: env.ISSUER_REGION_CODE ?? "CN-SC",
  };
}
