/** Text clean-up shared by readers and extractors. Pure functions. */

/** Full-width ASCII (０-９, Ａ-Ｚ, ＞, ％, ．…) and the ideographic space folded to their half-width forms. */
export function toHalfWidth(s: string): string {
  // Most text has nothing to fold; testing first avoids building a copy.
  if (!HALF_WIDTH_FOLDABLE.test(s)) return s;
  return s.replace(HALF_WIDTH_FOLDABLE_ALL, (ch) => (ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
}

const HALF_WIDTH_FOLDABLE = /[\uff01-\uff5e\u3000]/;
const HALF_WIDTH_FOLDABLE_ALL = /[\uff01-\uff5e\u3000]/g;

/** Trim including ideographic and no-break spaces, which Word dumps leave around cell text. */
export function trimAll(s: string): string {
  // In JavaScript \s already covers U+3000, U+00A0 and U+FEFF, and String#trim strips exactly \s.
  return s.trim();
}

/** Cell or heading text as one line: Chinese wraps inside a cell carry no meaning, so line breaks are dropped. */
export function flat(s: string): string {
  return s.includes("\n") ? trimAll(s.replace(/[\s\u3000\u00a0]*\n[\s\u3000\u00a0]*/g, "")) : trimAll(s);
}

/** A key for comparing labels and names: no spaces, half-width, no surrounding punctuation or quotes. */
export function labelKey(s: string): string {
  // flat() only removes white space, which the next step removes anyway.
  let key = toHalfWidth(s).replace(/[\s"“”'‘’「」『』]/g, "");
  if (EDGE_PUNCTUATION.test(key)) key = key.replace(/^[:：,，。;；、.]+|[:：,，。;；、.]+$/g, "");
  if (key.includes("(") || key.includes(")")) key = key.replace(/\(/g, "（").replace(/\)/g, "）");
  return key;
}

const EDGE_PUNCTUATION = /^[:：,，。;；、.]|[:：,，。;；、.]$/;

/** Word-export artefacts such as "[bookmark: _GoBack]" that are not report text. */
export function stripArtefacts(line: string): string {
  if (!line.includes("[bookmark:")) return line;
  return line.replace(/\[bookmark:[^\]]*\]/g, "");
}

/** Split a paragraph into sentences at Chinese and ASCII full stops and semicolons, keeping offsets. */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== FULL_STOP && c !== FULL_SEMICOLON && c !== SEMICOLON) continue;
    }
    const piece = text.slice(start, i);
    if (piece.trim()) out.push({ text: piece, start });
    start = i + 1;
  }
  return out;
}

const FULL_STOP = 0x3002;
const FULL_SEMICOLON = 0xff1b;
const SEMICOLON = 0x3b;

const FOLDABLE_DIGIT = /[０-９Ａ-Ｚａ-ｚ％＞＜＝．＋－／\u3000]/;
const FOLD: Record<string, string> = { "％": "%", "＞": ">", "＜": "<", "＝": "=", "．": ".", "＋": "+", "－": "-", "／": "/" };

/**
 * Full-width digits, letters and number signs (０-９, ％, ＞, ＝, ．) folded to ASCII, leaving Chinese
 * punctuation （），：； as written so that names keep the report's own wording.
 */
export function foldDigits(s: string): string {
  if (!FOLDABLE_DIGIT.test(s)) return s;
  return s.replace(/[０-９Ａ-Ｚａ-ｚ％＞＜＝．＋－／\u3000]/g, (ch) => {
    if (ch === "\u3000") return " ";
    return FOLD[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}
