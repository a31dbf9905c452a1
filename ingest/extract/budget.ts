import Decimal from "decimal.js";
import type { DocumentModel, Table } from "../document";
import { decimalOf, parseMoneyCell, parseRate, toWan } from "../normalize/numbers";
import { trimAll } from "../normalize/text";
import { allMatches, cellText, findCol, headerKey, paragraphs, rowMentions, tables } from "./doc";
import type { Stated } from "./evidence";
import { inWan, placeFigures, readFigure, type BudgetColumn, type BudgetFigure } from "./template/budget";

export type BudgetKey = "initial" | "adjusted" | "received" | "spent" | "executionRate";

export interface SourceRow {
  name: string;
  initial: Decimal | null;
  adjusted: Decimal | null;
  spent: Decimal | null;
  executionRate: Decimal | null;
  line: number;
}

export interface BudgetEvidence {
  stated: Record<BudgetKey, Stated[]>;
  /** The funding table's own 年度资金总额 row, as stated, for checking its parts against it. */
  tableTotal: Partial<Record<BudgetKey, Stated>>;
  /** 分值 and 得分 of the execution-rate row: the score the report gave its own execution rate. */
  rateScore: { weight: Decimal; score: Decimal; line: number } | null;
  sources: SourceRow[];
  /** Amounts the report says were spent on parts of the project, for the outlier check. */
  partAmounts: Stated[];
  /** A total stated with its parts ("收入合计X万元，其中：财政拨款收入A万元，其他收入B万元"). */
  partSums: { total: Stated; parts: Stated[] }[];
  /** 项目支出 as a department summary states it: what its line items add up to. */
  projectSpent: Stated | null;
  /** Whether the funding table says its unit; when it does not, the narrative may show it is 元. */
  tableUnitStated: boolean;
  /** How a figure was read where the report left room for doubt, for extract.low_confidence. */
  notes: { field: string; text: string; line: number; why: string }[];
}

const COLUMN_KEYS: [RegExp, BudgetKey][] = [
  [/^年初预算(数|金额|安排数)?$/, "initial"],
  [/^(全年预算(数)?|调整后预算(数)?|预算数|全年预算金额|调整预算数|预算调整数)$/, "adjusted"],
  [/^(实际到位(资金|数)?|到位资金|资金到位数|全年到位数)$/, "received"],
  [/^(全年执行数|执行数|实际支出(数)?|全年支出数|实际执行数|全年实际支出)$/, "spent"],
  [/^(执行率|预算执行率|资金执行率)$/, "executionRate"],
];

const TOTAL_ROW = /^(年度资金总额|资金总额|合计|总计|年度资金合计|项目资金总额)$/;

