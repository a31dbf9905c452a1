/**
 * The labels of the 项目支出绩效自评表 template (财预〔2020〕10号 and its provincial variants), which
 * every linearisation of the table keeps even when it loses the cell boundaries: they anchor the
 * template reader. Each label is matched on a token's whole text or at its start, with the
 * annotations reports add ("（A）", "（万元）", "（C/B）") and a trailing colon.
 */

export type LabelKind =
  | "project"
  | "department"
  | "unit"
  | "funds"
  | "initial"
  | "adjusted"
  | "spent"
  | "received"
  | "weight"
  | "rate"
  | "score"
  | "totalRow"
  | "sourceRow"
  | "goal"
  | "goalExpected"
  | "goalActual"
  | "indicators"
  | "level1Col"
  | "level2Col"
  | "nameCol"
  | "target"
  | "actual"
  | "completion"
  | "reason"
  | "total"
  | "level1"
  | "level2";

interface LabelDef {
  kind: LabelKind;
  pattern: string;
  /**
   * Whether the label may be split off the start of a longer token whatever follows. Column words
   * (分值, 得分, 执行率…) also begin indicator names ("得分率"), so they split only before a figure,
   * a sign or another label.
   */
  splitsAlways: boolean;
}

const ANNOTATION = "(?:[（(][^（()）]{0,10}[）)])*";

const DEFS: LabelDef[] = [
  { kind: "project", pattern: "项目名称|项目全称", splitsAlways: true },
  { kind: "department", pattern: "主管部门|主管单位|预算部门|部门名称", splitsAlways: true },
  { kind: "unit", pattern: "项目实施单位|实施单位|实施主体", splitsAlways: true },
  { kind: "funds", pattern: "项目资金|资金情况|预算执行情况", splitsAlways: true },
  { kind: "initial", pattern: "年初预算数|年初预算金额|年初预算", splitsAlways: false },
  { kind: "adjusted", pattern: "全年预算数|调整后预算数|全年预算金额|全年预算|调整预算数|预算数", splitsAlways: false },
  { kind: "spent", pattern: "全年执行数|全年实际执行数|实际执行数|实际支出数|全年支出数|执行数", splitsAlways: false },
  { kind: "received", pattern: "实际到位资金|到位资金|资金到位数", splitsAlways: false },
  { kind: "rate", pattern: "预算执行率|资金执行率|执行率", splitsAlways: false },
  { kind: "totalRow", pattern: "年度资金总额|资金总额|项目资金总额", splitsAlways: true },
  { kind: "sourceRow", pattern: "(?:其中[：:]?)?(?:当年财政拨款|本级财政拨款|财政拨款资金|财政拨款|上级补助资金|上年结转资金|上年结转|其他资金|自筹资金)", splitsAlways: true },
  { kind: "goal", pattern: "年度总体目标|总体目标|年度目标", splitsAlways: true },
  { kind: "goalExpected", pattern: "预期目标", splitsAlways: false },
  { kind: "goalActual", pattern: "实际完成情况", splitsAlways: false },
  { kind: "indicators", pattern: "绩效指标", splitsAlways: false },
  { kind: "level1Col", pattern: "一级指标", splitsAlways: true },
  { kind: "level2Col", pattern: "二级指标", splitsAlways: true },
  { kind: "nameCol", pattern: "三级指标|指标名称|具体指标", splitsAlways: true },
  { kind: "target", pattern: "年度指标值|年度目标值|预期指标值|计划指标值|指标值|目标值|计划值", splitsAlways: false },
  { kind: "actual", pattern: "实际完成值|全年实际完成值|实际完成指标值|实际值|完成值", splitsAlways: false },
  { kind: "completion", pattern: "指标完成率|完成率", splitsAlways: false },
  { kind: "reason", pattern: "偏差原因分析及改进措施|偏差原因分析|偏差原因及改进措施|偏差原因|未完成原因分析及改进措施|原因分析及改进措施|备注", splitsAlways: false },
  { kind: "weight", pattern: "分值|权重|指标分值", splitsAlways: false },
  { kind: "score", pattern: "得分|自评得分|实际得分", splitsAlways: false },
  { kind: "total", pattern: "总分|总计|合计|综合得分", splitsAlways: false },
];

/** 一级指标 names of the national framework, with the weights some reports put in brackets. */
export const LEVEL1_PATTERN = "★?(?:产出|效益|效果|满意度|影响)指标";
/** 二级指标 names of the national framework. */
export const LEVEL2_PATTERN =
  "(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|可持续发展|服务对象满意度|满意度|经济成本|社会成本|生态环境成本|生态成本|社会影响|效益)指标";

export interface LabelMatch {
  kind: LabelKind;
  /** Characters of the token the label takes, annotation included. */
  length: number;
  /** The annotation in brackets, if any ("万元", "A", "50%"). */
  annotation: string | null;
  splitsAlways: boolean;
}

