import fs from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";

/**
 * A realistic corpus of 项目支出绩效评价报告 in the families of layouts the parser reads: the
 * 自评表 table, the 综合评分表 rows, the 附件1 framework table, narrative and quoted-narrative
 * indicators, budget sentences, and department summaries listing funded items. Wording, units and
 * comparators vary; some reports carry real inconsistencies. Every report also comes with the facts
 * it meant to state, so that a round trip through the parser can be checked.
 *
 * Deterministic for a seed: all randomness comes from one small PRNG (mulberry32).
 */

// ---------------------------------------------------------------------------------------------
// Randomness

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** uniform in [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  /** a decimal in [min, max] with `dp` places */
  dec(min: number, max: number, dp = 2): Decimal {
    return new Decimal(min + this.next() * (max - min)).toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
  }
}

// ---------------------------------------------------------------------------------------------
// The jurisdiction

/** Fictional places: city + district/county, so that region = the place prefix of a body's name. */
export const REGIONS = ["江州市青山区", "江州市东湖区", "江州市临川县", "云岭市河西区", "云岭市安平县", "北川州石门县", "北川州定远市", "南屏市长乐区"];

/** About forty 区/县 bodies, each with projects typical of it. */
export const BODIES: { name: string; projects: string[] }[] = [
  { name: "人大常委会", projects: ["人大代表履职经费", "人代会会务经费", "人大业务经费", "代表联络站建设经费"] },
  { name: "政协委员会", projects: ["政协委员履职经费", "政协全会会务经费", "文史资料编纂经费"] },
  { name: "人民政府办公室", projects: ["政务服务运行经费", "应急值守保障经费", "政府信息公开经费"] },
  { name: "发展和改革局", projects: ["重点项目前期工作经费", "价格监测经费", "粮食安全储备经费"] },
  { name: "教育局", projects: ["教师培训经费", "校舍维修改造项目", "学前教育发展专项", "学生资助经费"] },
  { name: "科学技术局", projects: ["科技创新券补助", "科普活动经费", "高新技术企业培育经费"] },
  { name: "工业和信息化局", projects: ["中小企业发展专项", "工业园区运营经费", "信息化建设经费"] },
  { name: "公安局", projects: ["治安防控体系建设经费", "交通安全宣传经费", "警务装备购置经费"] },
  { name: "民政局", projects: ["困难群众救助经费", "养老服务补贴", "社区治理专项经费"] },
  { name: "司法局", projects: ["法律援助经费", "人民调解工作经费", "普法宣传经费"] },
  { name: "财政局", projects: ["预算绩效管理工作经费", "财政信息化运维经费", "政府采购监管经费"] },
  { name: "人力资源和社会保障局", projects: ["职业技能培训补贴", "就业创业扶持经费", "劳动保障监察经费"] },
  { name: "自然资源局", projects: ["国土空间规划编制经费", "耕地保护补偿经费", "不动产登记运行经费"] },
  { name: "生态环境局", projects: ["大气污染防治经费", "环境监测运行经费", "农村环境整治经费"] },
  { name: "住房和城乡建设局", projects: ["老旧小区改造项目", "保障性住房运营经费", "建筑市场监管经费"] },
  { name: "交通运输局", projects: ["农村公路养护经费", "公交运营补贴", "交通安全设施改造项目"] },
  { name: "水务局", projects: ["河道清淤整治项目", "农村饮水安全工程", "防汛抗旱经费"] },
  { name: "农业农村局", projects: ["高标准农田建设项目", "动物防疫经费", "农技推广经费"] },
  { name: "商务局", projects: ["消费促进活动经费", "电子商务进农村项目", "外贸发展扶持经费"] },
  { name: "文化和旅游局", projects: ["公共文化服务经费", "旅游宣传推广经费", "文物保护经费"] },
  { name: "卫生健康委员会", projects: ["基本公共卫生服务经费", "家庭医生签约服务经费", "疾病防控专项经费"] },
  { name: "退役军人事务局", projects: ["优抚对象补助经费", "退役军人就业培训经费", "烈士纪念设施维护经费"] },
  { name: "应急管理局", projects: ["安全生产监管经费", "应急物资储备经费", "应急演练经费"] },
  { name: "审计局", projects: ["审计业务经费", "审计信息化建设经费"] },
  { name: "市场监督管理局", projects: ["食品安全抽检经费", "特种设备监管经费", "知识产权保护经费"] },
  { name: "统计局", projects: ["经济普查经费", "统计调查业务经费"] },
  { name: "医疗保障局", projects: ["医疗救助经费", "医保基金监管经费"] },
  { name: "城市管理局", projects: ["市容环境整治经费", "城市照明维护经费", "园林绿化养护经费"] },
  { name: "林业和草原局", projects: ["森林防火经费", "天然林保护经费", "古树名木保护经费"] },
  { name: "体育局", projects: ["全民健身活动经费", "体育场馆运营补贴", "青少年体育训练经费"] },
  { name: "信访局", projects: ["信访接待运行经费", "矛盾纠纷化解经费"] },
  { name: "档案馆", projects: ["档案数字化项目", "档案保管维护经费"] },
  { name: "融媒体中心", projects: ["新闻宣传经费", "融媒体平台运维经费"] },
  { name: "妇女联合会", projects: ["妇女儿童关爱经费", "巾帼创业培训经费"] },
  { name: "残疾人联合会", projects: ["残疾人康复救助经费", "残疾人就业培训经费"] },
  { name: "共青团委员会", projects: ["青年志愿服务经费", "青少年活动经费"] },
  { name: "机关事务管理局", projects: ["公务用车运行经费", "机关办公区维修经费"] },
  { name: "乡村振兴局", projects: ["衔接推进乡村振兴补助", "产业帮扶项目"] },
  { name: "疾病预防控制中心", projects: ["免疫规划经费", "传染病监测经费"] },
  { name: "图书馆", projects: ["图书购置经费", "全民阅读推广经费"] },
];

export interface DepartmentSpec {
  name: string;
  region: string;
  body: string;
  projects: string[];
}

/**
 * `count` departments spread over the regions: the i-th takes body i mod 40 and a region that
 * shifts every 40, so (region, body) pairs stay distinct up to 320 departments.
 */
