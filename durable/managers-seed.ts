import { randomId } from "../workers/auth/hashing";
import { decryptPii, PiiDecryptError } from "../workers/identity/pii";
import { log } from "../workers/lib/log";
import { nameMac } from "../workers/persons/name-mac";
import { findPerson, managingAccounts } from "../workers/persons/repo";
import type { Manager, NameRecord } from "./managers";

/**
 * The manager set of a person registered before their object kept it: the D1 bindings as they were
 * (each active, proven when it was bound with a real-name login) and the name on record as provisional
 * (nobody knows which login typed it). Read once per object, the first time it is asked.
 */
export async function legacyManagers(
  env: Env,
  personId: string,
): Promise<{ managers: Manager[]; name: NameRecord | null }> {
  const [bindings, person] = await Promise.all([managingAccounts(env, personId), findPerson(env, personId)]);
  const managers = bindings.map(
    (b): Manager => ({
      id: randomId("mgr"),
      accountId: b.accountId,
      relationship: b.relationship,
      proven: b.verified,
      status: "active",
      createdAt: b.createdAt,
      updatedAt: b.createdAt,
      expiresAt: null,
      displacedSelf: false,
    }),
  );
  const name = person ? await provisionalName(env, personId, person.nameEnc) : null;
  return { managers, name };
}

/** A sealed name that no longer opens costs the name record, never the managers. */
async function provisionalName(env: Env, personId: string, sealed: string): Promise<NameRecord | null> {
  try {
    return { mac: await nameMac(env.PII_KEY, await decryptPii(env.PII_KEY, sealed)), proven: false };
  } catch (e) {
    if (!(e instanceof PiiDecryptError)) throw e;
    log("warn", "legacy name not readable; managers seeded without it", { personId, error: e.message });
    return null;
  }
}
