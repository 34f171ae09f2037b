import type { Access } from "../../durable/managers";
import type { PersonCaller } from "../auth/caller";
import { forbidden } from "../http/problems";
import { isPersonId } from "../identity/person-id";

/**
 * The caller must manage the person (self, or an approved relative), as the person's object says now:
 * nothing is cached, so a removal or denial is refused on the very next request. `checkins` asks for
 * where the person has been, which a relative sees only of a minor or of someone without their own
 * account. Unknown and foreign ids get the same 403, so a caller cannot probe which persons exist.
 */
export async function requireManaged(
  env: Env,
  caller: PersonCaller,
  personId: string,
  need?: "checkins",
): Promise<Access> {
  const access = isPersonId(personId) ? await env.PERSON.getByName(personId).access(caller.accountId) : null;
  if (!access) throw forbidden("You do not manage this person");
  if (need === "checkins" && !access.checkins)
    throw forbidden(
      "A relative sees where an adult with their own account has been only if they do it themselves",
    );
  return access;
}