export function departments(count: number): DepartmentSpec[] {
  const out: DepartmentSpec[] = [];
  for (let i = 0; i < count; i++) {
    const body = BODIES[i % BODIES.length];
    const lap = Math.floor(i / BODIES.length);
    const region = REGIONS[(i + lap) % REGIONS.length];
    const round = Math.floor(i / (BODIES.length * REGIONS.length));
    // beyond regions × bodies, a numbered place keeps names unique
    const place = round === 0 ? region : region.replace(/(区|县|市)$/, `${round + 1}$1`);
    out.push({ name: `${place}${body.name}`, region: place, body: body.name, projects: body.projects });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Facts

export type Comparator = ">=" | "<=" | "=" | ">" | "<";
export type Layout = "table" | "narrative" | "quoted" | "summary";

export interface IndicatorFact {
  level1: string;
  level2: string;
  name: string;
  target: string;
  actual: string;
  comparator: Comparator | null;
  targetValue: string | null;
  actualValue: string | null;
  unit: string | null;
  weight: string;
  score: string;
  completionRate: string | null;
  met: boolean;
  deviationReason: string | null;
  cause: Cause | null;
}

export interface CategoryFact {
  name: string; // 决策 / 过程 / 产出 / 效益 / 满意度
  weight: string;
  score: string;
}

export interface ScoreItemFact {
  level1: string;
  level2: string;
  name: string;
  weight: string;
  score: string;
}

export interface LineItemFact {
  name: string;
  budget: string;
  spent: string;
  allocated: boolean;
}

export interface ReportFacts {
  fileName: string;
  layout: Layout;
  kind: "project" | "summary";
  title: string;
  projectName: string | null;
  department: string;
  implementingUnit: string | null;
  region: string;
  year: number;
  evaluationType: "self" | "department" | "finance" | "third_party";
  budget: { initial: string | null; adjusted: string | null; spent: string; executionRate: string | null };
  score: { total: string; grade: "优" | "良" | "中" | "差" };
  categories: CategoryFact[];
  scoreItems: ScoreItemFact[];
  indicators: IndicatorFact[];
  lineItems: LineItemFact[];
  /** finding codes the inconsistencies written into the text must raise */
  expectedFindings: string[];
}

export interface GeneratedReport {
  fileName: string;
  text: string;
  facts: ReportFacts;
  /** The layout, or for a table report the linearisation it was written in ("table/pipe"). */
  family: string;
}

export type Cause = "funds_not_allocated" | "external_event" | "target_set_badly" | "schedule_slipped" | "cost_overrun" | "other";

const REASONS: Record<Cause, string[]> = {
  funds_not_allocated: ["资金未及时下达，部分工作延后开展", "财政资金拨付不及时，采购计划推迟执行", "上级补助资金未到位，项目暂缓实施"],
  external_event: ["受疫情影响，部分集中活动取消", "受持续暴雨天气影响，现场作业暂停", "因政策调整，原定任务取消"],
  target_set_badly: ["年初指标设置偏高，未充分考虑实际需求", "指标值测算不准，目标值过高", "设置目标时考虑不周，预估不足"],
  schedule_slipped: ["项目实施进度滞后，部分工作顺延至下一年度", "工期延误，验收时间推迟", "招标程序耗时较长，进度滞后"],
  cost_overrun: ["材料价格上涨，成本超出预算", "参训人员增加，费用超支", "设备价格上涨导致成本上升"],
  other: ["部分人员因病请假未能参加", "服务对象需求减少，实际完成数量下降", "部分单位配合不到位"],
};

// ---------------------------------------------------------------------------------------------
// Indicator templates

type Kind = "count" | "percent" | "cost" | "costUnit" | "quality";
interface Template {
  level2: string; // 数量指标 …
  name: string;
  kind: Kind;
  unit: string;
  /** base target range */
  min: number;
  max: number;
}

const OUTPUT_TEMPLATES: Template[] = [
  { level2: "数量指标", name: "开展培训", kind: "count", unit: "次", min: 3, max: 24 },
  { level2: "数量指标", name: "培训人数", kind: "count", unit: "人", min: 50, max: 900 },
  { level2: "数量指标", name: "举办宣传活动", kind: "count", unit: "场", min: 2, max: 30 },
  { level2: "数量指标", name: "发放宣传资料", kind: "count", unit: "份", min: 500, max: 20000 },
  { level2: "数量指标", name: "系统维护次数", kind: "count", unit: "次", min: 2, max: 12 },
  { level2: "数量指标", name: "服务对象人数", kind: "count", unit: "人", min: 100, max: 5000 },
  { level2: "数量指标", name: "检查覆盖企业数", kind: "count", unit: "家", min: 20, max: 400 },
  { level2: "数量指标", name: "会议天数", kind: "count", unit: "天", min: 1, max: 5 },
  { level2: "数量指标", name: "采购设备数量", kind: "count", unit: "台", min: 5, max: 120 },
  { level2: "数量指标", name: "受益户数", kind: "count", unit: "户", min: 50, max: 3000 },
  { level2: "数量指标", name: "完成项目个数", kind: "count", unit: "个", min: 2, max: 20 },
  { level2: "质量指标", name: "培训合格率", kind: "percent", unit: "%", min: 90, max: 100 },
  { level2: "质量指标", name: "验收合格率", kind: "percent", unit: "%", min: 95, max: 100 },
  { level2: "质量指标", name: "会议出勤率", kind: "percent", unit: "%", min: 85, max: 98 },
  { level2: "质量指标", name: "系统正常运行率", kind: "percent", unit: "%", min: 95, max: 99 },
  { level2: "质量指标", name: "资料归档完整率", kind: "percent", unit: "%", min: 90, max: 100 },
  { level2: "时效指标", name: "按期完成率", kind: "percent", unit: "%", min: 90, max: 100 },
  { level2: "时效指标", name: "资金拨付及时率", kind: "percent", unit: "%", min: 90, max: 100 },
  { level2: "成本指标", name: "人均培训成本", kind: "costUnit", unit: "元/人.天", min: 150, max: 450 },
  { level2: "成本指标", name: "会务费用", kind: "cost", unit: "万元", min: 3, max: 60 },
  { level2: "成本指标", name: "设备采购成本", kind: "cost", unit: "万元", min: 5, max: 120 },
  { level2: "成本指标", name: "维护费用", kind: "cost", unit: "万元", min: 1, max: 30 },
];

const EFFECT_TEMPLATES: Template[] = [
  { level2: "社会效益指标", name: "群众知晓率", kind: "percent", unit: "%", min: 80, max: 95 },
  { level2: "社会效益指标", name: "服务水平提升", kind: "quality", unit: "", min: 0, max: 0 },
  { level2: "社会效益指标", name: "工作效率提高", kind: "quality", unit: "", min: 0, max: 0 },
  { level2: "经济效益指标", name: "带动就业人数", kind: "count", unit: "人", min: 10, max: 300 },
  { level2: "可持续影响指标", name: "长效机制建立", kind: "quality", unit: "", min: 0, max: 0 },
];

const SATISFACTION_TEMPLATES: Template[] = [
  { level2: "服务对象满意度指标", name: "服务对象满意度", kind: "percent", unit: "%", min: 85, max: 98 },
  { level2: "服务对象满意度指标", name: "参训人员满意度", kind: "percent", unit: "%", min: 85, max: 98 },
  { level2: "服务对象满意度指标", name: "群众满意度", kind: "percent", unit: "%", min: 85, max: 98 },
];

const QUALITY_WORDS = ["有效提升", "明显改善", "显著提高", "逐步完善"];

const GE_WORDS = ["≥", ">=", "不少于", "不低于"];
const LE_WORDS = ["≤", "<=", "不超过", "不高于"];

function fmt(d: Decimal): string {
  return d.toFixed();
}

/** Weights summing exactly to `total` over n items (integers where possible). */
function splitWeight(rng: Rng, total: number, n: number): Decimal[] {
  const base = Math.floor(total / n);
  const out = Array.from({ length: n }, () => base);
  for (let i = 0; i < total - base * n; i++) out[i % n] += 1;
  return rng.shuffle(out).map((w) => new Decimal(w));
}

function makeIndicator(rng: Rng, t: Template, level1: string, weight: Decimal, unmetProb: number): IndicatorFact {
  const unmet = t.kind !== "quality" && rng.chance(unmetProb);
  let comparator: Comparator | null;
  let targetValue: Decimal | null = null;
  let actualValue: Decimal | null = null;
  let target: string;
  let actual: string;
  const unitText = t.unit;
  switch (t.kind) {
    case "count": {
      targetValue = new Decimal(rng.int(t.min, t.max));
      comparator = rng.chance(0.2) ? "=" : ">=";
      if (unmet) actualValue = targetValue.times(rng.dec(0.4, 0.96)).floor();
      else actualValue = comparator === "=" ? targetValue : targetValue.plus(rng.chance(0.6) ? 0 : rng.int(1, Math.max(1, Math.floor(t.max / 10))));
      if (actualValue.gte(targetValue) && unmet) actualValue = targetValue.minus(1);
      break;
    }
    case "percent": {
      targetValue = new Decimal(rng.int(t.min, t.max));
      comparator = ">=";
      actualValue = unmet ? targetValue.minus(rng.dec(1, 30, 1)) : Decimal.min(100, targetValue.plus(rng.chance(0.5) ? 0 : rng.dec(0, 4, 1)));
      break;
    }
    case "cost":
    case "costUnit": {
      const dp = t.kind === "cost" ? 2 : 0;
      targetValue = rng.dec(t.min, t.max, dp);
      comparator = "<=";
      actualValue = unmet ? targetValue.times(rng.dec(1.05, 1.8)).toDecimalPlaces(dp) : targetValue.times(rng.dec(0.4, 1)).toDecimalPlaces(dp);
      if (unmet && actualValue.lte(targetValue)) actualValue = targetValue.plus(1);
      break;
    }
    case "quality": {
      comparator = null;
      target = rng.pick(QUALITY_WORDS);
      actual = target;
      return {
        level1, level2: t.level2, name: t.name, target, actual, comparator, targetValue: null, actualValue: null, unit: null,
        weight: fmt(weight), score: fmt(weight), completionRate: null, met: true, deviationReason: null, cause: null,
      };
    }
  }
  const cmpWord = comparator === ">=" ? rng.pick(GE_WORDS) : comparator === "<=" ? rng.pick(LE_WORDS) : "=";
  target = `${cmpWord}${fmt(targetValue)}${unitText}`;
  actual = `${fmt(actualValue)}${unitText}`;
  const completion = targetValue.isZero() ? null : actualValue.div(targetValue).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const score = unmet
    ? Decimal.max(0, weight.times(comparator === "<=" ? rng.dec(0.5, 0.9) : Decimal.min(actualValue.div(targetValue), 0.95)).toDecimalPlaces(2, Decimal.ROUND_DOWN))
    : weight;
  let cause: Cause | null = null;
  let reason: string | null = null;
  if (unmet) {
    cause = t.kind === "cost" || t.kind === "costUnit" ? (rng.chance(0.7) ? "cost_overrun" : "target_set_badly") : rng.pick(["funds_not_allocated", "external_event", "target_set_badly", "schedule_slipped", "other"] as const);
    reason = rng.chance(0.9) ? rng.pick(REASONS[cause]) : null;
    if (!reason) cause = null;
  }
  return {
    level1, level2: t.level2, name: t.name, target, actual, comparator, targetValue: fmt(targetValue), actualValue: fmt(actualValue),
    unit: unitText, weight: fmt(weight), score: fmt(score), completionRate: completion ? completion.toFixed(2) : null, met: !unmet,
    deviationReason: reason, cause,
  };
}

const DECISION_ITEMS: [string, string][] = [
  ["项目立项", "立项依据充分性"],
  ["项目立项", "立项程序规范性"],
  ["绩效目标", "绩效目标合理性"],
  ["绩效目标", "绩效指标明确性"],
  ["资金投入", "预算编制科学性"],
  ["资金投入", "资金分配合理性"],
];
const PROCESS_ITEMS: [string, string][] = [
  ["资金管理", "资金到位率"],
  ["资金管理", "预算执行率"],
  ["资金管理", "资金使用合规性"],
  ["组织实施", "管理制度健全性"],
  ["组织实施", "制度执行有效性"],
];

const WEIGHT_SCHEMES: { 决策: number; 过程: number; 产出: number; 效益: number; 满意度?: number }[] = [
  { 决策: 20, 过程: 20, 产出: 40, 效益: 20 },
  { 决策: 15, 过程: 20, 产出: 40, 效益: 25 },
  { 决策: 20, 过程: 20, 产出: 30, 效益: 20, 满意度: 10 },
  { 决策: 21, 过程: 19, 产出: 30, 效益: 30 },
];

function gradeOf(total: Decimal): "优" | "良" | "中" | "差" {
  if (total.gte(90)) return "优";
  if (total.gte(80)) return "良";
  if (total.gte(60)) return "中";
  return "差";
}

const GRADE_WORDS: Record<"优" | "良" | "中" | "差", string[]> = { 优: ["优", "优秀"], 良: ["良", "良好"], 中: ["中", "中等", "合格"], 差: ["差", "不合格"] };

// ---------------------------------------------------------------------------------------------
// One report's facts

interface Draft {
  facts: ReportFacts;
  /** inconsistencies to write */
  rateConflict: boolean;
  totalConflict: Decimal | null;
  unit: string;
}

const GENERIC_PROJECTS = ["专项业务经费", "信息化运维经费", "宣传工作经费", "业务培训经费", "专项调研经费", "办公设备购置经费", "档案管理经费", "安全保障经费", "志愿服务经费", "绩效管理工作经费"];

/**
 * The k-th project of a department in a year: its own projects first, then common ones, then
 * phases (二期, 三期 …), so that (department, project, year) — the loader's report key — never
 * repeats and no generated report replaces another.
 */
function projectFor(dept: DepartmentSpec, k: number): string {
  const names = [...dept.projects, ...GENERIC_PROJECTS];
  const base = names[k % names.length];
  const phase = Math.floor(k / names.length);
  return phase === 0 ? base : `${base}（第${phase + 1}期）`;
}

function projectDraft(rng: Rng, dept: DepartmentSpec, year: number, seq: number, layout: Exclude<Layout, "summary">, projectName: string): Draft {
  const evaluationType = rng.chance(0.7) ? "self" : rng.pick(["department", "finance", "third_party"] as const);
  // budgets: most projects between 5 and 500 万元, a few large
  const adjusted = rng.chance(0.08) ? rng.dec(500, 5000) : rng.dec(5, 500);
  const initial = rng.chance(0.7) ? adjusted : adjusted.times(rng.dec(0.7, 1.1)).toDecimalPlaces(2);
  const r = rng.next();
  const ratio = r < 0.65 ? rng.dec(0.85, 1, 4) : r < 0.88 ? rng.dec(0.6, 0.85, 4) : rng.dec(0.08, 0.6, 4);
  const spent = adjusted.times(ratio).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const rate = spent.div(adjusted).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const rateConflict = rng.chance(0.05);
  const statedRate = rateConflict ? rate.plus(rng.pick([-7, -5, 5, 8, 12])).toDecimalPlaces(2) : rate;

  const scheme = rng.pick(WEIGHT_SCHEMES);
  // most projects do well, some middling, a few badly (差 needs many misses)
  const q = rng.next();
  const quality = q < 0.06 ? rng.dec(0.2, 0.45) : q < 0.35 ? rng.dec(0.5, 0.75) : rng.dec(0.75, 1);
  const unmetProb = new Decimal(1).minus(quality).times(1.2).toNumber();

  const scoreItems: ScoreItemFact[] = [];
  const categories: CategoryFact[] = [];
  const indicators: IndicatorFact[] = [];
  const addCategory = (name: string, weight: number, items: ScoreItemFact[]) => {
    scoreItems.push(...items);
    const score = items.reduce((s, i) => s.plus(i.score), new Decimal(0));
    categories.push({ name, weight: String(weight), score: fmt(score) });
  };
  // 决策 and 过程: framework items, each losing a little now and then
  const frameworkItems = (cat: string, defs: [string, string][], weight: number) =>
    splitWeight(rng, weight, defs.length).map((w, i) => {
      let score = w;
      if (defs[i][1] === "预算执行率") score = w.times(Decimal.min(1, ratio)).toDecimalPlaces(2, Decimal.ROUND_DOWN);
      else if (rng.chance(1 - quality.toNumber())) score = w.times(rng.dec(quality.toNumber() * 0.5, 0.9)).toDecimalPlaces(2, Decimal.ROUND_DOWN);
      return { level1: cat, level2: defs[i][0], name: defs[i][1], weight: fmt(w), score: fmt(Decimal.max(0, score)) };
    });
  addCategory("决策", scheme.决策, frameworkItems("决策", DECISION_ITEMS, scheme.决策));
  addCategory("过程", scheme.过程, frameworkItems("过程", PROCESS_ITEMS, scheme.过程));

  const outputs = rng.shuffle([...OUTPUT_TEMPLATES]);
  const chosen: Template[] = [];
  for (const l2 of ["数量指标", "质量指标", "时效指标", "成本指标"]) {
    const n = l2 === "数量指标" ? rng.int(1, 3) : rng.int(l2 === "成本指标" ? 0 : 1, 2);
    chosen.push(...outputs.filter((t) => t.level2 === l2).slice(0, n));
  }
  const outWeights = splitWeight(rng, scheme.产出, chosen.length);
  const outInds = chosen.map((t, i) => makeIndicator(rng, t, "产出指标", outWeights[i], unmetProb));
  indicators.push(...outInds);
  addCategory("产出", scheme.产出, outInds.map((i) => ({ level1: "产出", level2: i.level2, name: i.name, weight: i.weight, score: i.score })));

  const effects = rng.shuffle([...EFFECT_TEMPLATES]).slice(0, rng.int(1, 2));
  const sat = rng.pick(SATISFACTION_TEMPLATES);
  if (scheme.满意度) {
    const ew = splitWeight(rng, scheme.效益, effects.length);
    const effInds = effects.map((t, i) => makeIndicator(rng, t, "效益指标", ew[i], unmetProb));
    indicators.push(...effInds);
    addCategory("效益", scheme.效益, effInds.map((i) => ({ level1: "效益", level2: i.level2, name: i.name, weight: i.weight, score: i.score })));
    const satInd = makeIndicator(rng, sat, "满意度指标", new Decimal(scheme.满意度), unmetProb / 2);
    indicators.push(satInd);
    addCategory("满意度", scheme.满意度, [{ level1: "满意度", level2: satInd.level2, name: satInd.name, weight: satInd.weight, score: satInd.score }]);
  } else {
    const ew = splitWeight(rng, scheme.效益, effects.length + 1);
    const effInds = [...effects.map((t, i) => makeIndicator(rng, t, "效益指标", ew[i], unmetProb)), makeIndicator(rng, sat, "满意度指标", ew[effects.length], unmetProb / 2)];
    indicators.push(...effInds);
    addCategory("效益", scheme.效益, effInds.map((i) => ({ level1: "效益", level2: i.level2, name: i.name, weight: i.weight, score: i.score })));
  }
  const total = categories.reduce((s, c) => s.plus(c.score), new Decimal(0));
  const grade = gradeOf(total);
  const totalConflict = layout !== "table" && rng.chance(0.04) ? total.plus(rng.pick([-3, -1.5, 2, 4])) : null;
  const expectedFindings: string[] = [];
  if (rateConflict) expectedFindings.push("budget.rate_mismatch");
  if (totalConflict) expectedFindings.push("text.conflict");
  if ((grade === "优" || grade === "良") && ratio.lt(0.6)) expectedFindings.push("credibility.high_score_low_execution");
  const title =
    evaluationType === "self"
      ? `${projectName}项目支出绩效自评报告`
      : rng.chance(0.5)
        ? `${projectName}项目支出绩效评价报告`
        : `${year}年度${projectName}绩效评价报告`;
  return {
    facts: {
      fileName: `${dept.region}-${dept.body}-${year}-${String(seq).padStart(6, "0")}.txt`,
      layout,
      kind: "project",
      title,
      projectName,
      department: dept.name,
      implementingUnit: dept.name,
      region: dept.region,
      year,
      evaluationType,
      budget: { initial: fmt(initial), adjusted: fmt(adjusted), spent: fmt(spent), executionRate: statedRate.toFixed(2) },
      score: { total: fmt(total), grade },
      categories,
      scoreItems,
      indicators,
      lineItems: [],
      expectedFindings,
    },
    rateConflict,
    totalConflict,
    unit: "万元",
  };
}

const ITEM_STEMS = ["代表活动经费", "专项工作经费", "会议费", "培训经费", "信息化建设经费", "宣传经费", "设备购置经费", "维修专项经费", "调研经费", "慰问经费", "课题研究经费", "执法检查经费", "档案整理经费", "志愿服务经费", "应急保障经费", "印刷经费", "监测运行经费", "考核奖励经费", "办公场所租赁经费", "下乡服务经费"];
const ITEM_USES = ["保障日常工作正常运转", "开展专项工作", "组织相关会议", "开展业务培训", "维护信息系统", "开展宣传活动", "购置办公设备", "开展调研活动"];

function summaryDraft(rng: Rng, dept: DepartmentSpec, year: number, seq: number): Draft {
  const n = rng.int(6, 16);
  const stems = rng.shuffle([...ITEM_STEMS]).slice(0, n);
  const lineItems: LineItemFact[] = stems.map((stem) => {
    const budget = rng.chance(0.3) ? new Decimal(rng.int(1, 60)) : rng.dec(0.5, 80);
    const allocated = !rng.chance(0.18);
    const spent = !allocated ? new Decimal(0) : rng.chance(0.5) ? budget : budget.times(rng.dec(0.1, 1)).toDecimalPlaces(2);
    return { name: stem, budget: fmt(budget), spent: fmt(spent), allocated };
  });
  const spent = lineItems.reduce((s, l) => s.plus(l.spent), new Decimal(0));
  const total = rng.dec(70, 99.5);
  return {
    facts: {
      fileName: `${dept.region}-${dept.body}-${year}-${String(seq).padStart(6, "0")}.txt`,
      layout: "summary",
      kind: "summary",
      title: "项目支出绩效自评汇总报告",
      projectName: null,
      department: dept.name,
      implementingUnit: null,
      region: dept.region,
      year,
      evaluationType: "self",
      budget: { initial: null, adjusted: null, spent: fmt(spent), executionRate: null },
      score: { total: fmt(total), grade: gradeOf(total) },
      categories: [],
      scoreItems: [],
      indicators: [],
      lineItems,
      expectedFindings: [],
    },
    rateConflict: false,
    totalConflict: null,
    unit: "万元",
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/**
 * Running prose of the kind that fills most of a real report (methods, practice, problems,
 * suggestions). Free of figures, years and organisation names, so that it adds realistic bulk
 * without adding facts.
 */
const PROSE: Record<"methods" | "practice" | "problems" | "advice", string[]> = {
  methods: [
    "评价工作组采用比较法、因素分析法和公众评判法相结合的方式，对项目的决策、过程、产出和效益进行全面分析，力求客观反映项目绩效水平。",
    "通过查阅项目立项文件、资金拨付凭证、合同协议及验收资料等，核实项目实施内容与绩效目标的一致性。",
    "工作组深入项目实施现场，采取座谈访谈、实地查看和抽样核查的方式收集基础数据，并对数据的真实性和完整性进行复核。",
    "对定量指标，将实际完成值与年初指标值逐项比对，完成指标值的记该指标全部分值，未完成的按照完成比例计分；对定性指标，结合佐证材料分档评分。",
    "满意度调查采用问卷方式进行，问卷内容涵盖服务质量、服务效率和服务态度等方面，调查对象覆盖主要受益群体。",
    "评价过程中坚持科学规范、公正公开、分级分类和绩效相关的原则，确保评价结论有据可查、经得起检验。",
  ],
  practice: [
    "一是加强组织领导，成立项目领导小组，明确分管领导和具体经办人员的职责分工，形成上下联动、齐抓共管的工作格局。",
    "二是规范资金管理，严格执行财务管理制度和资金审批程序，做到专款专用、单独核算，确保资金使用安全合规。",
    "三是强化过程监督，定期召开项目推进会，及时研究解决实施中遇到的困难和问题，保障项目按计划有序推进。",
    "四是注重宣传引导，通过政务网站、微信公众号和宣传册等多种渠道宣传项目成效，提高群众的知晓度和参与度。",
    "五是健全档案资料，对项目实施过程中形成的文件、图片和影像资料及时收集整理归档，为绩效管理提供完整依据。",
  ],
  problems: [
    "绩效目标设置不够细化，部分指标偏重过程性描述，难以量化考核，指标值与工作任务的对应关系不够清晰。",
    "项目前期调研论证不够充分，预算编制的精细化程度有待提高，个别支出内容在执行中有所调整。",
    "绩效运行监控机制不够健全，对执行中出现的偏差未能及时分析原因并采取纠偏措施。",
    "部分业务人员对预算绩效管理的认识还不够到位，重资金分配、轻绩效管理的现象仍然存在。",
    "项目档案资料的收集整理不够及时，个别佐证材料不够完整，影响了评价工作的深入开展。",
  ],
  advice: [
    "进一步提高绩效目标编制质量，科学设置产出和效益指标，做到指标明确、可衡量、可考核。",
    "加强预算执行进度管理，建立资金支出月度通报机制，确保资金及时足额发挥效益。",
    "强化绩效运行监控，对偏离目标的项目及时预警和纠偏，提高项目管理的精细化水平。",
    "加强业务培训，提升财务和业务人员的绩效管理能力，推动全过程预算绩效管理落地见效。",
    "强化评价结果应用，将评价结果作为完善政策、改进管理和安排以后年度预算的重要依据。",
  ],
};

function prose(rng: Rng, kind: keyof typeof PROSE, min: number, max: number): string {
  return rng.shuffle([...PROSE[kind]]).slice(0, rng.int(min, max)).join("");
}

const CELL = (s: string) => `\t${s}`;
/** A table row: one cell per line, each starting with a tab; a blank line ends the row. */
function row(cells: string[]): string {
  return cells.map(CELL).join("\n") + "\n\n";
}

function evaluationSentence(rng: Rng, f: ReportFacts): string {
  switch (f.evaluationType) {
    case "self":
      return `本次评价为单位自评，由${f.department}成立自评工作组组织实施。`;
    case "department":
      return `${f.department}按照年度工作安排，组织开展本次部门评价。`;
    case "finance":
      return `本次评价由区财政局组织开展财政重点评价。`;
    case "third_party":
      return `受${f.department}委托，${rng.pick(["明信会计师事务所", "正衡咨询有限公司", "华审评估有限公司"])}作为第三方机构开展绩效评价。`;
  }
}

function intro(rng: Rng, f: ReportFacts): string {
  const goals = rng.pick(["保障各项工作有序开展，提升公共服务水平", "推动重点任务落实，提高资金使用效益", "完善工作机制，提升服务群众能力"]);
  return [
    `${f.title}`,
    "",
    "一、基本情况",
    "（一）项目概况",
    `${f.projectName}由${f.department}负责实施，主要用于${goals}。`,
    evaluationSentence(rng, f),
  ].join("\n");
}

function budgetSentence(rng: Rng, f: ReportFacts): string {
  const b = f.budget;
  const yuan = rng.chance(0.1);
  const money = (w: string) => (yuan ? `${new Decimal(w).times(10000).toFixed(2)}元` : `${w}万元`);
  const variant = rng.int(0, 2);
  if (variant === 0 || b.initial === b.adjusted) {
    if (b.initial !== b.adjusted || rng.chance(0.5))
      return `该项目年初预算数${money(b.initial!)}，全年预算数${money(b.adjusted!)}，全年执行数${money(b.spent)}，预算执行率为${b.executionRate}%。`;
    return `本项目总预算${rng.pick(["", "投资"])}${money(b.adjusted!)}，其中：财政拨款资金${money(b.adjusted!)}。项目实际支出${money(b.spent)}，${rng.pick(["执行率", "支出率", "预算执行率"])}为${b.executionRate}%。`;
  }
  if (variant === 1) return `${f.year}年该项目年初预算${money(b.initial!)}，调整后全年预算数为${money(b.adjusted!)}，全年执行数${money(b.spent)}，预算执行率${b.executionRate}%。`;
  return `项目年初预算数${money(b.initial!)}，全年预算数${money(b.adjusted!)}；截至年底全年执行数${money(b.spent)}，执行率为${b.executionRate}%。`;
}

function conclusion(rng: Rng, f: ReportFacts, statedTotal: string): string {
  const g = rng.pick(GRADE_WORDS[f.score.grade]);
  return rng.pick([
    `经综合评价，本项目总得分为${statedTotal}分，属于“${g}”。`,
    `综合评价得分${statedTotal}分，评价等级为“${g}”。`,
    `该项目绩效评价总得分为${statedTotal}分，绩效评级为${g}。`,
  ]);
}

/** 综合评分表 as a table (the table family), as blocks. */
function scoreTableBlocks(rng: Rng, f: ReportFacts): TextBlock[] {
  const prefix = rng.chance(0.6) ? "项目" : "";
  const rows = [["一级指标", "权重分", "得分"], ...f.categories.map((c) => [`${prefix}${c.name}`, c.weight, c.score]), ["合计", "100", f.score.total]];
  return [{ paragraph: "表1综合评分表" }, { table: rows }];
}

/** 综合评分表 as running lines "项目产出 40 32.51" (the narrative family) or as a tab table. */
function scoreTable(rng: Rng, f: ReportFacts, asTable: boolean): string {
  const prefix = rng.chance(0.6) ? "项目" : "";
  const lines: string[] = ["表1综合评分表"];
  if (asTable) {
    let s = row(["一级指标", "权重分", "得分"]);
    for (const c of f.categories) s += row([`${prefix}${c.name}`, c.weight, c.score]);
    s += row(["合计", "100", f.score.total]);
    return lines.join("\n") + "\n" + s;
  }
  lines.push("一级指标 权重分 得分");
  for (const c of f.categories) lines.push(`${prefix}${c.name} ${c.weight} ${c.score}`);
  lines.push(`合计 100 ${f.score.total}`);
  return lines.join("\n");
}

function narrativeIndicator(rng: Rng, i: IndicatorFact): string {
  const rate = i.completionRate ?? "100";
  const reason = i.deviationReason ? `偏差原因：${i.deviationReason}。` : "";
  const targetText = i.target.replace(/^≥/, ">=").replace(/^≤/, "<=");
  return rng.chance(0.7)
    ? `${i.name}:指标值：${targetText}，实际完成值：${i.actual}，指标完成率${rate}%；${reason}`
    : `${i.name}：指标值：${targetText}，实际完成值：${i.actual}，指标完成率为${rate}%；${reason}`;
}

function quotedIndicator(rng: Rng, i: IndicatorFact): string {
  const actual = i.comparator && rng.chance(0.5) ? `=${i.actual}` : i.actual;
  const rate = i.completionRate ? `，指标完成率为${i.completionRate}%` : "";
  const reason = i.deviationReason ? `偏差原因：${i.deviationReason}。` : "";
  return `“${i.name}”指标：预期指标值为“${i.target}”，实际完成指标值为“${actual}”${rate}。${reason}综上所述，本指标满分为${i.weight}分，根据评分标准得${i.score}分。`;
}

function renderNarrative(rng: Rng, d: Draft): string {
  const f = d.facts;
  const statedTotal = d.totalConflict ? d.totalConflict.toFixed() : f.score.total;
  const parts = [intro(rng, f), `项目名称：${f.projectName}；主管部门：${f.department}；实施单位：${f.implementingUnit}。`, budgetSentence(rng, f)];
  parts.push("二、绩效评价工作开展情况", `本次评价对象为${f.year}年度${f.projectName}。`, prose(rng, "methods", 2, 5));
  parts.push("三、综合评价情况及评价结论", conclusion(rng, f, statedTotal), "", scoreTable(rng, f, false));
  parts.push("四、绩效评价指标分析");
  const sections: [string, string][] = [["产出指标", "（三）项目产出情况"], ["效益指标", "（四）项目效益情况"], ["满意度指标", "（五）满意度情况"]];
  for (const [level1, heading] of sections) {
    const inds = f.indicators.filter((i) => i.level1 === level1);
    if (!inds.length) continue;
    parts.push(heading);
    for (const l2 of [...new Set(inds.map((i) => i.level2))]) {
      parts.push(`${l2}方面：`);
      for (const i of inds.filter((x) => x.level2 === l2)) parts.push(narrativeIndicator(rng, i));
    }
  }
  parts.push("五、主要经验及做法", prose(rng, "practice", 2, 5), "六、存在的问题及原因分析", prose(rng, "problems", 2, 4), "七、有关建议", prose(rng, "advice", 2, 4));
  return parts.join("\n") + "\n";
}

function renderQuoted(rng: Rng, d: Draft): string {
  const f = d.facts;
  const statedTotal = d.totalConflict ? d.totalConflict.toFixed() : f.score.total;
  const parts = [
    intro(rng, f),
    `（1）项目名称：${f.projectName}（以下简称“该项目”）。主管部门：${f.department}。`,
    `（2）项目主要内容：该项目于${f.year}年度实施，${rng.pick(["覆盖全区相关单位", "面向辖区群众提供服务", "按季度分步推进"])}。`,
    budgetSentence(rng, f),
  ];
  parts.push("二、绩效评价工作开展情况", prose(rng, "methods", 2, 5), "三、绩效评价指标分析");
  const catNames: Record<string, string> = { 决策: "项目决策", 过程: "项目过程管理", 产出: "项目产出", 效益: "项目效益", 满意度: "满意度" };
  for (const c of f.categories) {
    const items = f.scoreItems.filter((s) => s.level1 === c.name);
    const l2 = new Set(items.map((s) => s.level2)).size;
    let p = `${catNames[c.name]}情况：${catNames[c.name]}类指标由${l2}个二级指标和${items.length}个三级指标构成，权重分${new Decimal(c.weight).toFixed(2)}分，实际得分${c.score}分。`;
    const inds = f.indicators.filter((i) => (c.name === "产出" ? i.level1 === "产出指标" : c.name === "满意度" ? i.level1 === "满意度指标" : c.name === "效益" && i.level1 !== "产出指标" && (f.categories.some((x) => x.name === "满意度") ? i.level1 === "效益指标" : true)));
    inds.forEach((i, k) => {
      p += `${k + 1}.${i.level2.replace(/指标$/, "")}完成情况分析：${quotedIndicator(rng, i)}`;
    });
    parts.push(p);
  }
  parts.push("四、综合评价结论", conclusion(rng, f, statedTotal));
  parts.push("五、主要经验及做法", prose(rng, "practice", 2, 4), "六、存在的问题", prose(rng, "problems", 2, 4), "七、相关建议", prose(rng, "advice", 2, 4));
  parts.push("", "附件1：项目支出绩效评价指标体系");
  let t = row(["一级指标", "二级指标", "三级指标", "权重", "得分"]);
  let prev1 = "";
  let prev2 = "";
  for (const s of f.scoreItems) {
    t += row([s.level1 === prev1 ? "" : s.level1, s.level2 === prev2 && s.level1 === prev1 ? "" : s.level2, s.name, s.weight, s.score]);
    prev1 = s.level1;
    prev2 = s.level2;
  }
  t += row(["合计", "", "", "100", f.score.total]);
  parts.push(t);
  return parts.join("\n") + "\n";
}

/** A paragraph, or a table as rows of cell texts (the generator writes no merges: a covered cell is empty). */
export type TextBlock = { paragraph: string } | { table: string[][] };

/** Renders a table report's blocks as text in one linearisation (a tab dump, pipe rows …). */
export type Lineariser = (blocks: TextBlock[]) => string;

/** The generator's own linearisation: a Word tab dump (each cell a TAB line, a blank line between rows). */
export const tabDump: Lineariser = (blocks) => blocks.map((b) => ("table" in b ? b.table.map(row).join("") : b.paragraph)).join("\n") + "\n";

function renderTable(rng: Rng, d: Draft, linearise: Lineariser = tabDump, scoreLines = false): string {
  const f = d.facts;
  const b = f.budget;
  const withScores = rng.chance(0.3);
  const wan = rng.chance(0.5) ? "万" : "";
  const money = (w: string | null) => (w === null ? "" : `${w}${wan}`);
  const blocks: TextBlock[] = [intro(rng, f), budgetSentence(rng, f), "二、绩效目标完成情况", "项目支出绩效自评表"].map((paragraph) => ({ paragraph }));
  const t: string[][] = [[`（${f.year}年度）`]];
  t.push(["项目名称", f.projectName!]);
  t.push(["主管部门", f.department, "实施单位", f.implementingUnit!]);
  if (withScores) {
    t.push(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
    const execScore = new Decimal(10).times(Decimal.min(1, new Decimal(b.spent).div(b.adjusted!))).toDecimalPlaces(2, Decimal.ROUND_DOWN);
    t.push(["", "年度资金总额", money(b.initial), money(b.adjusted), money(b.spent), "10", `${b.executionRate}%`, execScore.toFixed()]);
    t.push(["", "其中：当年财政拨款", money(b.initial), money(b.adjusted), money(b.spent), "一", "", "一"]);
    t.push(["", "上年结转资金", "", "", "", "一", "", "一"]);
    t.push(["", "其他资金", "", "", "", "一", "", "一"]);
  } else {
    t.push(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率"]);
    t.push(["", "年度资金总额", money(b.initial), money(b.adjusted), money(b.spent), `${b.executionRate}%`]);
    t.push(["", "其中：当年财政拨款", money(b.initial), money(b.adjusted), money(b.spent), `${b.executionRate}%`]);
    t.push(["", "上年结转资金", "", "", "", ""]);
    t.push(["", "其他资金", "", "", "", ""]);
  }
  t.push(["年度总体目标", "预期目标", "实际完成情况"]);
  t.push(["", "按计划完成年度各项工作任务", "基本完成年度工作任务"]);
  const head = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"];
  t.push(withScores ? [...head, "分值", "得分", "偏差原因分析及改进措施"] : [...head, "偏差原因分析及改进措施"]);
  let prev1 = "";
  let prev2 = "";
  // some tables name the unit with the indicator: 培训人数（人）
  const unitInName = rng.chance(0.3);
  for (const i of f.indicators) {
    const name = unitInName && i.unit ? `${i.name}（${i.unit}）` : i.name;
    const cells = ["", i.level1 === prev1 ? "" : i.level1, i.level2 === prev2 && i.level1 === prev1 ? "" : i.level2, name, i.target, i.actual];
    if (withScores) cells.push(i.weight, i.score);
    cells.push(i.deviationReason ?? "");
    t.push(cells);
    prev1 = i.level1;
    prev2 = i.level2;
  }
  blocks.push({ table: t });
  blocks.push({ paragraph: "三、综合评价情况及评价结论" }, { paragraph: conclusion(rng, f, f.score.total) });
  blocks.push(...(scoreLines ? [{ paragraph: scoreTable(rng, f, false) }] : scoreTableBlocks(rng, f)));
  for (const p of ["四、绩效评价工作开展情况", prose(rng, "methods", 2, 4), "五、存在的问题及改进措施", prose(rng, "problems", 2, 4), prose(rng, "advice", 1, 3)]) blocks.push({ paragraph: p });
  return linearise(blocks);
}

function renderSummary(rng: Rng, d: Draft): string {
  const f = d.facts;
  const clauses = f.lineItems.map((l) => {
    const use = rng.pick(ITEM_USES);
    const head = rng.chance(0.6) ? `${l.name}支出${l.budget}万元` : `${l.name}${l.budget}万元`;
    if (!l.allocated) return `${head}，主要用于${use}等方面，财政部门未下达该经费`;
    return rng.chance(0.5) ? `${head}，主要用于${use}等方面，项目支出${l.spent}万元` : `${head}，主要用于${use}，项目支出为${l.spent}万元`;
  });
  const body = clauses.map((c, i) => c + (i === clauses.length - 1 ? "。" : rng.chance(0.7) ? "；" : "。")).join("");
  const g = rng.pick(GRADE_WORDS[f.score.grade]);
  return [
    f.title,
    "",
    "一、项目支出基本情况",
    "（一）项目支出概况。",
    `${f.year}年本部门项目支出为${f.budget.spent}万元，用于履行部门职责和完成年度重点工作，具体有：${body}`,
    "（二）项目资金使用管理情况。",
    `${f.department}严格执行资金审批流程，项目支出均按规定用途列支。`,
    "二、绩效评价工作情况",
    `${f.department}预算支出绩效自评范围为${f.year}年度纳入预算管理的项目支出。`,
    "三、项目支出主要绩效及评价结论",
    `按照自评评分标准，总得分为 ${f.score.total} 分，结果：${g}。`,
    prose(rng, "practice", 2, 4),
    "四、存在的问题及原因分析",
    `由于部分项目资金下达不及时，个别项目执行进度偏慢。${prose(rng, "problems", 1, 3)}`,
    "五、有关建议",
    prose(rng, "advice", 2, 4),
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Corpus

export interface CorpusOptions {
  reports: number;
  departments: number;
  years: [number, number];
  seed: number;
  /** chance that a department's first report of a year is its summary (default 0.5; one summary per department and year at most) */
  summaryShare?: number;
  /** false: facts only, no text (the row writer needs no text and a million texts take time) */
  renderText?: boolean;
  /** How table reports are linearised, picked by weight for each one (default: all as a tab dump). */
  linearisers?: { family: string; weight: number; render: Lineariser; /** the 综合评分表 as running lines, not a table */ scoreLines?: boolean }[];
}

function pickWeighted<T extends { weight: number }>(rng: Rng, xs: T[]): T {
  const total = xs.reduce((a, x) => a + x.weight, 0);
  let r = rng.next() * total;
  for (const x of xs) if ((r -= x.weight) < 0) return x;
  return xs[xs.length - 1];
}

/** The reports of a corpus, one at a time (a million of them never sit in memory together). */
export function* generateCorpus(opts: CorpusOptions): Generator<GeneratedReport> {
  const rng = new Rng(opts.seed);
  const depts = departments(opts.departments);
  const years: number[] = [];
  for (let y = opts.years[0]; y <= opts.years[1]; y++) years.push(y);
  const layouts: Exclude<Layout, "summary">[] = ["table", "narrative", "quoted"];
  for (let i = 0; i < opts.reports; i++) {
    // round-robin over department × year so that every pair gets reports
    const cell = i % (depts.length * years.length);
    const dept = depts[cell % depts.length];
    const year = years[Math.floor(cell / depts.length)];
    const k = Math.floor(i / (depts.length * years.length));
    const isSummary = k === 0 && rng.chance(opts.summaryShare ?? 0.5);
    const draft = isSummary ? summaryDraft(rng, dept, year, i) : projectDraft(rng, dept, year, i, rng.pick(layouts), projectFor(dept, k));
    const f = draft.facts;
    let family: string = f.layout;
    let text = "";
    if (opts.renderText !== false) {
      if (f.layout === "table") {
        const lin = opts.linearisers?.length ? pickWeighted(rng, opts.linearisers) : { family: "tab", render: tabDump, scoreLines: false };
        family = `table/${lin.family}`;
        text = renderTable(rng, draft, lin.render, lin.scoreLines);
      } else text = f.layout === "summary" ? renderSummary(rng, draft) : f.layout === "narrative" ? renderNarrative(rng, draft) : renderQuoted(rng, draft);
    } else if (f.layout === "table") family = "table/tab";
    yield { fileName: f.fileName, text, facts: f, family };
  }
}

export function writeCorpus(dir: string, opts: CorpusOptions): { files: number; bytes: number; facts: ReportFacts[] } {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  const facts: ReportFacts[] = [];
  for (const r of generateCorpus(opts)) {
    const buf = Buffer.from(r.text, "utf8");
    fs.writeFileSync(path.join(dir, r.fileName), buf);
    bytes += buf.length;
    facts.push(r.facts);
  }
  return { files: facts.length, bytes, facts };
}

/** The demo jurisdiction: 40 departments × 3 years, a few reports each. */
export const DEMO_OPTIONS: CorpusOptions = { reports: 480, departments: 40, years: [2022, 2024], seed: 20261123 };

export function demoCorpus(): GeneratedReport[] {
  return [...generateCorpus(DEMO_OPTIONS)];
}

export function writeDemo(dir: string): { files: number; bytes: number } {
  const { files, bytes } = writeCorpus(dir, DEMO_OPTIONS);
  return { files, bytes };
}
