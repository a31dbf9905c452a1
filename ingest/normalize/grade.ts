import Decimal from "decimal.js";
import { GRADE_BANDS } from "../../db/vocabulary";
import type { Grade } from "../types";

/** Grade words as reports write them, folded to the four bands. */
const GRADE_WORDS: [RegExp, Grade][] = [
  [/^(?:优秀|优)$/, "优"],
  [/^(?:良好|良)$/, "良"],
  [/^(?:合格|中等|中|一般)$/, "中"],
  [/^(?:不合格|差|较差)$/, "差"],
];

export function gradeFromWord(word: string): Grade | null {
  const w = word.replace(/[“”"「」\s]/g, "");
  for (const [re, g] of GRADE_WORDS) if (re.test(w)) return g;
  return null;
}

/** The band a total score falls in: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60. */
export function gradeBand(total: string | Decimal): Grade {
  const t = new Decimal(total);
  return GRADE_BANDS.find((b) => t.gte(b.minScore))?.grade ?? "差";
}
