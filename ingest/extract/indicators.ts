import Decimal from "decimal.js";
import type { DocumentModel } from "../document";
import { decimalOf, parseQuantity, type Quantity } from "../normalize/numbers";
import { flat, labelKey, foldDigits, trimAll } from "../normalize/text";
import type { Comparator, Indicator } from "../types";
import { mapList } from "../arrays";
import { level1ForLevel2 } from "./categories";
import { allMatches, cellNumber, cellText, findCol, paragraphs, rowHas, rowIsEmpty, rowMentions, tables, type GridRow } from "./doc";
import { dec } from "./evidence";

/** An indicator as one place in the report states it; several places may state the same one. */
export interface IndicatorStatement {
  origin: "table" | "narrative";
  level1: string | null;
  level2: string | null;
  name: string;
  target: string | null;
  actual: string | null;
  weight: Decimal | null;
  score: Decimal | null;
  completionRate: Decimal | null;
  deviationReason: string | null;
  line: number;
  /** The report says the result is within a target it does not state ("低于控制指标…"). */
  withinUnstatedTarget?: boolean;
}

const UNIT_SUFFIX = /[（(]\s*(人|次|天|个|班次|%|％|万元|元|件|场|项|户|台|套|期|篇|份|小时|月|年|人次|家|所|批|条|km|公里|亩|平方米|㎡|万人次|元\/人\.天)\s*[)）]$/;

/** "培训人数（人）" → name "培训人数" and unit hint "人". */
export function splitUnitSuffix(name: string): { name: string; unit: string | null } {
  const m = UNIT_SUFFIX.exec(name);
  if (!m) return { name, unit: null };
  return { name: trimAll(name.slice(0, m.index)), unit: m[1] === "％" ? "%" : m[1] };
}

