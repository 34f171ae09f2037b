// The words every layer shares, spelled once. zod enums (schema/wire), drizzle column types
// (schema/d1), the rule engine's types and the pages derive from these lists.

/** A health code's colour, in order of severity. */
export const COLORS = ["green", "yellow", "red"] as const;
export type Color = (typeof COLORS)[number];

/** Identity documents a person may apply with (checked per type by workers/identity/documents.ts). */
export const ID_TYPES = [
  "resident_id",
  "passport",
  "hk_macao_permit",
  "taiwan_permit",
  "foreign_permanent_resident",
] as const;
export type IdType = (typeof ID_TYPES)[number];
