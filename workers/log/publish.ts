// Authority actions into the public log: each with the SHA-256 of its reason and the acting
// account's pseudonym. Keys make a retried request append nothing new; workers/log/submit.ts makes
// the append durable.

import { canonicalJson, type LogEntry } from "../../verifier/tlog";
import type { PersonCaller } from "../auth/caller";
import { actorPseudonym, sha256Hex } from "./actor";
import { submitToLog } from "./submit";

async function submit(env: Env, key: string, entry: LogEntry): Promise<void> {
  await submitToLog(env, [{ key, entry: canonicalJson(entry) }]);
}

const actor = (env: Env, caller: PersonCaller) => actorPseudonym(env, caller.issuer, caller.subject);

export async function logAuthorityEvent(
  env: Env,
  caller: PersonCaller,
  e: { personId: string; eventId: string; kind: string; reason: string; at: string },
): Promise<void> {
  await submit(env, `authority_event:${e.personId}:${e.eventId}`, {
    v: 1,
    type: "authority_event",
    at: e.at,
    kind: e.kind,
    reasonSha256: await sha256Hex(e.reason),
    actor: await actor(env, caller),
  });
}

export async function logRiskArea(
  env: Env,
  caller: PersonCaller,
  a: {
    riskAreaId: string;
    districtCode: string | null;
    venues: number;
    level: string;
    reason: string;
    at: string;
  },
): Promise<void> {
  await submit(env, `risk_area:${a.riskAreaId}`, {
    v: 1,
    type: "risk_area",
    at: a.at,
    areaId: a.riskAreaId,
    districtCode: a.districtCode,
    venues: a.venues,
    level: a.level,
    reasonSha256: await sha256Hex(a.reason),
    actor: await actor(env, caller),
  });
}

export async function logRiskAreaLifted(
  env: Env,
  caller: PersonCaller,
  a: { riskAreaId: string; reason: string; at: string },
): Promise<void> {
  await submit(env, `risk_area_lifted:${a.riskAreaId}`, {
    v: 1,
    type: "risk_area_lifted",
    at: a.at,
    areaId: a.riskAreaId,
    reasonSha256: await sha256Hex(a.reason),
    actor: await actor(env, caller),
  });
}

export async function logRuleSet(
  env: Env,
  caller: PersonCaller,
  ruleSet: { version: string },
): Promise<void> {
  await submit(env, `rule_set:${ruleSet.version}`, {
    v: 1,
    type: "rule_set",
    at: new Date().toISOString(),
    version: ruleSet.version,
    sha256: await sha256Hex(canonicalJson(ruleSet)),
    actor: await actor(env, caller),
  });
}
