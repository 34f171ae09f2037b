// The browser-side check of a history entry's place in the public log: the proof from the service,
// verified here with the log's published key (checkpoint signature) and the RFC 6962 inclusion proof.
// Loaded on demand (its own chunk), so the app's first load does not carry it.
import { verifyInclusionClaim } from "../../../verifier/tlog/verify";

let key: Promise<string | null> | null = null;

function logKey(): Promise<string | null> {
  key ??= fetch("/log/key")
    .then((r) => (r.ok ? r.text() : null))
    .catch(() => null);
  return key;
}

export type LogCheck = { ok: true; size: number } | { ok: false; reason: string };

export async function checkLogEntry(personId: string, index: number, token: string): Promise<LogCheck> {
  const verifierKey = await logKey();
  if (!verifierKey) {
    key = null;
    return { ok: false, reason: "no_key" };
  }
  const res = await fetch(`/v1/persons/${encodeURIComponent(personId)}/log-proof?index=${index}`, {
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => null);
  if (!res?.ok) return { ok: false, reason: res ? `http_${res.status}` : "offline" };
  const claim = await res.json();
  const result = await verifyInclusionClaim(claim, verifierKey);
  return result.ok ? { ok: true, size: result.checkpoint.size } : { ok: false, reason: result.reason };
}