/** The funding block of a 自评表: a header row naming budget columns, then 总额 and source rows. */
function fromTables(doc: DocumentModel, ev: BudgetEvidence) {
  for (const t of tables(doc)) {
    for (let h = 0; h < t.rows.length; h++) {
      const header = t.rows[h];
      if (!rowMentions(header, "预算") && !rowMentions(header, "执行")) continue;
      const cols: { idx: number; key: BudgetKey | null }[] = [];
      let firstCol = -1;
      // A header written in 元 ("项目资金（元）"), or a caption "金额单位：元" above the table, puts every
      // amount of the block in 元.
      const stated = header.cells.some((c) => /[（(]元[)）]|单位[：:]\s*元/.test(cellText(c))) ? "元" : header.cells.some((c) => /[（(]万元[)）]|单位[：:]\s*万元/.test(cellText(c))) ? "万元" : captionUnit(doc, t, h);
      const unit = stated ?? "万元";
      ev.tableUnitStated = stated !== null;
      header.cells.forEach((c, idx) => {
        const key = headerKey(c);
        const hit = COLUMN_KEYS.find(([re]) => re.test(key));
        if (hit) {
          if (firstCol < 0) firstCol = idx;
          cols.push({ idx, key: hit[1] });
        } else if (firstCol >= 0 && /^(分值|得分|权重)$/.test(key)) {
          cols.push({ idx, key: null });
        }
      });
      if (cols.filter((c) => c.key).length < 2) continue;
      for (let r = h + 1; r < t.rows.length; r++) {
        const row = t.rows[r];
        let labelIdx = row.cells.findIndex((c) => cellText(c) !== "");
        if (labelIdx < 0) continue;
        let label = cellText(row.cells[labelIdx]).replace(/^其中[：:]?/, "").trim();
        // A provincial form puts one row of figures straight under its header, with no 年度资金总额.
        if (r === h + 1 && row.cells.length === header.cells.length && row.cells.every((c) => !cellText(c) || readFigure(cellText(c)) !== null)) {
          labelIdx = -1;
          label = "资金总额";
        } else if (parseMoneyCell(label) !== null || /目标|指标/.test(label) || COLUMN_KEYS.some(([re]) => re.test(label))) break;
        // Same width as the header: columns line up. As many cells after the label as columns: they
        // follow in header order. Fewer (a copy dropped blank cells): the figures are fitted to the columns.
        const after = row.cells.slice(labelIdx + 1);
        const aligned = row.cells.length === header.cells.length;
        const values = aligned ? cols.map((c) => row.cells[c.idx]) : after.slice(0, cols.length);
        const rec: Record<BudgetKey, Decimal | null> = { initial: null, adjusted: null, received: null, spent: null, executionRate: null };
        if (aligned || after.length === cols.length) {
          cols.forEach((c, i) => {
            if (!c.key) return;
            const text = cellText(values[i]);
            rec[c.key] = c.key === "executionRate" ? parseRate(text) : parseMoneyCell(text, unit);
          });
        } else {
          const figures = after.map((c) => readFigure(cellText(c))).filter((f): f is BudgetFigure => f !== null);
          const columns = cols.map((c): BudgetColumn => (c.key === "executionRate" ? "rate" : c.key ?? (/得分/.test(headerKey(header.cells[c.idx])) ? "score" : "weight")));
          const placed = placeFigures(columns, figures);
          for (const [col, v] of Object.entries(inWan(placed.values, unit)) as [BudgetColumn, Decimal][]) {
            if (col === "rate") rec.executionRate = v;
            else if (col !== "weight" && col !== "score") rec[col] = v;
          }
        }
        const line = row.line;
        if (TOTAL_ROW.test(label.replace(/\s/g, ""))) {
          for (const key of Object.keys(rec) as BudgetKey[]) {
            const v = rec[key];
            if (v !== null) {
              ev.stated[key].push({ value: v, line, label: `表格“${label}”` });
              ev.tableTotal[key] ??= { value: v, line, label: `表格“${label}”` };
            }
          }
          const wIdx = cols.findIndex((c) => c.key === null && /^分值$/.test(headerKey(header.cells[c.idx])));
          const sIdx = cols.findIndex((c) => c.key === null && /^得分$/.test(headerKey(header.cells[c.idx])));
          const w = wIdx >= 0 ? parseMoneyCell(cellText(values[wIdx])) : null;
          const sc = sIdx >= 0 ? parseMoneyCell(cellText(values[sIdx])) : null;
          if (w && sc && !ev.rateScore) ev.rateScore = { weight: w, score: sc, line };
        } else if (Object.values(rec).some((v) => v !== null)) {
          ev.sources.push({ name: label, ...rec, line });
        }
      }
      return;
    }
  }
}

/** "金额单位：元" / "单位：万元" in the paragraphs just above a table, or in the rows above its header. */
function captionUnit(doc: DocumentModel, table: Table, headerRow: number): "元" | "万元" | null {
  const UNIT = /单位[：:]\s*(万元|元)|[（(](万元|元)[)）]\s*$/;
  for (const row of table.rows.slice(0, headerRow)) {
    for (const c of row.cells) {
      const m = UNIT.exec(cellText(c));
      if (m) return (m[1] ?? m[2]) as "元" | "万元";
    }
  }
  const at = doc.blocks.indexOf(table);
  for (let i = at - 1; i >= 0 && i >= at - 3; i--) {
    const b = doc.blocks[i];
    if (b.type !== "paragraph") break;
    const m = /单位[：:]\s*(万元|元)/.exec(b.text);
    if (m) return m[1] as "元" | "万元";
  }
  return null;
}

