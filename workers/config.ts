/** Deployment settings read from `[vars]`, parsed once per env object. */
export interface Config {
  issuer: string;
  devMode: boolean;
  codeTtlSeconds: number;
  paperCodeTtlDays: number;
  riskConfirmThreshold: number;
  ruleConfirmThreshold: number;
  lookupLimitPerHour: number;
  checkinRetentionDays: number;
  appealTargetHours: number;
  authoritySubjects: Set<string>;
}

const cache = new WeakMap<object, Config>();

function int(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function config(env: Env): Config {
  let c = cache.get(env);
  if (!c) {
    c = {
      issuer: env.ISSUER_URL.replace(/\/$/, ""),
      devMode: env.DEV_MODE === "true",
      codeTtlSeconds: int(env.CODE_TTL_SECONDS, 300),
      paperCodeTtlDays: int(env.PAPER_CODE_TTL_DAYS, 7),
      riskConfirmThreshold: int(env.RISK_CONFIRM_THRESHOLD, 1000),
      ruleConfirmThreshold: int(env.RULE_CONFIRM_THRESHOLD, 1000),
      lookupLimitPerHour: int(env.LOOKUP_LIMIT_PER_HOUR, 120),
      checkinRetentionDays: int(env.CHECKIN_RETENTION_DAYS, 28),
      appealTargetHours: int(env.APPEAL_TARGET_HOURS, 24),
      authoritySubjects: new Set(
        env.AUTHORITY_SUBJECTS.split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    };
    cache.set(env, c);
  }
  return c;
}