/** Key under which statements of one indicator are merged. */
export function indicatorKey(name: string): string {
  return labelKey(splitUnitSuffix(name).name).replace(/[，,。、；;：:“”"（）()]/g, "");
}

function cleanLevel1(text: string | null): string | null {
  if (!text) return null;
  const s = flat(text).replace(/[（(][^）)]*[)）]$/, "");
  return s || null;
}

/** The 自评表 block of targets: a header with 年度指标值 and 实际完成值, then one row per indicator. */
function fromTables(doc: DocumentModel): IndicatorStatement[] {
  const out: IndicatorStatement[] = [];
  for (const t of tables(doc)) {
    for (let h = 0; h < t.rows.length; h++) {
      const header = t.rows[h];
      if (!rowMentions(header, "值")) continue;
      const target = findCol(header, /^(年度|预期|计划)?(指标值|目标值)$/);
      const actual = findCol(header, /^(实际(完成)?(值|指标值)|完成值|实际值|全年实际值|实际完成情况值)$/);
      if (target < 0 || actual < 0) continue;
      const l1 = findCol(header, /^一级指标$/);
      const l2 = findCol(header, /^二级指标$/);
      let l3 = findCol(header, /^(三级指标|指标名称|具体指标|指标内容|绩效指标名称)$/);
      if (l3 < 0) l3 = target - 1;
      const weight = findCol(header, /^(分值|权重|指标分值)$/);
      const score = findCol(header, /^(得分|自评得分|实际得分)$/);
      const reason = findCol(header, /偏差原因/);
      const rate = findCol(header, /完成率/);
      let level1: string | null = null;
      let level2: string | null = null;
      for (let r = h + 1; r < t.rows.length; r++) {
        const row = t.rows[r];
        if (rowIsEmpty(row)) continue;
        // A second header ends the block; only a row with 值 or 级 in it can be one.
        if ((rowHas(row, "值") && findCol(row, /^(年度|预期|计划)?(指标值|目标值)$/) >= 0) || (rowHas(row, "级") && findCol(row, /^一级指标$/) >= 0)) break;
        if (l1 >= 0 && textAt(row, l1)) {
          level1 = cleanLevel1(textAt(row, l1));
          level2 = null;
        }
        if (l2 >= 0 && textAt(row, l2)) level2 = textAt(row, l2);
        const name = textAt(row, l3);
        if (!name || (!textAt(row, target) && !textAt(row, actual))) continue;
        out.push({
          origin: "table",
          level1,
          level2,
          name,
          target: textAt(row, target) || null,
          actual: textAt(row, actual) || null,
          weight: numberAt(row, weight),
          score: numberAt(row, score),
          completionRate: rateOf(textAt(row, rate)),
          deviationReason: textAt(row, reason) || null,
          line: row.line,
        });
      }
      h = t.rows.length;
    }
  }
  return out;
}

function textAt(row: GridRow, i: number): string {
  return i >= 0 && i < row.cells.length ? cellText(row.cells[i]) : "";
}

function numberAt(row: GridRow, i: number): Decimal | null {
  return i >= 0 && i < row.cells.length ? cellNumber(row.cells[i]) : null;
}

function rateOf(text: string): Decimal | null {
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(foldDigits(text).trim());
  return m ? decimalOf(m[1]) : null;
}

const LEVEL2_HEADING = /^[①-⑳\d.、．（()）\s]*([\u4e00-\u9fa5]{2,10}?指标)(?:方面)?[：:]?$/;

/**
 * Whether a paragraph can hold "指标值…，实际完成值…" at all: the full pattern below backtracks badly on
 * long paragraphs that merely mention 指标值, so they are ruled out first by what it needs.
 */
function mayStateTarget(text: string): boolean {
  const a = text.indexOf("指标值");
  const b = text.indexOf("目标值");
  const first = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  if (first < 0) return false;
  ACTUAL_AFTER.lastIndex = first + 3;
  return ACTUAL_AFTER.test(text);
}

const ACTUAL_AFTER = /[，,；;]\s*(?:实际(?:完成)?值|完成值)/g;

/**
 * Narrative targets, one per line or clause:
 *   "培训场次:指标值：>=12场，实际完成值：10场，指标完成率83.33%；偏差原因：…"
 *   "指标1：培训人数（人），指标值：≥350人，实际完成值：0人，指标完成率0%，偏差原因：…"
 */
function fromColonNarrative(doc: DocumentModel): IndicatorStatement[] {
  const out: IndicatorStatement[] = [];
  let level2: string | null = null;
  for (const p of paragraphs(doc)) {
    const text = p.folded.trim();
    const heading = LEVEL2_HEADING.exec(text);
    if (heading) {
      level2 = heading[1];
      continue;
    }
    if (/(?:^|[、.．\s])[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]/.test(text)) level2 = null;
    if (!mayStateTarget(text)) continue;
    const m = /^(.*?)[，,:：;；\s]*(?:年度|预期)?(?:指标值|目标值)[：:为]?\s*(.*?)\s*[，,；;]\s*(?:实际(?:完成)?值|完成值)[：:为]?\s*(.*?)\s*(?:[，,；;。]\s*(?:指标)?完成率(?:为)?[：:]?\s*(\d+(?:\.\d+)?)\s*%)?\s*(?:[，,；;。]\s*偏差原因(?:分析)?[：:]?\s*(.*?))?[。；;\s]*$/.exec(text);
    if (!m) continue;
    let pre = trimAll(m[1]).replace(/^(?:[①-⑳\d.、．\s]|[（(]\d{1,2}[)）])+/, "");
    let own2: string | null = null;
    const parts = mapList(pre.split(/[：:]/), (part) => trimAll(part)).filter(Boolean);
    if (parts.length >= 2) {
      const head = parts[0];
      pre = parts[parts.length - 1];
      if (/指标$/.test(head) && !/^指标\d+$/.test(head)) own2 = head;
    }
    pre = pre.replace(/^指标\d+\s*/, "").replace(/[，,]$/, "");
    if (!pre || pre.length > 60) continue;
    const lv2 = own2 ?? level2;
    out.push({
      origin: "narrative",
      level1: level1ForLevel2(lv2),
      level2: lv2,
      name: pre,
      target: trimAll(m[2]) || null,
      actual: trimAll(m[3]) || null,
      weight: null,
      score: null,
      completionRate: m[4] ? decimalOf(m[4]) : null,
      deviationReason: m[5] ? trimAll(m[5]).replace(/[。]$/, "") || null : null,
      line: p.line,
    });
  }
  return out;
}

const QUOTED_TARGET = /“([^”]{1,80})”指标[：:，,]\s*(?:预期|年度)?指标值为?[：:]?\s*“([^”]*)”[，,]\s*实际完成(?:指标)?值为?[：:]?\s*“([^”]*)”/g;

/**
 * Quoted narrative, many per paragraph:
 *   "“巡查次数”指标：预期指标值为“≥24次”，实际完成指标值为“=24次”，指标完成率为100%。… 本指标满分为4分，根据评分标准得4分。"
 */
function fromQuotedNarrative(doc: DocumentModel): IndicatorStatement[] {
  const out: IndicatorStatement[] = [];
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (!text.includes("”指标")) continue;
    const matches = allMatches(QUOTED_TARGET, text);
    matches.forEach((m, i) => {
      const end = i + 1 < matches.length ? matches[i + 1].index! : text.length;
      const tail = text.slice(m.index! + m[0].length, end);
      const rate = /^[，,]?\s*(?:指标)?完成率(?:为)?\s*(\d+(?:\.\d+)?)\s*%/.exec(tail);
      const points = /满分为?\s*(\d+(?:\.\d+)?)\s*分[，,]?[^。；;]{0,20}?得\s*(\d+(?:\.\d+)?)\s*分/.exec(tail);
      const reason = /偏差原因(?:分析)?(?:为|是)?[：:]?\s*([^。]+)/.exec(tail);
      const level2 = lastHeading(text.slice(0, m.index!));
      out.push({
        origin: "narrative",
        level1: level1ForLevel2(level2),
        level2,
        name: trimAll(m[1]),
        target: trimAll(m[2]) || null,
        actual: trimAll(m[3]) || null,
        weight: points ? decimalOf(points[1]) : null,
        score: points ? decimalOf(points[2]) : null,
        completionRate: rate ? decimalOf(rate[1]) : null,
        deviationReason: reason ? trimAll(reason[1]) : null,
        line: p.line,
      });
    });
  }
  return out;
}