/** Rows the template reader recovered from a table whose cells lost their places. */
function fromTemplate(ev: BudgetEvidence, template: TemplateBudget | null) {
  if (!template || Object.values(ev.stated).some((list) => list.length) || ev.sources.length) return;
  // The template reader converts an unstated unit by magnitude itself; what it leaves in 万元 the
  // narrative may still show to be 元.
  ev.tableUnitStated = template.unitStated !== false || template.unit === "元";
  const total = template.total;
  if (total) {
    const label = `自评表“${total.name}”`;
    for (const key of ["initial", "adjusted", "received", "spent"] as const) {
      const v = total.values[key];
      if (v) {
        ev.stated[key].push({ value: v, line: total.line, label });
        ev.tableTotal[key] = { value: v, line: total.line, label };
      }
    }
    if (total.values.rate) ev.stated.executionRate.push({ value: total.values.rate, line: total.line, label });
    if (total.values.weight && total.values.score) ev.rateScore = { weight: total.values.weight, score: total.values.score, line: total.line };
  }
  for (const s of template.sources) {
    const v = s.values;
    ev.sources.push({ name: s.name, initial: v.initial ?? null, adjusted: v.adjusted ?? null, spent: v.spent ?? null, executionRate: v.rate ?? null, line: s.line });
  }
}

/**
 * A 年度资金总额 row left at zero while its 其中 rows hold the money: the parts are the figures, and
 * the zero total stays in tableTotal for the audit to name.
 */
function zeroTotalFromParts(ev: BudgetEvidence) {
  if (!ev.sources.length) return;
  for (const key of ["initial", "adjusted", "spent"] as const) {
    const stated = ev.stated[key];
    if (!stated.length || !stated.every((s) => s.value.isZero())) continue;
    const parts = ev.sources.map((s) => s[key]).filter((v): v is Decimal => v !== null);
    if (!parts.length) continue;
    const sum = parts.reduce((a, b) => a.plus(b), new Decimal(0));
    if (sum.isZero()) continue;
    ev.stated[key] = [{ value: sum, line: ev.sources[0].line, label: "各资金来源之和" }, ...stated.filter((s) => !s.label.startsWith("表格") && !s.label.startsWith("自评表"))];
  }
  const rates = ev.stated.executionRate;
  if (rates.length && rates.every((r) => r.value.isZero()) && ev.tableTotal.spent?.value.isZero()) {
    ev.stated.executionRate = [];
    const partRates = ev.sources.map((s) => s.executionRate).filter((v): v is Decimal => v !== null && !v.isZero());
    if (partRates.length === 1) ev.stated.executionRate.push({ value: partRates[0], line: ev.sources[0].line, label: "资金来源执行率" });
  }
}

/**
 * A funding table with no unit whose amounts the narrative states in 万元 ten thousand times smaller:
 * the table is in 元 ("全年预算数 245118.30" beside "预算24.51183万元"). The consistent reading wins.
 */
function yuanByNarrative(ev: BudgetEvidence) {
  if (ev.tableUnitStated) return;
  const fromTable = (s: Stated) => s.label.startsWith("表格") || s.label.startsWith("自评表");
  const TEN_THOUSAND = new Decimal(10000);
  let agrees = false;
  for (const key of ["adjusted", "initial", "spent"] as const) {
    const table = ev.stated[key].filter(fromTable);
    const text = ev.stated[key].filter((s) => !fromTable(s));
    if (!table.length || !text.length) continue;
    if (text.some((t) => table.some((x) => x.value.eq(t.value)))) return;
    if (text.some((t) => table.some((x) => x.value.div(TEN_THOUSAND).eq(t.value)))) agrees = true;
  }
  if (!agrees) return;
  for (const key of ["adjusted", "initial", "spent", "received"] as const) {
    ev.stated[key] = ev.stated[key].map((s) => (fromTable(s) ? { ...s, value: s.value.div(TEN_THOUSAND) } : s));
    const t = ev.tableTotal[key];
    if (t) ev.tableTotal[key] = { ...t, value: t.value.div(TEN_THOUSAND) };
  }
  for (const src of ev.sources) {
    for (const key of ["initial", "adjusted", "spent"] as const) if (src[key]) src[key] = src[key]!.div(TEN_THOUSAND);
  }
  const first = ev.stated.adjusted.find(fromTable) ?? ev.stated.spent.find(fromTable);
  ev.notes.push({ field: "budget", text: first ? first.value.mul(TEN_THOUSAND).toFixed() : "", line: first?.line ?? 0, why: "资金表未注明单位，其金额为正文所述万元数的一万倍，按“元”换算为万元" });
}

