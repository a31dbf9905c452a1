import Decimal from "decimal.js";
import type { Cell, DocumentModel } from "../document";
import { gradeFromWord } from "../normalize/grade";
import { decimalOf, parseDecimal } from "../normalize/numbers";
import { flat } from "../normalize/text";
import type { Grade } from "../types";
import { canonicalCategory, type CategoryName } from "./categories";
import { allMatches, cellKey, cellNumber, cellText, findCol, foldedSentences, grids, paragraphs, rowHas, rowIsEmpty, rowMentions, type Grid, type GridRow } from "./doc";
import type { Stated } from "./evidence";

export interface ItemRow {
  level1: string | null;
  level2: string | null;
  name: string;
  weight: Decimal | null;
  score: Decimal | null;
  line: number;
}

/** One scoring table or narrative: its category rows, its item rows and the total it states. */
export interface ScoringSource {
  kind: "categoryTable" | "frameworkTable" | "narrativeItems" | "selfEvaluationTable";
  categories: Map<CategoryName, { weight: Decimal | null; score: Decimal | null; line: number; label: string }>;
  items: ItemRow[];
  total: Stated | null;
  totalWeight: Decimal | null;
}

export interface ScoringEvidence {
  sources: ScoringSource[];
  /** Category weights / scores / 得分率 stated in sentences. */
  categoryWeights: Map<CategoryName, Stated[]>;
  categoryScores: Map<CategoryName, Stated[]>;
  categoryRates: Map<CategoryName, Stated[]>;
  totals: Stated[];
  grade: { grade: Grade; line: number; word: string } | null;
}

const TOTAL_LABEL = /^(总分|合计|总计|综合得分|得分合计|总得分)$/;
const WEIGHT_LABEL = /^(分值|权重|权重分|权重分值|标准分|满分|分数)$/;
const TARGET_LABEL = /^(年度|预期|计划)?(指标值|目标值)$/;

/** Every total label has 总 or 合 in it; most rows' first cell has neither, and needs no key. */
function isTotalLabel(c: Cell): boolean {
  return (c.text.includes("总") || c.text.includes("合")) && TOTAL_LABEL.test(cellKey(c));
}

function textAt(row: GridRow, i: number): string {
  return i >= 0 && i < row.cells.length ? cellText(row.cells[i]) : "";
}

function numberAt(row: GridRow, i: number): Decimal | null {
  return i >= 0 && i < row.cells.length ? cellNumber(row.cells[i]) : null;
}

/** Parses every grid whose header has 一级指标 + a weight column + 得分 (and no target values). */
function fromGrids(doc: DocumentModel): ScoringSource[] {
  const out: ScoringSource[] = [];
  for (const g of grids(doc)) out.push(...scoringTablesIn(g));
  return out;
}

function scoringTablesIn(g: Grid): ScoringSource[] {
  const found: ScoringSource[] = [];
  for (let h = 0; h < g.rows.length; h++) {
    const header = g.rows[h];
    if (!rowMentions(header, "得分")) continue;
    const named = findCol(header, /^(一级指标|评价维度|一级|指标类别|评价内容)$/);
    const l1 = named >= 0 ? named : findCol(header, /^(指标|评价指标|指标名称|项目|维度)$/);
    const scoreCol = findCol(header, /^(得分|实际得分|评价得分|自评得分)$/);
    if (l1 < 0 || scoreCol < 0 || findCol(header, TARGET_LABEL) >= 0) continue;
    const l2 = findCol(header, /^(二级指标|二级)$/);
    const l3 = findCol(header, /^(三级指标|三级|指标名称|评价指标)$/);
    // A weight column belongs to the nearest level column before it.
    let catWeightCol = -1;
    let itemWeightCol = -1;
    header.cells.forEach((c, idx) => {
      if (!WEIGHT_LABEL.test(cellKey(c))) return;
      const owner = Math.max(...[l1, l2, l3].filter((x) => x >= 0 && x < idx));
      if (owner === l1 && l3 >= 0) catWeightCol = idx;
      else if (owner === l3 || (l3 < 0 && owner === l1)) itemWeightCol = idx;
    });
    if (itemWeightCol < 0 && catWeightCol < 0) continue;
    const src: ScoringSource = {
      kind: l3 >= 0 ? "frameworkTable" : "categoryTable",
      categories: new Map(),
      items: [],
      total: null,
      totalWeight: null,
    };
    let level1: string | null = null;
    let level2: string | null = null;
    for (let r = h + 1; r < g.rows.length; r++) {
      const row = g.rows[r];
      if (rowIsEmpty(row)) continue;
      if (rowHas(row, "级") && findCol(row, /^(一级指标|三级指标)$/) >= 0) break;
      const first = row.cells.find((c) => cellText(c));
      if (first && isTotalLabel(first)) {
        const score = numberAt(row, scoreCol);
        if (score) src.total = { value: score, line: row.line, label: `评分表“${cellText(first)}”` };
        src.totalWeight = numberAt(row, itemWeightCol >= 0 ? itemWeightCol : catWeightCol);
        break;
      }
      if (textAt(row, l1)) {
        level1 = textAt(row, l1);
        level2 = null;
      }
      if (l2 >= 0 && textAt(row, l2)) level2 = textAt(row, l2);
      const cat = level1 ? canonicalCategory(level1) : null;
      if (src.kind === "categoryTable") {
        if (cat) src.categories.set(cat, { weight: numberAt(row, itemWeightCol), score: numberAt(row, scoreCol), line: row.line, label: level1! });
        continue;
      }
      if (cat && textAt(row, l1) && catWeightCol >= 0 && numberAt(row, catWeightCol)) {
        src.categories.set(cat, { weight: numberAt(row, catWeightCol), score: null, line: row.line, label: level1! });
      }
      const name = textAt(row, l3);
      const weight = numberAt(row, itemWeightCol);
      const score = numberAt(row, scoreCol);
      if (name && (weight || score)) src.items.push({ level1, level2, name, weight, score, line: row.line });
    }
    if (src.items.length || src.categories.size) found.push(src);
  }
  return found;
}