const SECTION_ANALYSIS = /\d+[.．、]\s*([\u4e00-\u9fa5]{2,10}?)(?:完成)?情况分析/g;

function lastHeading(before: string): string | null {
  let name: string | null = null;
  for (const m of allMatches(SECTION_ANALYSIS, before)) name = m[1];
  if (name && !/指标$/.test(name)) name = `${name}指标`;
  return name;
}

/** A figure with its unit, as narrative writes results and targets ("28.6万亩", "0.35‰", "0.8人/万车"). */
const FIGURE = "(\\d+(?:\\.\\d+)?\\s*(?:%|‰|[\\u4e00-\\u9fa5]{1,4}(?:/[\\u4e00-\\u9fa5.·]{1,4})?)?)";
const RESULT_CLAUSE = new RegExp(`^(?:[（(]?[一二三四五六七八九十\\d]{1,2}[)）.、．]\\s*)?(?:全年|本年度|年内|全县|累计|共)*(?:完成|实现)?([\\u4e00-\\u9fa5A-Za-z（）()]{2,30}?)(?:为|达到|达|是|共计|累计|提高到|提高至|提升到|提升至|增加到|增长到|降低到|降低至|降至|下降到|下降至|控制在)?\\s*${FIGURE}$`);
/** "年度目标28万亩", "比目标值90%高5个百分点", "目标值为90%", "年度目标不低于90%". */
const TARGET_CLAUSE = new RegExp(`^(?:较|比)?(?:年度|全年|计划)?(?:目标值?|计划值?|指标值|任务数?)(?:为|是|：|:)?\\s*((?:不低于|不少于|不高于|不超过|≥|≤|>=|<=|达到)?\\s*${FIGURE.slice(1, -1)})`);
/** "养护里程年度目标100公里" / "计划培训300人次": a target stated before its result. */
const PLANNED_CLAUSE = new RegExp(`^(?:[（(]?[一二三四五六七八九十\\d]{1,2}[)）.、．]\\s*)?([\\u4e00-\\u9fa5A-Za-z（）()]{2,30}?)(?:的)?(?:年度|全年)?(?:目标值?|计划值?|任务)(?:为|是|：|:)?\\s*((?:不低于|不少于|不高于|不超过|≥|≤|>=|<=)?\\s*${FIGURE.slice(1, -1)})$`);
/** "实际完成102公里" / "实际为98%". */
const DONE_CLAUSE = new RegExp(`^实际(?:完成|达到|为|是|达)?(?:了)?\\s*${FIGURE}$`);
/** "控制在7万元以内", "不低于95%". */
const BOUND_CLAUSE = new RegExp(`^((?:控制在|不超过|不高于|不低于|不少于)\\s*${FIGURE.slice(1, -1)}(?:以内|以下|以上)?)$`);
/** "高于目标值90%": the target; "低于控制指标2.65‰": the gap below a cap or the cap itself — unknown. */
/** "高于95%的目标值", "达到90%以上的目标": the figure before 的目标 is the target. */
const TARGET_AFTER_CLAUSE = new RegExp(`^(?:高于|超过|优于|达到|完成|低于|未超过|控制在)?\\s*(${FIGURE.slice(1, -1)}(?:以上|以内|以下)?)的(?:年度)?(?:目标值?|计划值?|目标要求|要求)`);
const COMPARED_CLAUSE = new RegExp(`^(高于|低于|超过|优于|未超过|未达到)(?:年度)?(目标值?|计划值?|控制指标|控制值|控制线|国家标准|标准|指标)\\s*${FIGURE}`);

