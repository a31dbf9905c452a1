/**
 * Folds a performance target's place in the framework into one of a few types, so that targets
 * from differently worded reports can be counted together (数量指标 / 产出数量 / 数量 → 数量).
 */

import { memoized } from "./memo";

export const INDICATOR_TYPES = ["数量", "质量", "时效", "成本", "效益", "满意度", "其他"] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/**
 * Keyword → type, tried in order on level2, then level1, then the indicator's own name.
 * 满意 comes first because satisfaction headings often also say 效益 (服务对象满意度 under 效益指标);
 * 可持续影响 counts as 效益 as the national framework places it under 效益指标.
 */
const HEADING_RULES: readonly (readonly [RegExp, IndicatorType])[] = [
  [/满意/, "满意度"],
  [/数量/, "数量"],
  [/质量/, "质量"],
  [/时效|及时|进度/, "时效"],
  [/成本/, "成本"],
  [/效益|可持续|影响/, "效益"],
];

/**
 * An indicator's own name is weaker evidence than a heading, so only unambiguous words count.
 * 率 words are checked before counts: "培训人数完成率" is about quality of delivery, not a count.
 */
const NAME_RULES: readonly (readonly [RegExp, IndicatorType])[] = [
  [/满意/, "满意度"],
  [/及时率|按时|时限|完成时间|时效|周期/, "时效"],
  [/合格率|达标率|验收|准确率|质量|覆盖率|优良率/, "质量"],
  [/成本|单价|费用标准|经费标准|补助标准/, "成本"],
  [/效益|带动|提升|促进|改善/, "效益"],
  [/数量|人数|次数|个数|场次|户数|人次|期数/, "数量"],
];

function firstRule(text: string, rules: typeof HEADING_RULES): IndicatorType | null {
  const folded = text.normalize("NFKC");
  for (const [pattern, type] of rules) if (pattern.test(folded)) return type;
  return null;
}

const headingType = memoized((text) => firstRule(text, HEADING_RULES));
const nameType = memoized((text) => firstRule(text, NAME_RULES));

function match(text: string | null | undefined, type: (text: string) => IndicatorType | null): IndicatorType | null {
  return text ? type(text) : null;
}

/** The indicator's type from its level2 heading, else level1, else its name; 其他 when nothing says. */
export function classifyIndicatorType(indicator: {
  level1: string | null;
  level2: string | null;
  name: string;
}): IndicatorType {
  return (
    match(indicator.level2, headingType) ??
    // 产出指标 alone says nothing about which kind of output, so level1 only decides
    // for headings that name a type themselves (效益指标, 满意度指标, 成本指标).
    match(indicator.level1, headingType) ??
    match(indicator.name, nameType) ??
    "其他"
  );
}

/**
 * A name to group the same target across reports: width-folded, without spaces, without a trailing
 * colon and without a trailing unit in brackets ("参会人数（人）" and "参会人数" are the same target).
 */
export const normalizeIndicatorName: (name: string) => string = memoized((name) => {
  let folded = name.normalize("NFKC").replace(/\s+/g, "");
  // Repeat: a name may end in a unit and a remark ("人数(人)(次)").
  for (let previous = ""; previous !== folded; ) {
    previous = folded;
    folded = folded.replace(/[:：]+$/, "").replace(/\([^()]{1,12}\)$/, "");
  }
  return folded === "" ? name.trim() : folded;
});
