import type { RuleSet } from "./rule-set";

const NEGATIVE_PAIR = {
  negativeTests: { count: 2, spacingHours: 24, test: "nucleic_acid", after: "trigger" },
} as const;

/**
 * The colour table of API.md, with the durations Sichuan published for its provincial code.
 * A positive test and a `confirmed` event are separate rules so that a person's reasons say which
 * of the two they have (often both, from different sources).
 *
 * Imported colours (switch-over from a previous system) keep the colour until the lift of the row
 * they most plausibly came from: an imported yellow like a risk-area visit, an imported red like a
 * confirmed case. Red is the cautious reading, since the previous system's cause is only free text;
 * the authority clears a red that was really a close contact by recording `released`.
 */
export const DEFAULT_RULE_SET: RuleSet = {
  version: "2026.1",
  publishedAt: "2026-11-01T00:00:00Z",
  rules: [
    {
      id: "positive-test",
      version: "1",
      description: { zh: "核酸检测结果阳性", en: "Positive nucleic-acid test" },
      color: "red",
      trigger: { fact: "test_result", test: "nucleic_acid", result: "positive" },
      lift: { afterRelease: { days: 28 } },
    },
    {
      id: "confirmed",
      version: "1",
      description: { zh: "确诊病例", en: "Confirmed case" },
      color: "red",
      trigger: { fact: "authority_event", event: "confirmed" },
      lift: { afterRelease: { days: 28 } },
    },
    {
      id: "close-contact",
      version: "1",
      description: { zh: "密切接触者", en: "Close contact of a confirmed case" },
      color: "red",
      trigger: { fact: "authority_event", event: "close_contact" },
      lift: { afterDays: 21, from: "trigger" },
    },
    {
      id: "secondary-contact",
      version: "1",
      description: { zh: "密切接触者的密切接触者", en: "Contact of a close contact" },
      color: "yellow",
      trigger: { fact: "authority_event", event: "secondary_contact" },
      lift: { afterDays: 7, from: "trigger" },
    },
    {
      id: "risk-area-visit",
      version: "1",
      description: {
        zh: "在风险区域管控时段内到访过相关场所",
        en: "Checked in at a venue inside a risk area's window",
      },
      color: "yellow",
      trigger: { fact: "exposure" },
      lift: { anyOf: [NEGATIVE_PAIR, { afterDays: 14, from: "trigger" }] },
    },
    {
      id: "imported-red",
      version: "1",
      description: { zh: "原健康码系统转入的红码", en: "Red code carried over from the previous system" },
      color: "red",
      trigger: { fact: "imported_color", color: "red" },
      lift: { afterRelease: { days: 28 } },
    },
    {
      id: "imported-yellow",
      version: "1",
      description: { zh: "原健康码系统转入的黄码", en: "Yellow code carried over from the previous system" },
      color: "yellow",
      trigger: { fact: "imported_color", color: "yellow" },
      lift: { anyOf: [NEGATIVE_PAIR, { afterDays: 14, from: "trigger" }] },
    },
  ],
};
