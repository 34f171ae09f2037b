import { isRecord } from "./compact";

/** SMART Health Cards revocation list for one key (`/.well-known/crl/{kid}.json`). */
export interface ShcCrl {
  kid: string;
  method: "rid";
  ctr: number;
  /** `rid`, or `rid.timestamp`: then only credentials with nbf before the timestamp are revoked. */
  rids: string[];
}

export function isShcCrl(value: unknown): value is ShcCrl {
  return (
    isRecord(value) &&
    typeof value.kid === "string" &&
    value.method === "rid" &&
    typeof value.ctr === "number" &&
    Array.isArray(value.rids) &&
    value.rids.every((r) => typeof r === "string")
  );
}

/** Per the SHC spec: a bare rid revokes every credential with it; `rid.ts` those issued (nbf) before ts. */
export function isRevokedByCrl(crls: readonly ShcCrl[], kid: string, rid: string, nbf: number): boolean {
  for (const crl of crls) {
    if (crl.kid !== kid || crl.method !== "rid") continue;
    for (const entry of crl.rids) {
      const dot = entry.indexOf(".");
      if (dot === -1) {
        if (entry === rid) return true;
        continue;
      }
      if (entry.slice(0, dot) !== rid) continue;
      const revokedAt = Number(entry.slice(dot + 1));
      // An unreadable timestamp is treated as a bare rid: failing closed on a listed credential.
      if (!Number.isFinite(revokedAt) || nbf < revokedAt) return true;
    }
  }
  return false;
}
