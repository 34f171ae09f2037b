import { type NoteSigner, parseSignerKey, verifierKeyString } from "../../verifier/tlog";

const signers = new Map<string, Promise<NoteSigner | null>>();

/** The log's verifier key string, from the signing secret (parsed once per isolate). */
export async function logVerifierKey(env: Env): Promise<string | null> {
  let s = signers.get(env.LOG_SIGNING_KEY);
  if (!s) {
    s = parseSignerKey(env.LOG_SIGNING_KEY ?? "");
    signers.set(env.LOG_SIGNING_KEY, s);
  }
  const signer = await s;
  return signer ? verifierKeyString(signer.name, signer.publicKey) : null;
}
