// Public API of the offline verifier. It imports only `jose` and web standards so it runs unchanged in a
// browser, a scanner app or the Worker; keep workers/, durable/ and schema/ out of it (but for the
// dependency-free schema/vocabulary.ts; biome.json enforces this).
export {
  BUNDLE_TYP,
  type Bundle,
  type BundleIssuer,
  bundleProblems,
  type Color,
  type ColorLabel,
  type Entry,
  type IssuerFormat,
  isBundle,
  type OpenBundleOptions,
  type OpenedBundle,
  openBundle,
} from "./bundle";
export { type CompactJws, parseCompact, parseJsonObject } from "./compact";
export { inflateRaw, MAX_INFLATED_BYTES } from "./inflate";
export {
  CLOCK_SKEW_SECONDS,
  checkTimes,
  type Failure,
  type Reason,
  SUPPORTED_ALGORITHMS,
  verifyJws,
} from "./jws";
export { isRevokedByCrl, isShcCrl, type ShcCrl } from "./shc-crl";
export { decodeShcNumeric, joinShcChunks, shcJwsFromFile, toShcJws } from "./shc-encoding";
export {
  type ShcIssuer,
  type ShcResult,
  type ShcValid,
  type Vaccination,
  verifySmartHealthCard,
} from "./smart-health-card";
export {
  CODE_TYP,
  type CodeValid,
  type OfflineResult,
  type ShcOfflineValid,
  verifyCode,
} from "./verify-code";
