import type { ResolvedCondition, ResolvedLift } from "./lift";
import { peopleTimes } from "./people-time";
import type { LocalizedText } from "./rule-set";

const TEST_NAME = {
  nucleic_acid: { zh: "核酸检测", en: "nucleic-acid test" },
  antibody: { zh: "抗体检测", en: "antibody test" },
} as const;

/** People's times (Asia/Shanghai), rounded up to the minute: never a minute too early to act on. */
const when = (ms: number) => peopleTimes(ms, { round: "up" });

/**
 * What lifts a rule, told with concrete dates so that a person can plan (when to get tested, when
 * the colour changes by itself). Times are written for people (people-time.ts); the reason's
 * `since` and `until` carry the same moments as ISO for machines.
 */
export function liftText(resolved: ResolvedLift, since: number): LocalizedText {
  const parts = resolved.conditions.map((c) => conditionText(c, when(since)));
  return {
    zh: `${parts.map((p) => p.zh).join("；或")}。`,
    en: `Lifts ${parts.map((p) => p.en).join("; or ")}.`,
  };
}

function conditionText(c: ResolvedCondition, since: LocalizedText): LocalizedText {
  const { condition } = c;
  if ("afterDays" in condition) {
    const at = when(c.at!);
    const n = condition.afterDays;
    return {
      zh: `于 ${at.zh} 自动解除（${since.zh} 起满 ${n} 天）`,
      en: `on ${at.en}, ${n} days after ${since.en}`,
    };
  }
  if ("afterRelease" in condition) {
    const n = condition.afterRelease.days;
    if (c.release === undefined) {
      return n === 0
        ? {
            zh: `卫生健康部门登记晚于 ${since.zh} 的解除隔离时解除`,
            en: `when the health authority records a release later than ${since.en}`,
          }
        : {
            zh: `卫生健康部门登记晚于 ${since.zh} 的解除隔离满 ${n} 天后解除`,
            en: `${n} days after the health authority records a release later than ${since.en}`,
          };
    }
    const at = when(c.at!);
    const release = when(c.release);
    return {
      zh: `于 ${at.zh} 解除（${release.zh} 登记解除隔离后满 ${n} 天）`,
      en: `on ${at.en}, ${n} days after the release recorded at ${release.en}`,
    };
  }
  const { count, spacingHours, test } = condition.negativeTests;
  const name = TEST_NAME[test];
  const spaced = count > 1 && spacingHours > 0;
  const done = c.done ? { zh: `（已有 ${c.done} 次）`, en: ` (${c.done} so far)` } : { zh: "", en: "" };
  const en =
    count === 1
      ? `after a negative ${name.en} sampled after ${since.en}`
      : count === 2 && spaced
        ? `after a negative ${name.en} sampled after ${since.en} and another at least ${spacingHours} h later`
        : `after ${count} negative ${name.en}s sampled after ${since.en}` +
          (spaced ? `, each at least ${spacingHours} h after the previous one` : "");
  return {
    zh: `${since.zh} 之后采样的${name.zh}阴性 ${count} 次${spaced ? `、每次间隔至少 ${spacingHours} 小时` : ""}即可解除${done.zh}`,
    en: `${en}${done.en}`,
  };
}
