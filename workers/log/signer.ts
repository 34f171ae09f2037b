import { type NoteSigner, parseSignerKey, verifierKeyString } from "../../verifier/tlog";
import { config } from "../config";

const signers = new Map<string, Promise<NoteSigner | null>>();

/** The log's verifier key string, from the signing secret (parsed once per isolate); null when unset. */
export async function logVerifierKey(env: Env): Promise<string | null> {
  const secret = config(env).logSigningKey;
  if (!secret) return null;
  let s = signers.get(secret);
  if (!s) {
    s = parseSignerKey(secret);
    signers.set(secret, s);
  }
  const signer = await s;
  return signer ? verifierKeyString(signer.name, signer.publicKey) : null;
}
