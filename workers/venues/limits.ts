/**
 * Fixed by the contract (API.md, "Abuse limits for venues"): a venue is run by whoever registers it,
 * so what one account can hold is bounded. Closed venues still count: closing and registering again
 * must not reset the budget.
 */
export const MAX_VENUES_PER_ACCOUNT = 20;
/** Live (unrevoked) device keys; a revoked key frees its place. */
export const MAX_DEVICE_KEYS_PER_VENUE = 20;