const AMOUNT = "([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(万元|亿元|元|万)";
const VERB = "(?:为|是|达|共计|合计|安排|：|:)?\\s*";

const SENTENCE_PATTERNS: [BudgetKey, RegExp, string][] = [
  ["initial", new RegExp(`(年初预算(?:数|金额|资金)?)${VERB}${AMOUNT}`, "g"), ""],
  ["adjusted", new RegExp(`(全年预算(?:数|金额|资金)?|调整后预算(?:数)?|调整预算(?:数)?|预算调整为|预算确定数|预算安排总额|总预算投资|项目总预算|预算总额|项目总投资|总投资|预算资金为|预算数为)${VERB}${AMOUNT}`, "g"), ""],
  ["received", new RegExp(`(实际到位资金|到位资金|资金到位|实际收到预算资金|实际总投入|实际到位)${VERB}${AMOUNT}`, "g"), ""],
  ["spent", new RegExp(`(全年执行数|(?:年度|全年)?支出合计|实际执行数|实际支出(?:资金|金额)?|实际支付资金|累计支出|已支出|预算资金支出|全年(?:项目)?支出|(?:本部门|本单位|部门)(?:全年)?项目支出)${VERB}${AMOUNT}`, "g"), ""],
];
const RATE_RE = /(预算执行率|资金执行率|执行率|支出率)(?:为|是|达到|达|：|:)?\s*([0-9]+(?:\.[0-9]+)?)\s*%/g;
/** Rates of one funding source ("财政拨款执行率100%") are not the project's. */
const SOURCE_BEFORE = /(财政拨款|财政资金|自有资金|其他资金|自筹|结转|部分)[^，。；]{0,6}$/;
const PART_AMOUNT = new RegExp(`(实施金额|实际支出|支出金额|已支付|实际使用)${VERB}${AMOUNT}`, "g");

function fromSentences(doc: DocumentModel, ev: BudgetEvidence) {
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    const hasAmount = text.includes("元");
    if (!hasAmount && !text.includes("%")) continue;
    for (const [key, re] of hasAmount ? SENTENCE_PATTERNS : []) {
      for (const m of allMatches(re, text)) {
        const value = toWan(decimalOf(m[2].replace(/,/g, "")), m[3]);
        ev.stated[key].push({ value, line: p.line, label: m[1] });
      }
    }
    for (const m of allMatches(RATE_RE, text)) {
      if (SOURCE_BEFORE.test(text.slice(Math.max(0, m.index! - 12), m.index!))) continue;
      ev.stated.executionRate.push({ value: decimalOf(m[2]), line: p.line, label: m[1] });
    }
    for (const m of allMatches(PART_AMOUNT, text)) {
      ev.partAmounts.push({ value: toWan(decimalOf(m[2].replace(/,/g, "")), m[3]), line: p.line, label: m[1] });
    }
  }
}

const TOTAL_WITH_PARTS = new RegExp(`(收入合计|收入总计|支出合计|支出总计|全年预算数|预算总额|总预算)(?:为|是|共)?\\s*${AMOUNT}[，,]?\\s*其中[：:]?([^。]*)`, "g");
const PART = new RegExp(`([\\u4e00-\\u9fa5]{2,16}?)(?:为|是)?\\s*${AMOUNT}`, "g");
const PROJECT_SPENT = new RegExp(`(?<!预算)项目支出(?:合计|总额)?(?:为|共)?\\s*${AMOUNT}`);

