/** The five evaluation dimensions (一级指标) every framework uses, under their many spellings. */
export type CategoryName = "决策" | "过程" | "产出" | "效益" | "满意度" | "预算执行";
/**
 * 预算执行 is not a dimension of the evaluation framework, but the standard 自评表 scores the execution
 * rate (usually 10 points) beside the indicators; it is kept as its own category so the parts add up.
 */
export const CATEGORY_ORDER: CategoryName[] = ["决策", "过程", "产出", "效益", "满意度", "预算执行"];

/** "项目决策" / "决策类指标" / "产出指标（50％）" / "项目过程管理" → the canonical dimension, or null. */
export function canonicalCategory(text: string): CategoryName | null {
  const s = text.replace(/[（(][^）)]*[）)]/g, "").replace(/\s/g, "");
  if (!s || s.length > 12) return null;
  if (/^(预算执行|预算执行率|资金执行率)$/.test(s)) return "预算执行";
  if (/决策/.test(s)) return "决策";
  if (/过程|^项目管理$/.test(s)) return "过程";
  if (/产出/.test(s)) return "产出";
  if (/满意度/.test(s) && !/效益/.test(s)) return "满意度";
  if (/效益|效果/.test(s)) return "效益";
  return null;
}

/** The 一级指标 an indicator type (二级指标) belongs to in the standard framework. */
export function level1ForLevel2(level2: string | null): string | null {
  if (!level2) return null;
  if (/数量|质量|时效|成本/.test(level2)) return "产出指标";
  if (/满意/.test(level2)) return "满意度指标";
  if (/效益|影响/.test(level2)) return "效益指标";
  return null;
}
