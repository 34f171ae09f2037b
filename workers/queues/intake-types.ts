/**
 * The kinds of message the intake queue carries, by `body.type`: `workers/queues/intake.ts` must have a
 * handler for each (its map is typed by this list), and the dead-letter store tells an intake message
 * by it. Apart from both so neither imports the other (the handlers import the dead-letter store).
 */
export const INTAKE_MESSAGE_TYPES = [
  // Lab results have their own queue now; these are the ones sent to intake before it existed.
  "lab_results",
  "vaccinations",
  "imports",
  "rule_set",
  "rule_set_pages",
  "rule_set_preview",
  "log_append",
] as const;

export type IntakeMessageType = (typeof INTAKE_MESSAGE_TYPES)[number];