const FULL_MARKS = /满分为?\s*(\d+(?:\.\d+)?)\s*分[，,]?[^。；;]{0,20}?得\s*(\d+(?:\.\d+)?)\s*分/g;
const QUOTED_ITEM = /“([^”]{1,60})”指标/g;
const NUMBERED_ITEM = /[(（]\d{1,2}[)）]\s*([^：:，,。；;（(“①-⑳]{2,20})(?=[：:，,①-⑳])/g;
const SECTION_ANALYSIS = /\d+[.．、]\s*([\u4e00-\u9fa5]{2,10}?)(?:完成)?情况分析/g;
const CATEGORY_WEIGHT = /(?:项目)?(决策|过程|产出|效益|满意度)(?:类指标)?权重(?:为|是)\s*(\d+(?:\.\d+)?)\s*分/g;

/**
 * Narrative frameworks: "（2）资金到位率：… 本指标满分为4.00分，根据评分标准得3分" under section
 * headings that name the dimension ("（一）项目决策情况").
 */
function narrativeItems(doc: DocumentModel): ScoringSource | null {
  const items: ItemRow[] = [];
  let category: CategoryName | null = null;
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    const heading = /^\s*[(（]?[一二三四五六七八九十\d]+[)）.、]?\s*(?:项目)?(决策|过程|产出|效益|满意度)/.exec(text);
    if (heading && text.length < 30) {
      category = canonicalCategory(heading[1]);
      continue;
    }
    const lead = /^\s*(?:项目)?(决策|过程|产出|效益|满意度)(?:管理)?类指标/.exec(text);
    if (lead) category = canonicalCategory(lead[1]);
    if (!category) continue;
    for (const m of allMatches(FULL_MARKS, text)) {
      const before = text.slice(0, m.index!);
      const name = lastItemName(before);
      if (!name) continue;
      const level2 = lastSubsection(before);
      items.push({ level1: category, level2, name, weight: decimalOf(m[1]), score: decimalOf(m[2]), line: p.line });
    }
  }
  if (!items.length) return null;
  return { kind: "narrativeItems", categories: new Map(), items, total: null, totalWeight: null };
}

/** The item a "满分为…" clause closes: the last “X”指标 or （n）X before it. */
function lastItemName(before: string): string | null {
  let best: { at: number; name: string } | null = null;
  for (const m of allMatches(QUOTED_ITEM, before)) best = { at: m.index!, name: m[1] };
  for (const m of allMatches(NUMBERED_ITEM, before)) {
    if (!best || m.index! > best.at) best = { at: m.index!, name: m[1] };
  }
  return best ? flat(best.name) : null;
}

function lastSubsection(before: string): string | null {
  let name: string | null = null;
  for (const m of allMatches(SECTION_ANALYSIS, before)) name = m[1];
  return name;
}