/**
 * A total and the parts it names after 其中: the parts should add up (the audit names them when they
 * do not). Also the 项目支出 figure a department's line items add up to.
 */
function totalsWithParts(doc: DocumentModel, ev: BudgetEvidence) {
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (!text.includes("其中") && !text.includes("项目支出")) continue;
    for (const m of allMatches(TOTAL_WITH_PARTS, text)) {
      const parts: Stated[] = [];
      const isBudget = /预算/.test(m[1]);
      // The parts run to the end of the clause; a part about spending does not split a budget.
      for (const segment of m[4].split(/[；;]/)[0].split(/[，,、]/)) {
        const part = new RegExp(PART.source).exec(segment);
        if (!part || /占|比|较|增|减/.test(part[1])) continue;
        if (isBudget && /执行|实际|支出(?!预算)/.test(segment)) break;
        parts.push({ value: toWan(decimalOf(part[2].replace(/,/g, "")), part[3]), line: p.line, label: trimAll(part[1]) });
      }
      if (parts.length >= 2) ev.partSums.push({ total: { value: toWan(decimalOf(m[2].replace(/,/g, "")), m[3]), line: p.line, label: m[1] }, parts });
    }
    const ps = !ev.projectSpent ? PROJECT_SPENT.exec(text) : null;
    if (ps) ev.projectSpent = { value: toWan(decimalOf(ps[1].replace(/,/g, "")), ps[2]), line: p.line, label: "项目支出" };
  }
}

const SOURCE_AMOUNT = new RegExp(`(财政拨款(?:资金)?|财政安排资金|财政资金|上年结转(?:资金)?|其他资金|自筹资金)(?:[（(][^）)]*[)）])?${VERB}${AMOUNT}`, "g");

/** Funding sources named in budget sentences, when the report has no funding table. */
function sourcesFromSentences(doc: DocumentModel, ev: BudgetEvidence) {
  if (ev.sources.length) return;
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (!/预算|投资|来源/.test(text)) continue;
    for (const m of allMatches(SOURCE_AMOUNT, text)) {
      // Sources are listed where the budget is; a later clause about spending restates them as spent.
      const clause = text.slice(Math.max(0, m.index! - 40), m.index!);
      if (/执行|支出/.test(clause) && !/预算|来源|投资/.test(clause)) continue;
      const name = m[1];
      if (ev.sources.some((s) => s.name === name)) continue;
      ev.sources.push({ name, initial: null, adjusted: toWan(decimalOf(m[2].replace(/,/g, "")), m[3]), spent: null, executionRate: null, line: p.line });
    }
    // The first place that lists the sources is the budget's; later mentions restate or re-split them.
    if (ev.sources.length) return;
  }
}

/** What the template reader recovered of the funding block. */
export interface TemplateBudget {
  unit?: "元" | "万元";
  unitStated?: boolean;
  total: { name: string; values: Partial<Record<"initial" | "adjusted" | "spent" | "received" | "rate" | "weight" | "score", Decimal>>; line: number } | null;
  sources: { name: string; values: Partial<Record<"initial" | "adjusted" | "spent" | "received" | "rate" | "weight" | "score", Decimal>>; line: number }[];
}

export function extractBudgetEvidence(doc: DocumentModel, template: TemplateBudget | null = null): BudgetEvidence {
  const ev: BudgetEvidence = {
    stated: { initial: [], adjusted: [], received: [], spent: [], executionRate: [] },
    tableTotal: {},
    rateScore: null,
    sources: [],
    partAmounts: [],
    tableUnitStated: true,
    notes: [],
    partSums: [],
    projectSpent: null,
  };
  fromTables(doc, ev);
  fromTemplate(ev, template);
  zeroTotalFromParts(ev);
  fromSentences(doc, ev);
  totalsWithParts(doc, ev);
  yuanByNarrative(ev);
  sourcesFromSentences(doc, ev);
  return ev;
}

export { findCol };