/**
 * Narrative targets in plain sentences, for reports without a 自评表:
 *   "完成食叶害虫防治面积1.35万亩，年度目标1.2万亩。"  "测报准确率92%，年度目标不低于90%。"
 *   "平均每公里建设成本6.2万元，控制在7万元以内。"      "成灾率0.35‰，低于控制指标2.65‰。"
 * In the last form the second figure may be the cap or the margin under it (0.35 + 2.65 = 3): the
 * target stays unknown, and the result is within it.
 */
function fromResultSentences(doc: DocumentModel): IndicatorStatement[] {
  const out: IndicatorStatement[] = [];
  let level2: string | null = null;
  for (const p of paragraphs(doc)) {
    const text = p.folded.trim();
    const heading = /^[（(]?[一二三四五六七八九十\d]{1,2}[)）.、．]?\s*([\u4e00-\u9fa5]{2,8}指标)[：:]?$/.exec(text);
    if (heading) {
      level2 = heading[1];
      continue;
    }
    if (!/\d/.test(text) || text.length > 400) continue;
    for (const sentence of text.split(/[。；;]/)) {
      const clauses = sentence.split(/[，,]/).map((c) => c.trim());
      // "（1）数量指标：完成…" names its 二级指标 before the result.
      const lead = /^(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）.、．]\s*)?([\u4e00-\u9fa5]{2,8}指标)[：:]\s*/.exec(clauses[0] ?? "");
      if (lead) {
        level2 = lead[1];
        clauses[0] = clauses[0].slice(lead[0].length);
      }
      for (let k = 0; k + 1 < clauses.length; k++) {
        // both readings below end the clause on a figure
        if (!/\d/.test(clauses[k])) continue;
        // Target first: "养护里程年度目标100公里，实际完成102公里".
        const planned = PLANNED_CLAUSE.exec(clauses[k]);
        const done = planned ? DONE_CLAUSE.exec(clauses[k + 1]) : null;
        if (planned && done) {
          const name = trimAll(planned[1]).replace(/^(?:平均|其中)/, "");
          if (name.length >= 2 && !/预算|资金|支出|执行率|得分|分值|总分/.test(name)) {
            out.push({ origin: "narrative", level1: level1ForLevel2(level2), level2, name, target: trimAll(planned[2]), actual: trimAll(done[1]), weight: null, score: null, completionRate: null, deviationReason: null, line: p.line });
          }
          continue;
        }
        const result = RESULT_CLAUSE.exec(clauses[k]);
        if (!result) continue;
        const next = clauses[k + 1];
        let target: string | null = null;
        let met: "within" | null = null;
        const t = TARGET_CLAUSE.exec(next) ?? BOUND_CLAUSE.exec(next) ?? TARGET_AFTER_CLAUSE.exec(next);
        const c = t ? null : COMPARED_CLAUSE.exec(next);
        if (t) target = trimAll(t[1]);
        else if (c && /目标|计划/.test(c[2])) target = trimAll(c[3]);
        else if (c && /^(低于|未超过|优于)$/.test(c[1])) met = "within";
        else continue;
        const name = trimAll(result[1]).replace(/^(?:平均|其中)/, "");
        if (name.length < 2 || /预算|资金|支出|执行率|得分|分值|总分/.test(name)) continue;
        out.push({
          origin: "narrative",
          level1: level1ForLevel2(level2),
          level2,
          name,
          target,
          actual: trimAll(result[2]),
          weight: null,
          score: null,
          completionRate: null,
          deviationReason: null,
          line: p.line,
          ...(met ? { withinUnstatedTarget: true } : {}),
        });
      }
    }
  }
  return out;
}