/** Sentences such as "项目过程类指标…权重分值为20分，实际得分18.11分，得分率为83.59%". */
function categorySentences(doc: DocumentModel, ev: ScoringEvidence) {
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (!text.includes("分")) continue;
    for (const m of allMatches(CATEGORY_WEIGHT, text)) {
      push(ev.categoryWeights, canonicalCategory(m[1])!, { value: decimalOf(m[2]), line: p.line, label: `${m[1]}权重` });
    }
    for (const s of foldedSentences(p)) {
      const subject = /(?:项目)?(决策|过程|产出|效益|满意度)(?:管理)?类?指标/.exec(s.text);
      if (!subject) continue;
      const cat = canonicalCategory(subject[1])!;
      const rest = s.text.slice(subject.index);
      const weight = /权重(?:分值|分)?(?:为|是)?\s*(\d+(?:\.\d+)?)\s*分/.exec(rest);
      const score = /(?:实际)?得分(?:为|是)?\s*(\d+(?:\.\d+)?)\s*分/.exec(rest);
      const rate = /得分率(?:为|是)?\s*(\d+(?:\.\d+)?)\s*%/.exec(rest);
      if (weight) push(ev.categoryWeights, cat, { value: decimalOf(weight[1]), line: p.line, label: `${subject[0]}权重` });
      if (score) push(ev.categoryScores, cat, { value: decimalOf(score[1]), line: p.line, label: `${subject[0]}得分` });
      if (rate && (weight || score)) push(ev.categoryRates, cat, { value: decimalOf(rate[1]), line: p.line, label: `${subject[0]}得分率` });
    }
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const TOTAL_SENTENCE = /(总得分|综合得分|综合评分|评价总分|最终得分|自评得分|自评总分|评价得分|总分)(?!值)(?:为|是|：|:)?\s*(\d+(?:\.\d+)?)\s*分/g;
const GRADE_SENTENCE = /(?:属于|结果|结论|评级|等级|评定|档次|级别|评价)(?:为|是|：|:)*\s*[“"「]?(优秀|良好|中等|不合格|合格|优|良|中|差)(?![、和及])/;

function totalsAndGrade(doc: DocumentModel, ev: ScoringEvidence) {
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (!/分|结果|结论|评级/.test(text)) continue;
    for (const s of foldedSentences(p)) {
      // The scale ("90分-100分…对应的评分结果级别为优") describes grades in general, not this report.
      if (/对应|含\d+分|分以下|分-\d+分|原则上/.test(s.text)) continue;
      let hasTotal = false;
      for (const m of allMatches(TOTAL_SENTENCE, s.text)) {
        ev.totals.push({ value: decimalOf(m[2]), line: p.line, label: m[1] });
        hasTotal = true;
      }
      if (!ev.grade && (hasTotal || /评分结果|评价结论|评价结果|自评结果|绩效评级|等级/.test(s.text))) {
        const g = GRADE_SENTENCE.exec(s.text);
        const grade = g ? gradeFromWord(g[1]) : null;
        if (g && grade) {
          ev.grade = { grade, line: p.line, word: g[1] };
          // "…得分89分，评价等级为良": a plain 得分 beside the grade is the total.
          const plain = hasTotal ? null : /(?<![满均])得分(?:为|是|：|:)?\s*(\d+(?:\.\d+)?)\s*分/.exec(s.text);
          if (plain) ev.totals.push({ value: decimalOf(plain[1]), line: p.line, label: "得分" });
        }
      }
    }
  }
}

/**
 * The standard 项目支出绩效自评表 scores itself: 分值/得分 on the execution-rate row and on every
 * indicator row, and often a 总分 row. Used when the report has no separate scoring framework.
 */
function selfEvaluationTable(doc: DocumentModel): ScoringSource | null {
  for (const g of grids(doc)) {
    const src: ScoringSource = { kind: "selfEvaluationTable", categories: new Map(), items: [], total: null, totalWeight: null };
    let level1: string | null = null;
    let level2: string | null = null;
    let cols: { l1: number; l2: number; l3: number; weight: number; score: number } | null = null;
    for (let idx = 0; idx < g.rows.length; idx++) {
      const row = g.rows[idx];
      if (rowMentions(row, "值") && findCol(row, TARGET_LABEL) >= 0) {
        const weight = findCol(row, /^(分值|权重|指标分值)$/);
        const score = findCol(row, /^(得分|自评得分|实际得分)$/);
        cols = weight >= 0 && score >= 0 ? { l1: findCol(row, /^一级指标$/), l2: findCol(row, /^二级指标$/), l3: findCol(row, /^(三级指标|指标名称|具体指标)$/), weight, score } : null;
        continue;
      }
      // The funding block's 分值/得分 score the execution rate.
      const budgetWeight = cols || !rowMentions(row, "执行率") ? -1 : findCol(row, /^分值$/);
      if (budgetWeight >= 0) {
        const scoreCol = findCol(row, /^得分$/);
        const next = g.rows[idx + 1];
        if (next && scoreCol >= 0 && next.cells.length === row.cells.length) {
          const w = cellNumber(next.cells[budgetWeight]);
          const sc = cellNumber(next.cells[scoreCol]);
          if (w) src.items.push({ level1: "预算执行", level2: null, name: "预算执行率", weight: w, score: sc, line: next.line });
        }
        continue;
      }
      if (!cols || rowIsEmpty(row)) continue;
      const first = row.cells.find((c) => cellText(c));
      if (first && isTotalLabel(first)) {
        const nums = row.cells.map((c) => cellNumber(c)).filter((v): v is Decimal => v !== null);
        // The 总分 row spans the columns before its figures, so its cells do not line up with the
        // header: its figures are the full marks, then the score, in that order.
        const score = nums.length >= 2 ? nums[nums.length - 1] : numberAt(row, cols.score) ?? nums[0] ?? null;
        if (score) src.total = { value: score, line: row.line, label: `自评表“${cellText(first)}”` };
        src.totalWeight = nums.length >= 2 ? nums[0] : numberAt(row, cols.weight);
        break;
      }
      if (cols.l1 >= 0 && textAt(row, cols.l1)) {
        level1 = textAt(row, cols.l1);
        level2 = null;
        noteHeaderWeight(src, level1, row.line);
      }
      if (cols.l2 >= 0 && textAt(row, cols.l2)) level2 = textAt(row, cols.l2);
      const name = textAt(row, cols.l3);
      const weight = numberAt(row, cols.weight);
      const score = numberAt(row, cols.score);
      if (name && weight) src.items.push({ level1, level2, name, weight, score, line: row.line });
    }
    if (src.items.some((i) => i.level1 !== "预算执行")) return src;
  }
  return null;
}

/** "产出指标（40分）": the weight a 一级指标 cell states for its category. */
export function headerWeight(level1: string): Decimal | null {
  const m = /[（(]\s*(\d+(?:\.\d+)?)\s*(?:分|%|％)\s*[)）]\s*$/.exec(level1);
  return m ? decimalOf(m[1]) : null;
}

function noteHeaderWeight(src: ScoringSource, level1: string, line: number): void {
  const cat = canonicalCategory(level1);
  const weight = headerWeight(level1);
  if (cat && weight && !src.categories.has(cat)) src.categories.set(cat, { weight, score: null, line, label: level1 });
}

const TOTAL_CELL = /^(总分|自评总分|自评得分|综合得分|评价得分|总得分|综合评分)$/;
const GRADE_CELL = /^(评价等级|自评等级|绩效等级|等级|评价结果|自评结果|评定等级)$/;

/** A label cell followed by its value: "自评得分 | 89" / "评价等级 | 良" in a summary block of a table. */
function labelledCells(doc: DocumentModel, ev: ScoringEvidence) {
  for (const g of grids(doc)) {
    for (const row of g.rows) {
      for (let i = 0; i + 1 < row.cells.length; i++) {
        // Every total and grade label has 分, 级 or 果 in it; other cells need no key.
        const text = row.cells[i].text;
        if (!text.includes("分") && !text.includes("级") && !text.includes("果")) continue;
        const key = cellKey(row.cells[i]);
        if (key.length > 6) continue;
        const isTotal = TOTAL_CELL.test(key);
        if (!isTotal && !GRADE_CELL.test(key)) continue;
        let value = cellText(row.cells[i + 1]).replace(/分$/, "");
        // "总分 | 100 | 95.24": the full marks, then the score.
        const after = cellText(row.cells[i + 2]).replace(/分$/, "");
        if (isTotal && /^\d+(\.\d+)?$/.test(after) && new Decimal(after).lte(value === "" ? 0 : value)) value = after;
        if (isTotal && /^\d+(\.\d+)?$/.test(value) && row.cells.length <= 4) {
          ev.totals.push({ value: decimalOf(value), line: row.line, label: cellText(row.cells[i]) });
        } else if (!isTotal && !ev.grade) {
          const grade = gradeFromWord(value);
          if (grade) ev.grade = { grade, line: row.line, word: value };
        }
      }
    }
  }
}

export function extractScoringEvidence(doc: DocumentModel): ScoringEvidence {
  const ev: ScoringEvidence = {
    sources: fromGrids(doc),
    categoryWeights: new Map(),
    categoryScores: new Map(),
    categoryRates: new Map(),
    totals: [],
    grade: null,
  };
  const narrative = narrativeItems(doc);
  if (narrative) ev.sources.push(narrative);
  const selfTable = selfEvaluationTable(doc);
  if (selfTable) ev.sources.push(selfTable);
  categorySentences(doc, ev);
  totalsAndGrade(doc, ev);
  labelledCells(doc, ev);
  for (const s of ev.sources) if (s.total) ev.totals.unshift(s.total);
  return ev;
}

export { parseDecimal };
