/**
 * Deviation reasons (偏差原因) grouped into a few causes, so that the analytics can say *why*
 * targets are missed across hundreds of reports. The rules live in this one table; the loader
 * stores the class in indicators.cause; the classes and their labels are the schema's
 * (db/vocabulary.ts).
 */

import type { Cause } from "../../db/vocabulary";
import { memoized } from "./memo";

export { CAUSES, CAUSE_LABELS, type Cause } from "../../db/vocabulary";

/**
 * Tried in order; the first rule with a matching keyword wins. The order encodes which cause is
 * the root when a reason names several: a department admitting the target was mis-set
 * ("指标值设置不准确，未考虑人员增加") is a target problem even though it mentions more staff;
 * an epidemic that delayed payments is the external event, not the delay.
 */
export const CAUSE_RULES: readonly { cause: Cause; keywords: readonly string[] }[] = [
  {
    cause: "target_set_badly",
    keywords: [
      "指标值设置", "指标设置", "设置不准确", "设置不合理", "设置偏高", "设置偏低", "设定偏高", "设定偏低",
      "设置过高", "设置过低", "未考虑", "考虑不周", "测算不准", "预估不足", "预计不足", "目标值过高", "目标值偏高",
    ],
  },
  {
    cause: "external_event",
    keywords: [
      "疫情", "新冠", "自然灾害", "洪涝", "地震", "干旱", "暴雨", "台风", "雪灾", "不可抗力", "政策调整", "政策变化",
      "政策变动", "上级要求", "上级安排", "静默",
    ],
  },
  {
    cause: "funds_not_allocated",
    keywords: [
      "资金未下达", "未下达", "资金未到位", "拨付不及时", "未及时拨付", "未拨付", "财政收回", "资金被收回",
      "资金紧张", "财力紧张", "资金不足", "未安排资金", "资金未拨付", "到位不及时", "下达较晚", "下达晚",
    ],
  },
  {
    cause: "cost_overrun",
    keywords: ["超支", "超出预算", "超预算", "超出计划", "人员增加", "价格上涨", "成本上升", "费用增加"],
  },
  {
    cause: "schedule_slipped",
    keywords: [
      "延迟", "推迟", "延期", "延后", "未能举办", "未举办", "未能开展", "未开展", "未能完成", "进度滞后", "进度缓慢",
      "滞后", "未完工", "尚未完成", "正在走", "执行进度", "暂缓",
    ],
  },
];

/** The cause class of a deviation reason; "other" when no rule matches or nothing is said. */
export function classifyCause(reason: string | null | undefined): Cause {
  return reason ? causeOf(reason) : "other";
}

const causeOf = memoized((reason: string): Cause => {
  const text = reason.normalize("NFKC").replace(/\s+/g, "");
  for (const rule of CAUSE_RULES) {
    if (rule.keywords.some((k) => text.includes(k))) return rule.cause;
  }
  return "other";
});
