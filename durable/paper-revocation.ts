import { bumpEpoch } from "../workers/lib/epochs";
import { shardFor } from "../workers/lib/shards";

/** As workers/revocation/revoke.ts: a bare-rid entry lives until its code expires, plus clock skew. */
const SKEW_S = 60;

/**
 * A person's colour turned yellow or red: every unexpired paper code printed before that change (a
 * lower state version) is revoked, into the published lists and the next verifier bundle, so offline
 * scanners stop accepting a green printout once they refresh. Sent through the person object's
 * outbox, so it is retried until D1 takes it; idempotent, because only unrevoked codes are touched and
 * the statements run in one batch (one transaction on the person's shard). The audit row, in the same
 * transaction (the person's shard keeps audit rows about that person: workers/audit/log.ts), says why,
 * with no actor but the rule; a retry that finds nothing left to revoke writes none.
 */
export async function revokePaperOnColor(
  env: Env,
  item: { personId: string; version: number; color: "yellow" | "red"; at: string },
): Promise<number> {
  const now = new Date().toISOString();
  const reason = `colour turned ${item.color} (state version ${item.version})`;
  const match = `person_id = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND version < ?3`;
  const shard = shardFor(env, item.personId);
  const pending = await shard
    .prepare(`SELECT count(*) AS n FROM paper_codes WHERE ${match}`)
    .bind(item.personId, now, item.version)
    .first<{ n: number }>();
  if (!pending?.n) return 0;
  const [, inserted] = await shard.batch([
    shard
      .prepare(
        `INSERT INTO person_audit (at, actor_kind, actor, action, target, reason, detail)
         VALUES (?1, 'system', 'person-object', 'paper-code.revoke-on-color', ?2, ?3,
                 json_object('revoked', ?6, 'color', ?4, 'version', ?5))`,
      )
      .bind(now, item.personId, reason, item.color, item.version, pending.n),
    shard
      .prepare(
        `INSERT INTO revocations (rid, before, person_id, scope, code_id, reason, created_at, created_by, until)
       SELECT rid, NULL, person_id, 'paper', code_id, ?4, ?2, 'system:color-change',
              strftime('%Y-%m-%dT%H:%M:%fZ', expires_at, '+${SKEW_S} seconds')
       FROM paper_codes WHERE ${match}`,
      )
      .bind(item.personId, now, item.version, reason),
    shard
      .prepare(`UPDATE paper_codes SET revoked_at = ?2 WHERE ${match}`)
      .bind(item.personId, now, item.version),
  ]);
  const revoked = inserted?.meta.changes ?? 0;
  // The Worker's revocation cache (workers/revocation/cache.ts) reloads on the next verification.
  if (revoked > 0) bumpEpoch("revocations");
  return revoked;
}
