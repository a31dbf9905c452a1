/**
 * Splits a cell's text into typed atoms: quantities ("≥120米", "34.2万元", "95%以上"), bare numbers
 * ("10"), dates ("2024年12月底前"), placeholders ("—", "……") and text. Cells that reach us run together
 * ("新建排水沟渠10≥120米≥120米10") are re-read from these atoms; cells with their own delimiters are one
 * atom or a few that a reader joins back. Pure: one string in, atoms out, offsets into the input.
 */
import { toHalfWidth } from "./text";

export type AtomKind = "quantity" | "number" | "date" | "placeholder" | "text";

export interface Atom {
  kind: AtomKind;
  /** The input's own characters (not folded), so values keep the report's wording. */
  text: string;
  start: number;
}

/**
 * Comparator words and signs as prefixes of a figure. Words count only before a number: "达到预期"
 * is text, "达到95%" a quantity.
 */
const COMPARATOR = "(?:>=|<=|=>|=<|≥|≤|≧|≦|═|大于等于|小于等于|大于或等于|小于或等于|不低于|不少于|不小于|不高于|不超过|不多于|不大于|至少|达到|控制在|高于|低于|超过|大于|小于|等于|>|<|=)";

/**
 * Units reports write after figures, longest first. An unknown unit of one Chinese character is still
 * read when a figure or the end follows it (see UNIT_FALLBACK), so the list needs only the common ones.
 */
const UNITS = [
  "元/人.天", "元/人·天", "元/人/天", "元/人", "元/次", "元/吨", "元/亩", "元/平方米", "元/户", "元/月",
  "万人次", "人次", "个百分点", "百分点", "万元", "亿元", "千元", "平方公里", "平方米", "立方米", "公里", "千米", "延米",
  "公顷", "小时", "分钟", "个月", "工作日", "班次", "户次", "台套", "台（套）", "km", "m²", "㎡", "m³", "kg", "t",
  "%", "‰", "℃", "万", "元", "人", "次", "天", "日", "个", "项", "户", "件", "场", "台", "套", "家", "所", "批", "条", "亩",
  "米", "篇", "份", "期", "班", "册", "本", "辆", "座", "处", "间", "棵", "株", "头", "只", "吨", "月", "年", "周", "倍", "分",
  "名", "位", "门", "张", "宗", "类", "款", "部", "盏", "眼", "口", "趟", "起", "例", "首", "部", "块", "组", "片", "轮", "季度",
];
// Longest first, so that "万平方米" is not read as "万" followed by text.
const UNIT = `(?:${[...UNITS, "万平方米", "万亩", "万人", "万户", "万册", "万株", "万公里", "万吨", "万只", "万头", "万套", "万件", "万份", "亿人次"]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join("|")})`;
/**
 * One-character units that also begin common words (部分, 分别, 期间, 年内…): where cells ran together
 * they count as a unit only when no Chinese character follows.
 */
const WEAK_UNITS = new Set(["部", "分", "期", "份", "类", "起", "首", "口", "年", "月", "周", "本", "间", "处", "组", "片", "轮", "门", "位", "名", "款", "块", "张", "条", "头", "只", "眼", "宗"]);
const UNIT_SUFFIX = "(?:及以上|及以下|以上|以下|以内|之内|内)?";
const NUMBER = "[+-]?\\d+(?:,\\d{3})*(?:\\.\\d+)?";

const DATE = "(?:\\d{4}年(?:\\d{1,2}月(?:\\d{1,2}日)?)?|\\d{4}[-./]\\d{1,2}(?:[-./]\\d{1,2})?|\\d{1,2}月(?:\\d{1,2}日)?)(?:底|末|中旬|上旬|下旬)?(?:前|以前|之前|完成|内)?";

