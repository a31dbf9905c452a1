import Decimal from "decimal.js";
import { agreesWhenRounded } from "../normalize/numbers";
import { mapList } from "../arrays";
import { canonicalCategory, CATEGORY_ORDER, type CategoryName } from "./categories";
import { choose, distinctValues, type Conflict, type Stated } from "./evidence";
import type { BudgetEvidence } from "./budget";
import type { ItemRow, ScoringEvidence, ScoringSource } from "./scoring";

export interface ReconciledBudget {
  initial: Stated | null;
  adjusted: Stated | null;
  received: Stated | null;
  spent: Stated | null;
  executionRate: Stated | null;
  conflicts: Conflict[];
  /** A stated rate replaced by spent ÷ budget because the report's own figures side with the latter. */
  rateOverride: { stated: Stated; computed: Decimal; why: "score" | "fraction" } | null;
}

const HUNDRED = new Decimal(100);
const ZERO = new Decimal(0);

/**
 * One value per budget quantity. Where the report states a quantity twice with different values, the
 * one that agrees with the others (spent ÷ budget = stated rate) wins.
 */
export function reconcileBudget(ev: BudgetEvidence): ReconciledBudget {
  const conflicts: Conflict[] = [];
  const rates = mapList(distinctValues(ev.stated.executionRate), (s) => s.value);
  const spentValues = mapList(distinctValues(ev.stated.spent), (s) => s.value);

  const initial = pickBudget(conflicts, "budget.initial", "年初预算数", ev.stated.initial);
  const adjusted = pickBudget(conflicts, "budget.adjusted", "全年预算数", ev.stated.adjusted, (a) => spentValues.some((s) => rates.some((r) => agrees(s, a, r))));
  const basis = adjusted?.value ?? initial?.value ?? null;
  const spent = pickBudget(conflicts, "budget.spent", "全年执行数", ev.stated.spent, (s) => basis !== null && rates.some((r) => agrees(s, basis, r)));
  const executionRate = pickBudget(conflicts, "budget.executionRate", "预算执行率", ev.stated.executionRate, (r) => basis !== null && spent !== null && agrees(spent.value, basis, r));
  const received = pickBudget(conflicts, "budget.received", "实际到位资金", ev.stated.received);
  const override = rateOverride(executionRate, basis, spent, ev.rateScore);
  return {
    initial,
    adjusted: adjusted ?? initial,
    received,
    spent,
    executionRate: override ? { value: override.computed, line: executionRate!.line, label: "全年执行数÷全年预算数" } : executionRate,
    conflicts,
    rateOverride: override,
  };
}

/**
 * A stated rate that spent ÷ budget contradicts gives way when the report itself sides with the
 * division: the execution-rate row's 得分 ÷ 分值 gives the computed rate (20 × 25% = 5 beside a printed
 * "0.2"), or the rate was written as a fraction (0.25 for 25%).
 */
function rateOverride(stated: Stated | null, basis: Decimal | null, spent: Stated | null, rateScore: BudgetEvidence["rateScore"]): ReconciledBudget["rateOverride"] {
  if (!stated || !basis || !spent || basis.isZero()) return null;
  const exact = spent.value.div(basis).mul(HUNDRED);
  if (agreesWhenRounded(stated.value, exact)) return null;
  const computed = exact.toDecimalPlaces(2);
  if (stated.value.lte(1) && agreesWhenRounded(stated.value.mul(HUNDRED), exact)) return { stated, computed, why: "fraction" };
  if (rateScore && !rateScore.weight.isZero()) {
    const byScore = rateScore.score.div(rateScore.weight).mul(HUNDRED);
    const capped = Decimal.min(exact, HUNDRED);
    const statedCapped = Decimal.min(stated.value, HUNDRED);
    // The score is rounded to what its row prints; a point of the weight either way still agrees.
    const tolerance = HUNDRED.div(rateScore.weight).div(2).plus("0.01");
    if (byScore.minus(capped).abs().lte(tolerance) && byScore.minus(statedCapped).abs().gt(tolerance)) return { stated, computed, why: "score" };
  }
  return null;
}

