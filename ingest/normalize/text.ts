/** Text clean-up shared by readers and extractors. Pure functions. */

const FULL_WIDTH_START = 0xff01;
const FULL_WIDTH_END = 0xff5e;

/** Full-width ASCII (０-９, Ａ-Ｚ, ＞, ％, ．…) and the ideographic space folded to their half-width forms. */
export function toHalfWidth(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= FULL_WIDTH_START && code <= FULL_WIDTH_END) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else out += ch;
  }
  return out;
}

/** Trim including ideographic and no-break spaces, which Word dumps leave around cell text. */
export function trimAll(s: string): string {
  return s.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/g, "");
}

/** Cell or heading text as one line: Chinese wraps inside a cell carry no meaning, so line breaks are dropped. */
export function flat(s: string): string {
  return trimAll(s.replace(/[\s\u3000\u00a0]*\n[\s\u3000\u00a0]*/g, ""));
}

/** A key for comparing labels and names: no spaces, half-width, no surrounding punctuation or quotes. */
export function labelKey(s: string): string {
  return toHalfWidth(flat(s))
    .replace(/[\s"“”'‘’「」『』]/g, "")
    .replace(/^[:：,，。;；、.]+|[:：,，。;；、.]+$/g, "")
    .replace(/\(/g, "（")
    .replace(/\)/g, "）");
}

/** Word-export artefacts such as "[bookmark: _GoBack]" that are not report text. */
export function stripArtefacts(line: string): string {
  return line.replace(/\[bookmark:[^\]]*\]/g, "");
}

/** Split a paragraph into sentences at Chinese and ASCII full stops and semicolons, keeping offsets. */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(/[。；;]|$/g)) {
    const piece = text.slice(start, m.index);
    if (piece.trim()) out.push({ text: piece, start });
    start = m.index! + 1;
    if (m[0] === "") break;
  }
  return out;
}

const FOLD: Record<string, string> = { "％": "%", "＞": ">", "＜": "<", "＝": "=", "．": ".", "＋": "+", "－": "-", "／": "/" };

/**
 * Full-width digits, letters and number signs (０-９, ％, ＞, ＝, ．) folded to ASCII, leaving Chinese
 * punctuation （），：； as written so that names keep the report's own wording.
 */
export function foldDigits(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ％＞＜＝．＋－／\u3000]/g, (ch) => {
    if (ch === "\u3000") return " ";
    return FOLD[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}
