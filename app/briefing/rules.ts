import Decimal from "decimal.js";
import { z } from "zod";
import type { GradeBand, Percent } from "../../db/queries/types";
import type { ThresholdsX100 } from "../../db/queries/briefing";

/**
 * 评价结果应用: how a grade and an execution rate turn into a budget recommendation.
 * The thresholds are settings (defaults are the usual bands); everything here is pure.
 */

export interface Thresholds {
  /** score at or above which a result is 优 */
  excellent: number;
  /** score at or above which a result is 良 */
  good: number;
  /** score at or above which a result is 中; below is 差 */
  fair: number;
  /** execution rate (percent) below which the budget is a candidate for a cut */
  lowExecution: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { excellent: 90, good: 80, fair: 60, lowExecution: 60 };
/** The search params that carry the thresholds; they survive a change of the dashboard filters. */
export const THRESHOLD_PARAMS = ["ex", "good", "fair", "low"];

const score = z.coerce.number().min(0).max(100).multipleOf(0.01);

/** Thresholds from URL params (ex, good, fair, low); an invalid or inconsistent set falls back to the defaults. */
export const thresholdsSchema = z
  .object({ excellent: score, good: score, fair: score, lowExecution: score })
  .refine((t) => t.excellent > t.good && t.good > t.fair, { message: "thresholds must be decreasing" });

export function parseThresholds(params: URLSearchParams): Thresholds {
  const pick = (key: string, fallback: number) => {
    const v = params.get(key);
    return v === null || v.trim() === "" ? fallback : v;
  };
  const r = thresholdsSchema.safeParse({
    excellent: pick("ex", DEFAULT_THRESHOLDS.excellent),
    good: pick("good", DEFAULT_THRESHOLDS.good),
    fair: pick("fair", DEFAULT_THRESHOLDS.fair),
    lowExecution: pick("low", DEFAULT_THRESHOLDS.lowExecution),
  });
  return r.success ? r.data : { ...DEFAULT_THRESHOLDS };
}

/** The URL params for non-default thresholds (so links and downloads keep the analyst's settings). */
export function thresholdsSearch(t: Thresholds): URLSearchParams {
  const out = new URLSearchParams();
  if (t.excellent !== DEFAULT_THRESHOLDS.excellent) out.set("ex", String(t.excellent));
  if (t.good !== DEFAULT_THRESHOLDS.good) out.set("good", String(t.good));
  if (t.fair !== DEFAULT_THRESHOLDS.fair) out.set("fair", String(t.fair));
  if (t.lowExecution !== DEFAULT_THRESHOLDS.lowExecution) out.set("low", String(t.lowExecution));
  return out;
}

export function toX100(t: Thresholds): ThresholdsX100 {
  const x = (v: number) => new Decimal(v).times(100).toDecimalPlaces(0).toNumber();
  return { excellent: x(t.excellent), good: x(t.good), fair: x(t.fair), lowExecution: x(t.lowExecution) };
}

/** The band of a score (decimal string) under the thresholds; null when there is no score. */
export function gradeBand(scoreValue: string | null, t: Thresholds): GradeBand | null {
  if (scoreValue === null) return null;
  const s = new Decimal(scoreValue);
  if (s.gte(t.excellent)) return "优";
  if (s.gte(t.good)) return "良";
  if (s.gte(t.fair)) return "中";
  return "差";
}

export function isLowExecution(rate: Percent, t: Thresholds): boolean {
  return rate !== null && new Decimal(rate).lt(t.lowExecution);
}

export type RecommendationAction = "support" | "keep" | "improve" | "cut";

const ACTION_BY_BAND: Record<GradeBand, RecommendationAction> = { 优: "support", 良: "keep", 中: "improve", 差: "cut" };

export const ACTION_LABELS: Record<RecommendationAction, string> = {
  support: "优先支持",
  keep: "保持",
  improve: "改进管理、酌情核减",
  cut: "核减或暂停",
};

export const CUT_CANDIDATE_LABEL = "核减候选";

export function actionForBand(band: GradeBand | null): RecommendationAction | null {
  return band === null ? null : ACTION_BY_BAND[band];
}

/** The full recommendation text: the grade's action, plus 核减候选 when execution is low. */
export function recommendationLabel(action: RecommendationAction | null, cutCandidate: boolean): string {
  const parts: string[] = [];
  if (action) parts.push(ACTION_LABELS[action]);
  if (cutCandidate) parts.push(CUT_CANDIDATE_LABEL);
  return parts.length ? parts.join("；") : "暂无评分，待补充评价";
}
