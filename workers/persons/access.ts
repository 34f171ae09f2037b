import type { AccountPersonRow } from "../../schema/d1/persons";
import type { PersonCaller } from "../auth/caller";
import { forbidden } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { binding } from "./repo";

/**
 * The caller must manage the person (self or relative). Unknown and foreign ids get the same 403,
 * so a caller cannot probe which persons exist.
 */
export async function requireManaged(
  env: Env,
  caller: PersonCaller,
  personId: string,
): Promise<AccountPersonRow> {
  const row = isPersonId(personId) ? await binding(env, caller.accountId, personId) : undefined;
  if (!row) throw forbidden("You do not manage this person");
  return row;
}