/** Figure with optional comparator, unit and 以上/以内: one quantity. */
const QUANTITY_RE = new RegExp(`^(${COMPARATOR})?\\s*(${NUMBER})\\s*(${UNIT})?${UNIT_SUFFIX}`);
const DATE_RE = new RegExp(`^${DATE}`);
const UNIT_AFTER = new RegExp(`^${UNIT}${UNIT_SUFFIX}`);
/** An unknown one-character unit counts only where a figure, a comparator or the end follows it. */
const UNIT_FALLBACK = /^[\u4e00-\u9fa5](?=$|[\d≥≤≧≦═><=]|\s)/;
const PLACEHOLDER_RE = /^(?:—+|-+|–+|－+|\/|／|…+|\.{3,}|·{3,}|无|空)$/;
/** Where a figure may start: a digit, a sign, or a comparator before a digit. */
const FIGURE_START = new RegExp(`[\\d+-]|${COMPARATOR}\\s*\\d`, "g");

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Atoms of one cell or token. Whitespace separates atoms and is dropped. */
export function atomize(raw: string): Atom[] {
  const folded = toHalfWidth(raw);
  const out: Atom[] = [];
  let textStart = -1;
  const flushText = (end: number) => {
    if (textStart < 0) return;
    const text = raw.slice(textStart, end).trim();
    if (text) out.push({ kind: PLACEHOLDER_RE.test(text) ? "placeholder" : "text", text, start: textStart });
    textStart = -1;
  };
  let i = 0;
  while (i < folded.length) {
    // Text runs to the next place a figure may start; only there is the rest looked at closely.
    FIGURE_START.lastIndex = i;
    const next = FIGURE_START.exec(folded);
    const at = next ? next.index : folded.length;
    for (let k = i; k < at; k++) {
      if (/\s/.test(folded[k])) flushText(k);
      else if (textStart < 0) textStart = k;
    }
    if (!next) break;
    i = at;
    // A bounded look ahead: no figure, unit and suffix is longer.
    const rest = folded.slice(i, i + 48);
    // A figure starts at a digit, a sign, or a comparator followed by a digit; inside a word such as
    // "第1季度" it still splits, and the caller joins atoms of one cell back together where that fits.
    // A score run into a year ("52022年10月底前") or into a rate ("15100%"): a year has four digits and
    // a rate of over a thousand percent is no rate, so the leading figure is a cell of its own.
    const lead = /^(\d{1,3})(?=\d{4}年)/.exec(rest) ?? /^(\d{1,2})(?=(?:100|[1-9]\d?)(?:\.\d+)?%)/.exec(rest);
    if (lead && (i === 0 || !/\d/.test(folded[i - 1])) && Number(lead[1]) <= 100 && (/年/.test(rest.slice(lead[1].length, lead[1].length + 5)) || /^\d{4,}/.test(rest))) {
      flushText(i);
      out.push({ kind: "number", text: raw.slice(i, i + lead[1].length), start: i });
      i += lead[1].length;
      continue;
    }
    // A range ("80-89周岁", "90～95%") is one figure.
    const range = /^\d+(?:\.\d+)?\s*[-~～—–至]\s*\d+(?:\.\d+)?/.exec(rest);
    if (range && !/^\d{4}[-./]\d{1,2}/.test(rest)) {
      flushText(i);
      const unit = UNIT_AFTER.exec(folded.slice(i + range[0].length, i + range[0].length + 12));
      const end = i + range[0].length + (unit && !(WEAK_UNITS.has(unit[0]) && /[\u4e00-\u9fa5]/.test(folded[i + range[0].length + unit[0].length] ?? "")) ? unit[0].length : 0);
      out.push({ kind: end > i + range[0].length ? "quantity" : "number", text: raw.slice(i, end), start: i });
      i = end;
      continue;
    }
    const date = /^\d/.test(rest) ? DATE_RE.exec(rest) : null;
    const q = QUANTITY_RE.exec(rest);
    if (date && (!q || date[0].length >= q[0].length) && /[年月-]/.test(date[0])) {
      flushText(i);
      out.push({ kind: "date", text: raw.slice(i, i + date[0].length), start: i });
      i += date[0].length;
      continue;
    }
    if (q) {
      let end = i + q[0].length;
      let hasUnit = !!q[3];
      // "64.65项目实施…": a score run into a reason that opens with 项目, not 64.65 项
      const wordAfter = q[3] === "项" && q[0].endsWith("项") && folded[end] === "目";
      if (wordAfter || (q[3] && WEAK_UNITS.has(q[3]) && q[0].endsWith(q[3]) && /[\u4e00-\u9fa5]/.test(folded[end] ?? ""))) {
        end -= q[3].length;
        hasUnit = false;
      }
      if (!hasUnit) {
        const fb = UNIT_FALLBACK.exec(folded.slice(end, end + 2));
        if (fb) {
          end += fb[0].length;
          hasUnit = true;
        }
      }
      flushText(i);
      const text = raw.slice(i, end).trim();
      const kind: AtomKind = q[1] || hasUnit || /(以上|以下|以内|之内)$/.test(text) ? "quantity" : "number";
      out.push({ kind, text, start: i });
      i = end;
      continue;
    }
    // A sign or comparator word that begins no figure is text.
    if (textStart < 0) textStart = i;
    i++;
  }
  flushText(folded.length);
  return out;
}

/** A bare number's value as text ("10", "4.5"), or null when the atom is more than a number (unit 分 allowed). */
export function bareNumber(a: Atom): string | null {
  if (a.kind !== "number" && a.kind !== "quantity") return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*分?\s*$/.exec(toHalfWidth(a.text));
  return m ? m[1] : null;
}