const ALL: { kind: LabelKind; whole: RegExp; prefix: RegExp; splitsAlways: boolean }[] = [
  ...DEFS.map((d) => ({
    kind: d.kind,
    whole: new RegExp(`^(?:${d.pattern})${ANNOTATION}[：:]?$`),
    prefix: new RegExp(`^(?:${d.pattern})${ANNOTATION}[：:]?`),
    splitsAlways: d.splitsAlways,
  })),
  { kind: "level1", whole: new RegExp(`^(?:${LEVEL1_PATTERN}|产出|效益|满意度)${ANNOTATION}[：:]?$`), prefix: new RegExp(`^${LEVEL1_PATTERN}${ANNOTATION}[：:]?`), splitsAlways: true },
  { kind: "level2", whole: new RegExp(`^${LEVEL2_PATTERN}${ANNOTATION}[：:]?$`), prefix: new RegExp(`^${LEVEL2_PATTERN}${ANNOTATION}[：:]?`), splitsAlways: true },
];

/**
 * The characters a label can begin with. Most tokens of a report are prose that begins with none of
 * them; they need no label test at all.
 */
const FIRST_CHARS: ReadonlySet<string> = new Set(
  [...DEFS.map((d) => d.pattern), LEVEL1_PATTERN, LEVEL2_PATTERN, "其中|★"]
    .flatMap((p) => p.replace(/\(\?:其中\[：:\]\?\)\?/g, "").replace(/[()?:★]/g, "").split("|"))
    .map((alt) => alt[0])
    .concat(["其", "★"]),
);

const HAS_SPACE = /\s/;

function mayBeLabel(text: string): boolean {
  return FIRST_CHARS.has(text[0]);
}

function annotationOf(text: string): string | null {
  const m = /[（(]([^（()）]{0,10})[）)][：:]?$/.exec(text);
  return m ? m[1] : null;
}

/** The label a whole token is, if any ("年初预算数（A）", "产出指标（50分）"). */
export function wholeLabel(text: string): LabelMatch | null {
  if (!text || text.length > 48) return null;
  const s = HAS_SPACE.test(text) ? text.replace(/\s+/g, "") : text;
  if (!s || s.length > 24 || !mayBeLabel(s)) return null;
  for (const l of ALL) {
    if (l.whole.test(s)) return { kind: l.kind, length: text.length, annotation: annotationOf(s), splitsAlways: l.splitsAlways };
  }
  return null;
}

/** The label a longer token starts with, when it may be split off there. */
export function prefixLabel(text: string): LabelMatch | null {
  if (!mayBeLabel(text)) return null;
  let best: LabelMatch | null = null;
  for (const l of ALL) {
    const m = l.prefix.exec(text);
    if (!m || m[0].length >= text.length) continue;
    const rest = text.slice(m[0].length);
    // Column words split only before a figure, a sign, a placeholder or another label.
    if (!l.splitsAlways && !/^[\d＞＜≥≤≧≦=＝═<>\-—/／…]/.test(rest) && !startsWithLabel(rest)) continue;
    if (!best || m[0].length > best.length) best = { kind: l.kind, length: m[0].length, annotation: annotationOf(m[0]), splitsAlways: l.splitsAlways };
  }
  return best;
}

/** Whether a label may be split off the start of `text` (a run of column labels splits label by label). */
function startsWithLabel(text: string, depth = 0): boolean {
  if (depth > 10) return false;
  for (const l of ALL) {
    const m = l.prefix.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length);
    if (!rest || l.splitsAlways || /^[\d＞＜≥≤≧≦=＝═<>]/.test(rest) || startsWithLabel(rest, depth + 1)) return true;
  }
  return false;
}

/**
 * Where a header label stands inside a value that ran into it ("城区排水改造主管部门某某县…"): the
 * header block's labels are distinct enough to be found anywhere in its values.
 */
export function innerHeaderLabel(text: string): number {
  const m = /主管部门|主管单位|预算部门|项目实施单位|实施单位|实施主体|项目资金/.exec(text);
  return m && m.index > 1 ? m.index : -1;
}

/** Labels that name a column of the indicator table. */
export const INDICATOR_COLUMNS: ReadonlySet<LabelKind> = new Set(["level1Col", "level2Col", "nameCol", "target", "actual", "completion", "reason", "weight", "score"]);
/** Labels that name a column of the funding block. */
export const BUDGET_COLUMNS: ReadonlySet<LabelKind> = new Set(["initial", "adjusted", "spent", "received", "rate", "weight", "score"]);
/** Header-block labels whose value is the text that follows them. */
export const HEADER_LABELS: ReadonlySet<LabelKind> = new Set(["project", "department", "unit"]);
