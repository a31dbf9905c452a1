/**
 * The document as one stream of tokens in reading order, whatever linearisation it came in: table
 * cells, and the space-separated pieces of paragraphs. Labels of the 自评表 template are found in the
 * stream — whole tokens, labels split over several short tokens ("年初" / "预算数"), and labels glued
 * to what follows them ("项目名称乡村道路养护") — and become tokens of their own.
 */
import type { DocumentModel } from "../../document";
import { flat } from "../../normalize/text";
import { innerHeaderLabel, prefixLabel, wholeLabel, type LabelKind } from "./labels";

export interface Token {
  text: string;
  line: number;
  label: LabelKind | null;
  /** A label's bracketed annotation ("万元", "A"). */
  annotation: string | null;
  /** The token starts a row of a table whose rows the reader knew. */
  rowStart: boolean;
}

/** Short pieces that may be the parts of one label split over cells or lines. */
const MAX_PART = 6;
const MAX_PARTS = 5;

/** Raw pieces: each table cell, and each paragraph split at white space. */
function pieces(doc: DocumentModel): Token[] {
  const out: Token[] = [];
  for (const b of doc.blocks) {
    if (b.type === "table") {
      for (const row of b.rows) {
        let first = true;
        for (const c of row.cells) {
          const text = flat(c.text);
          if (!text) continue;
          out.push({ text, line: c.line, label: null, annotation: null, rowStart: first });
          first = false;
        }
      }
    } else {
      // Most paragraphs are one run of text: no split, no copy.
      const parts = /\s/.test(b.text) ? b.text.split(/\s+/) : [b.text];
      for (const part of parts) {
        if (part) out.push({ text: part, line: b.line, label: null, annotation: null, rowStart: false });
      }
    }
  }
  return out;
}

/** Splits labels off the start of a token, repeatedly; the rest stays one token. */
function splitLabels(t: Token, out: Token[]): void {
  let text = t.text;
  let rowStart = t.rowStart;
  for (let guard = 0; guard < 12 && text; guard++) {
    const whole = wholeLabel(text);
    if (whole) {
      out.push({ ...t, text, label: whole.kind, annotation: whole.annotation, rowStart });
      return;
    }
    const pre = prefixLabel(text);
    if (!pre) break;
    const head = text.slice(0, pre.length);
    out.push({ ...t, text: head, label: pre.kind, annotation: pre.annotation, rowStart });
    rowStart = false;
    text = text.slice(pre.length).replace(/^[：:\s]+/, "");
    if (pre.kind === "project" || pre.kind === "department" || pre.kind === "unit") {
      // A header value that ran into the next header label ends there.
      const cut = innerHeaderLabel(text);
      if (cut > 0) {
        out.push({ ...t, text: text.slice(0, cut), label: null, annotation: null, rowStart: false });
        text = text.slice(cut);
      }
    }
  }
  if (text) out.push({ ...t, text, label: null, annotation: null, rowStart });
}

export function templateTokens(doc: DocumentModel): Token[] {
  const raw = pieces(doc);
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    // A label split over short pieces ("年初" "预算数", "绩" "效" "指" "标"): the longest join wins.
    let merged = false;
    if (raw[i].text.length <= MAX_PART) {
      let joined = raw[i].text;
      let best = -1;
      for (let k = i + 1; k < raw.length && k < i + MAX_PARTS && raw[k].text.length <= MAX_PART + 6; k++) {
        joined += raw[k].text;
        if (wholeLabel(joined)) best = k;
      }
      if (best > i) {
        const text = raw.slice(i, best + 1).map((p) => p.text).join("");
        const label = wholeLabel(text)!;
        // Only when the first piece is not a whole label by itself, or the join is a longer label.
        const alone = wholeLabel(raw[i].text);
        if (!alone || alone.kind !== label.kind || text.length > raw[i].text.length) {
          out.push({ text, line: raw[i].line, label: label.kind, annotation: label.annotation, rowStart: raw[i].rowStart });
          i = best;
          merged = true;
        }
      }
    }
    if (!merged) splitLabels(raw[i], out);
  }
  return out;
}