function pickBudget(conflicts: Conflict[], field: string, what: string, cands: Stated[], ok?: (v: Decimal) => boolean): Stated | null {
  const r = choose(field, what, cands, ok, "与预算执行率等其他数据一致");
  conflicts.push(...r.conflicts);
  return r.value;
}

/** Whether spent ÷ budget gives the stated rate, as the report rounds it. */
function agrees(spent: Decimal, budget: Decimal, rate: Decimal): boolean {
  return !budget.isZero() && agreesWhenRounded(rate, spent.div(budget).mul(HUNDRED));
}

export interface CategoryCheck {
  name: CategoryName;
  statedWeights: Stated[];
  statedScores: Stated[];
  statedRates: Stated[];
  itemWeightSum: Decimal | null;
  itemScoreSum: Decimal | null;
  weight: Decimal | null;
  score: Decimal | null;
  line: number | null;
}

export interface ReconciledScoring {
  categories: CategoryCheck[];
  items: ItemRow[];
  total: Stated | null;
  totalDerived: boolean;
  totalWeight: Decimal;
  conflicts: Conflict[];
}

function sum(values: (Decimal | null)[]): Decimal | null {
  const present = values.filter((v): v is Decimal => v !== null);
  return present.length ? present.reduce((a, b) => a.plus(b), new Decimal(0)) : null;
}

/**
 * Picks one value per category so that categories add up to the stated total (scores) and to the
 * full weight (weights), preferring what a scoring table states over sentences and item sums.
 */
function bestCombination(options: Decimal[][], target: Decimal | null): number[] {
  const choice = mapList(options, () => 0);
  if (!target || options.every((o) => o.length <= 1)) return choice;
  // Depth first, most preferred option first: of the combinations that cost least, the first found is
  // kept, so a branch already costing as much as the best found cannot win and is not walked.
  const n = options.length;
  const idx = choice.slice();
  let best: number[] | null = null;
  let bestCost = Infinity;
  const walk = (i: number, acc: Decimal, cost: number): void => {
    if (i === n) {
      if (cost < bestCost && acc.eq(target)) {
        best = idx.slice();
        bestCost = cost;
      }
      return;
    }
    const opts = options[i];
    if (!opts.length) {
      idx[i] = 0;
      walk(i + 1, acc, cost);
      return;
    }
    for (let k = 0; k < opts.length && cost + k < bestCost; k++) {
      idx[i] = k;
      walk(i + 1, acc.plus(opts[k]), cost + k);
    }
  };
  walk(0, ZERO, 0);
  return best ?? choice;
}

