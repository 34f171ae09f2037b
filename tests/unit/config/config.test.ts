import { describe, expect, it } from "vitest";
import { ConfigError, config } from "../../../workers/config";

const KEY = "A".repeat(43);
/** The secrets and the one setting without a default; everything else left to its default. */
const minimal = () =>
  ({
    ISSUER_URL: "https://codes.example/",
    SIGNING_KEYS: JSON.stringify([{ kty: "EC" }]),
    PERSON_ID_KEY: KEY,
    PII_KEY: KEY,
    VAPID_PUBLIC_KEY: "public",
    VAPID_PRIVATE_KEY: "private",
    // PERSON_SHARDS defaults to 4: the D1 bindings must be there (stand-ins: config only checks presence).
    ...Object.fromEntries([0, 1, 2, 3].map((i) => [`PERSON_SHARD_${i}`, {}])),
  }) as unknown as Env;

const failure = (env: Record<string, unknown>) => {
  try {
    config({ ...minimal(), ...env } as Env);
  } catch (err) {
    return err as Error;
  }
  throw new Error("config accepted it");
};

describe("config(env): every setting and secret through one schema", () => {
  it("gives the README's defaults for what is unset or empty", () => {
    const cfg = config({ ...minimal(), CODE_TTL_SECONDS: "", AUTHORITY_SUBJECTS: "" } as Env);
    expect(cfg).toMatchObject({
      issuer: "https://codes.example",
      devMode: false,
      codeTtlSeconds: 300,
      paperCodeTtlDays: 7,
      idProviders: [],
      riskConfirmThreshold: 1000,
      lookupLimitPerHour: 120,
      checkinRetentionDays: 28,
      appealTargetHours: 24,
      shedNonessentialAt: 48,
      shedAllAt: 256,
      issuerRegionCode: "CN-SC",
      bundleTtlHours: 24,
      logOrigin: "healthpass.local/log",
      logPools: 16,
    });
    expect([...cfg.authoritySubjects]).toEqual([]);
    expect(cfg.logSigningKey).toBeUndefined();
  });

  it("reads what is set", () => {
    const cfg = config({
      ...minimal(),
      DEV_MODE: "true",
      CODE_TTL_SECONDS: "60",
      AUTHORITY_SUBJECTS: " https://idp|a , https://idp|b ,",
      ID_PROVIDERS: JSON.stringify([{ issuer: "https://idp", audience: "x" }]),
    } as Env);
    expect(cfg.devMode).toBe(true);
    expect(cfg.codeTtlSeconds).toBe(60);
    expect([...cfg.authoritySubjects]).toEqual(["https://idp|a", "https://idp|b"]);
    expect(cfg.idProviders).toEqual([{ issuer: "https://idp", audience: "x" }]);
    expect(config({ ...minimal(), LOG_POOLS: "64" } as Env).logPools).toBe(64);
  });

  it("parses an env object once", () => {
    const env = minimal();
    expect(config(env)).toBe(config(env));
  });

  it("fails loudly, naming each setting it cannot read, instead of falling back", () => {
    const err = failure({
      CODE_TTL_SECONDS: "5 minutes",
      SHED_ALL_AT: "0",
      DEV_MODE: "yes",
      ID_PROVIDERS: "[{",
    });
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ["CODE_TTL_SECONDS", "SHED_ALL_AT", "DEV_MODE", "ID_PROVIDERS"])
      expect(err.message).toContain(name);
    expect(failure({ ISSUER_URL: "not a url" }).message).toContain("ISSUER_URL");
    const log = failure({
      LOG_POOLS: "0",
      LOG_ORIGIN: "two words",
      LOG_SIGNING_KEY: "PRIVATE+KEY+x",
    }).message;
    for (const name of ["LOG_POOLS", "LOG_ORIGIN", "LOG_SIGNING_KEY"]) expect(log).toContain(name);
    expect(log).not.toContain("PRIVATE+KEY+x");
  });

  it("refuses a missing or malformed secret without echoing it", () => {
    const err = failure({ PII_KEY: "short-secret-value", PERSON_ID_KEY: undefined });
    expect(err.message).toMatch(/PII_KEY: not 32 bytes/);
    expect(err.message).toContain("PERSON_ID_KEY: missing");
    expect(err.message).not.toContain("short-secret-value");
  });

  it("refuses a notify queue count that differs from the queues bound", () => {
    const queue = { send: () => undefined, sendBatch: () => undefined };
    const bound = { NOTIFY_QUEUE: queue, NOTIFY_QUEUE_1: queue };
    expect(config({ ...minimal(), ...bound, NOTIFY_QUEUES: "2" } as unknown as Env).notifyQueues).toBe(2);
    const err = failure({ ...bound, NOTIFY_QUEUES: "3" });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("NOTIFY_QUEUES");
  });

  it("refuses a shard count that does not match the PERSON_SHARD_<i> bindings", () => {
    expect(config({ ...minimal() } as Env).personShards).toBe(4);
    expect(failure({ PERSON_SHARDS: "5" }).message).toMatch(
      /PERSON_SHARDS: 5, but there is no D1 binding PERSON_SHARD_4/,
    );
    expect(failure({ PERSON_SHARDS: "2" }).message).toMatch(
      /PERSON_SHARDS: 2, but binding PERSON_SHARD_2 exists too/,
    );
    expect(failure({ PERSON_SHARDS: "four" })).toBeInstanceOf(ConfigError);
  });
});
