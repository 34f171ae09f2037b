import { activeIssuers, invalidateTrustList } from "./registry";

/** Keeps remote JWKS fresh between verifications (the cron runs every 15 minutes; refreshes are due after 10). */
export const issuerKeysJob = {
  name: "issuers.refresh-jwks",
  run: async (env: Env, now: Date) => {
    invalidateTrustList();
    await activeIssuers(env, now.getTime());
  },
};