export function indicatorStatements(doc: DocumentModel): IndicatorStatement[] {
  const tables = fromTables(doc);
  const colon = fromColonNarrative(doc);
  const quoted = fromQuotedNarrative(doc);
  // Plain sentences are read as targets only where the report has no other statement of them; in a
  // report with a target table they only fill that table's own indicators.
  const known = new Set([...tables, ...colon, ...quoted].map((s) => indicatorKey(s.name)));
  const sentences = fromResultSentences(doc).filter((s) => known.size === 0 || known.has(indicatorKey(s.name)));
  return [...tables, ...colon, ...quoted, ...sentences];
}

const NEGATIVE = /未|没有|不|无法|延迟|滞后|推迟|取消/;

/** 元, 万元, 亿元 and a bare 万 are money; 万亩 or 万人次 are not. */
function isMoneyUnit(unit: string | null): boolean {
  return !!unit && (/元/.test(unit) || unit === "万");
}
const POSITIVE = /达到|达成|完成|合格|达标|有效|显著|满意|良好|是|按期|按时|及时|提升|提高|保障|正常|长期|全年|改善|明显|建立|实现|落实|到位|稳定|持续|增强|已/;

/**
 * Whether a target was met, from the comparator's meaning: a cap ("≤30万") is met by staying under it,
 * a floor by reaching it. Without a comparator a money target is read as a cap and anything else as a
 * floor. Text targets are met when the result restates them or reads as achieved.
 */
export function judgeMet(
  comparator: Comparator | null,
  target: Decimal | null,
  actual: Decimal | null,
  unit: string | null,
  targetText: string | null,
  actualText: string | null,
): boolean | null {
  if (target !== null && actual !== null) {
    const cmp = comparator ?? (isMoneyUnit(unit) ? "<=" : ">=");
    switch (cmp) {
      case ">=":
        return actual.gte(target);
      case ">":
        return actual.gt(target);
      case "<=":
        return actual.lte(target);
      case "<":
        return actual.lt(target);
      case "=":
        return isMoneyUnit(unit) ? actual.eq(target) : actual.gte(target);
    }
  }
  if (target !== null && actual === null) {
    return actualText ? (NEGATIVE.test(actualText) ? false : POSITIVE.test(actualText) ? true : null) : null;
  }
  const t = targetText ? labelKey(targetText) : "";
  const a = actualText ? labelKey(actualText) : "";
  if (!a) return null;
  if (t && a === t) return true;
  // "已建立" for "建立", "全部完成" for "完成": the result restates the target.
  if (t && a.includes(t) && !NEGATIVE.test(a.replace(t, ""))) return true;
  if (NEGATIVE.test(a)) return false;
  if (POSITIVE.test(a)) return true;
  return null;
}

/** Values in the same unit family: 万元 target vs 元 actual are compared in 万元. */
function alignUnits(value: Decimal, unit: string | null, toUnit: string | null): Decimal {
  if (!unit || !toUnit || unit === toUnit) return value;
  const wan = (u: string) => (u === "元" ? new Decimal("0.0001") : u === "万元" || u === "万" ? new Decimal(1) : u === "亿元" ? new Decimal(10000) : null);
  const from = wan(unit);
  const to = wan(toUnit);
  return from && to ? value.mul(from).div(to) : value;
}

function addTo(groups: Map<string, IndicatorStatement[]>, key: string, s: IndicatorStatement): void {
  const list = groups.get(key) ?? [];
  list.push(s);
  groups.set(key, list);
}