export function reconcileScoring(ev: ScoringEvidence): ReconciledScoring {
  const conflicts: Conflict[] = [];
  const categoryTable: ScoringSource | undefined = ev.sources.find((s) => s.kind === "categoryTable");
  // The framework that carries the stated total wins; a 自评表 scores the report only when nothing else does.
  const itemSource: ScoringSource | undefined =
    ev.sources.find((s) => s.kind === "frameworkTable" && s.items.length) ??
    ev.sources.find((s) => s.kind === "narrativeItems") ??
    (categoryTable ? undefined : ev.sources.find((s) => s.kind === "selfEvaluationTable"));
  const items = itemSource?.items ?? [];
  const itemCategories = mapList(items, (it) => (it.level1 ? canonicalCategory(it.level1) : null));

  const checks: CategoryCheck[] = mapList(CATEGORY_ORDER, (name) => {
    const own = items.filter((_, i) => itemCategories[i] === name);
    const statedWeights: Stated[] = [];
    const statedScores: Stated[] = [];
    const ct = categoryTable?.categories.get(name);
    if (ct?.weight) statedWeights.push({ value: ct.weight, line: ct.line, label: `评分表“${ct.label}”权重` });
    if (ct?.score) statedScores.push({ value: ct.score, line: ct.line, label: `评分表“${ct.label}”得分` });
    const ft = itemSource?.categories.get(name);
    if (ft?.weight) statedWeights.push({ value: ft.weight, line: ft.line, label: `指标体系表“${ft.label}”分值` });
    statedWeights.push(...(ev.categoryWeights.get(name) ?? []));
    statedScores.push(...(ev.categoryScores.get(name) ?? []));
    return {
      name,
      statedWeights,
      statedScores,
      statedRates: ev.categoryRates.get(name) ?? [],
      itemWeightSum: own.length ? sum(mapList(own, (i) => i.weight)) : null,
      itemScoreSum: own.length ? sum(mapList(own, (i) => i.score)) : null,
      weight: null,
      score: null,
      line: ct?.line ?? ft?.line ?? own[0]?.line ?? statedScores[0]?.line ?? null,
    };
  });

  // Options per category, most preferred first: a scoring table's figure, then item sums, then sentences.
  const scoreOptions = mapList(checks, (c) => {
    const values: Decimal[] = [];
    if (categoryTable && c.statedScores.length) values.push(c.statedScores[0].value);
    if (c.itemScoreSum) values.push(c.itemScoreSum);
    for (const s of c.statedScores) values.push(s.value);
    return uniq(values);
  });
  const weightOptions = mapList(checks, (c) => {
    const values: Decimal[] = [];
    for (const s of c.statedWeights) values.push(s.value);
    if (c.itemWeightSum) values.push(c.itemWeightSum);
    return uniq(values);
  });

  const tableTotals = ev.totals;
  const provisional = sum(mapList(scoreOptions, (o) => o[0] ?? null));
  const totalPick = choose("score.total", "总得分", tableTotals, (v) => provisional !== null && v.eq(provisional), "与各类得分之和一致");
  conflicts.push(...totalPick.conflicts);
  let total = totalPick.value;
  const scoreChoice = bestCombination(scoreOptions, total?.value ?? null);
  const totalWeight = categoryTable?.totalWeight ?? itemSource?.totalWeight ?? HUNDRED;
  const weightChoice = bestCombination(weightOptions, weightOptions.some((o) => o.length) ? totalWeight : null);

  checks.forEach((c, i) => {
    c.score = scoreOptions[i][scoreChoice[i]] ?? null;
    c.weight = weightOptions[i][weightChoice[i]] ?? null;
    // Two sentences or tables giving one category different figures.
    for (const [list, what, field] of [[c.statedScores, `${c.name}得分`, `categories.${c.name}.score`], [c.statedWeights, `${c.name}权重`, `categories.${c.name}.weight`]] as const) {
      const chosenValue = field.endsWith("score") ? c.score : c.weight;
      if (!chosenValue) continue;
      const chosen = list.find((s) => s.value.eq(chosenValue));
      const differing = distinctValues(list).filter((s) => !s.value.eq(chosenValue));
      if (chosen) for (const other of differing) conflicts.push({ field, what, chosen, other, reason: "与总分及其他各项数据一致" });
    }
  });

  let totalDerived = false;
  const categories = checks.filter((c) => (c.weight && !c.weight.isZero()) || (c.score && !c.score.isZero()));
  // A total is derived only from a complete framework: an excerpt cut off mid-table has a partial sum.
  const weightSum = sum(mapList(categories, (c) => c.weight));
  const complete = weightSum === null || weightSum.eq(totalWeight);
  if (!total && complete && categories.length >= 2 && categories.every((c) => c.score)) {
    total = { value: sum(mapList(categories, (c) => c.score))!, line: categories[0].line ?? 0, label: "各类得分之和" };
    totalDerived = true;
  }
  return { categories, items, total, totalDerived, totalWeight, conflicts };
}

function uniq(values: Decimal[]): Decimal[] {
  const out: Decimal[] = [];
  for (const v of values) if (!out.some((o) => o.eq(v))) out.push(v);
  return out;
}
