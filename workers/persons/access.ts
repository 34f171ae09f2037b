import type { AccountPersonRow } from "../../schema/d1/persons";
import type { PersonCaller } from "../auth/caller";
import { forbidden } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { perEnv } from "../lib/ttl-cache";
import { binding } from "./repo";

/** Bindings are never removed, so a found one can be reused for a minute without a D1 read. */
const BINDING_TTL_MS = 60_000;
const bindings = perEnv<AccountPersonRow>();

/**
 * The caller must manage the person (self or relative). Unknown and foreign ids get the same 403,
 * so a caller cannot probe which persons exist.
 */
export async function requireManaged(
  env: Env,
  caller: PersonCaller,
  personId: string,
): Promise<AccountPersonRow> {
  const key = `${caller.accountId}|${personId}`;
  const cached = bindings(env).get(key);
  if (cached) return cached;
  const row = isPersonId(personId) ? await binding(env, caller.accountId, personId) : undefined;
  if (!row) throw forbidden("You do not manage this person");
  bindings(env).set(key, row, Date.now() + BINDING_TTL_MS);
  return row;
}