function quantityOf(memo: Map<string | null, Quantity | null>, text: string | null): Quantity | null {
  let q = memo.get(text);
  if (q === undefined) memo.set(text, (q = parseQuantity(text)));
  return q;
}

/** The first statement's value for `k` that says something. */
function firstStated<K extends keyof IndicatorStatement>(list: IndicatorStatement[], k: K): IndicatorStatement[K] | null {
  for (const s of list) if (s[k] !== null && s[k] !== undefined && s[k] !== "") return s[k];
  return null;
}

/** One Indicator per name, the 自评表 row first and the narrative filling what it leaves out. */
export function mergeIndicators(statements: IndicatorStatement[]): { indicators: Indicator[]; conflicts: { name: string; field: string; a: string; b: string; lineA: number; lineB: number }[] } {
  const groups = new Map<string, IndicatorStatement[]>();
  // Exact names first; then a narrative name that only extends a table name ("X，推动…") joins the
  // table's row — but never two table rows, which are distinct indicators by construction.
  const keys = mapList(statements, (s) => indicatorKey(s.name));
  const tableKeys = new Set(keys.filter((_, i) => statements[i].origin === "table"));
  const deferred: { s: IndicatorStatement; k: string }[] = [];
  statements.forEach((s, i) => {
    const k = keys[i];
    if (!k) return;
    if (s.origin === "narrative" && !tableKeys.has(k)) deferred.push({ s, k });
    else addTo(groups, k, s);
  });
  for (const { s, k } of deferred) {
    const prefix = [...groups.keys()]
      .filter((g) => groups.get(g)!.some((x) => x.origin === "table") && g.length >= 4 && k.length >= 4 && (k.startsWith(g) || g.startsWith(k)))
      .sort((a, b) => b.length - a.length)[0];
    addTo(groups, prefix ?? k, s);
  }
  const conflicts: { name: string; field: string; a: string; b: string; lineA: number; lineB: number }[] = [];
  const indicators: Indicator[] = [];
  // Target and actual texts are read again when statements are compared; each is parsed once.
  const quantities = new Map<string | null, Quantity | null>();
  for (const list of groups.values()) {
    list.sort((a, b) => (a.origin === b.origin ? 0 : a.origin === "table" ? -1 : 1));
    const first = list[0];
    const { name, unit: unitHint } = splitUnitSuffix(first.name);
    const targetText = firstStated(list, "target") as string | null;
    const actualText = firstStated(list, "actual") as string | null;
    const tq = quantityOf(quantities, targetText);
    const aq = quantityOf(quantities, actualText);
    let unit = tq?.unit ?? aq?.unit ?? unitHint;
    if (unit === "万" && /资金|费|支出|金额|成本|经费|工资/.test(name)) unit = "万元";
    const targetValue = tq?.value ?? null;
    const actualValue = aq ? alignUnits(aq.value, aq.unit === "万" ? "万元" : aq.unit, unit === "万" ? "万元" : tq?.unit ?? aq.unit) : null;
    // The same target or result stated with different numbers in two places.
    for (const s of list.slice(1)) {
      for (const field of ["target", "actual"] as const) {
        const a = quantityOf(quantities, first[field]);
        const b = quantityOf(quantities, s[field]);
        if (a && b && !a.value.eq(b.value)) conflicts.push({ name, field, a: first[field]!, b: s[field]!, lineA: first.line, lineB: s.line });
      }
    }
    const comparator = tq?.comparator ?? null;
    indicators.push({
      level1: firstStated(list, "level1") as string | null,
      level2: firstStated(list, "level2") as string | null,
      name,
      target: targetText,
      actual: actualText,
      comparator,
      targetValue: dec(targetValue),
      actualValue: dec(actualValue),
      unit: unit ?? null,
      weight: dec(firstStated(list, "weight") as Decimal | null),
      score: dec(firstStated(list, "score") as Decimal | null),
      completionRate: dec(firstStated(list, "completionRate") as Decimal | null),
      met: targetText === null && list.some((x) => x.withinUnstatedTarget) ? true : judgeMet(comparator, targetValue, actualValue, unit ?? null, targetText, actualText),
      deviationReason: firstStated(list, "deviationReason") as string | null,
      line: first.line,
    });
  }
  return { indicators, conflicts };
}
