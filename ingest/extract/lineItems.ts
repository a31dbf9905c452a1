import Decimal from "decimal.js";
import type { DocumentModel } from "../document";
import { decimalOf, toWan } from "../normalize/numbers";
import { foldDigits, trimAll } from "../normalize/text";
import { cellText, findCol, paragraphs, rowHas, tables } from "./doc";

export interface LineItemStatement {
  name: string;
  budget: Decimal | null;
  spent: Decimal | null;
  allocated: boolean;
  line: number;
}

const AMOUNT = "([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(万元|亿元|元)";
const NOT_ALLOCATED = /未下达|未拨付|没有下达|均没有下达|未到位/;
const ITEM_HEAD = new RegExp(`^(.{2,40}?)(?:支出|安排|预算)?(?:为|是)?\\s*${AMOUNT}`);
const ITEM_SPENT = new RegExp(`(?:项目支出|实际支出|已支出|支出|使用|执行)(?:为|了)?\\s*${AMOUNT}`);
/** Sentences about the whole department, not one funded item. */
const NOT_AN_ITEM = /本部门|本单位|合计|总计|共计|项目支出$|^其中|主要用于/;

/**
 * A department summary lists its funded items in running text:
 *   "…包括培训经费支出12万元，主要用于…，项目支出9万元；宣传经费支出3万元，…，财政部门未下达该经费；…"
 * Each clause group between semicolons/full stops that opens with "name + amount" is one item.
 */
function fromSentences(doc: DocumentModel): LineItemStatement[] {
  const best: LineItemStatement[][] = [];
  for (const p of paragraphs(doc)) {
    const text = p.folded;
    if (text.length < 40 || !text.includes("元")) continue;
    const items: LineItemStatement[] = [];
    for (const piece of text.split(/[；;。]/)) {
      // The opening sentence names the total, then lists: "…支出X万元，…，包括/具体有：A经费…".
      // Only the opening sentence about the department's total is cut at its list word; inside an item,
      // "其中" introduces a part of that item, not a new one.
      const opening = /^(.*?)(?:包括|具体有|具体为|具体包括|具体如下|分别为|分别是|如下|其中)[：:]?/.exec(piece);
      const rest0 = opening && /本部门|本单位|部门|合计|总|共/.test(opening[1]) ? piece.slice(opening[0].length) : piece;
      const clause = trimAll(rest0).replace(/^(?:[（(]\d{1,2}[)）]|\d{1,2}[.、．])\s*/, "");
      const head = ITEM_HEAD.exec(clause);
      if (!head) continue;
      const name = trimAll(head[1]).replace(/[，,：:]$/, "");
      if (!name || NOT_AN_ITEM.test(name) || /[，,]/.test(name)) continue;
      const budget = toWan(decimalOf(head[2].replace(/,/g, "")), head[3]);
      const rest = clause.slice(head[0].length);
      const spentMatch = ITEM_SPENT.exec(rest);
      const notAllocated = NOT_ALLOCATED.test(rest);
      if (!spentMatch && !notAllocated) continue;
      items.push({
        name,
        budget,
        spent: spentMatch ? toWan(decimalOf(spentMatch[1].replace(/,/g, "")), spentMatch[2]) : new Decimal(0),
        allocated: !notAllocated,
        line: p.line,
      });
    }
    if (items.length >= 3) best.push(items);
  }
  return best.flat();
}

const LIST_ITEM = new RegExp(`^(?:[（(]\\d{1,2}[)）]|\\d{1,2}[.、．])\\s*([^：:，,。；;]{2,40}?)[：:，,]\\s*(?:全年)?(?:预算(?:数|资金)?|安排(?:资金)?)(?:为)?\\s*${AMOUNT}(.*)$`);

/**
 * A numbered list of funded items, one per line:
 *   "（1）社区矫正工作经费：预算12万元，支出11.6万元；"  "（7）…：预算5万元，财政部门未下达，支出0万元。"
 */
function fromList(doc: DocumentModel): LineItemStatement[] {
  const runs: LineItemStatement[][] = [[]];
  for (const p of paragraphs(doc)) {
    const m = LIST_ITEM.exec(p.folded.trim());
    if (!m) {
      if (runs[runs.length - 1].length) runs.push([]);
      continue;
    }
    const rest = m[4];
    const spent = ITEM_SPENT.exec(rest);
    const notAllocated = NOT_ALLOCATED.test(rest);
    runs[runs.length - 1].push({
      name: trimAll(m[1]),
      budget: toWan(decimalOf(m[2].replace(/,/g, "")), m[3]),
      spent: spent ? toWan(decimalOf(spent[1].replace(/,/g, "")), spent[2]) : new Decimal(0),
      allocated: !notAllocated,
      line: p.line,
    });
  }
  return runs.filter((r) => r.length >= 3).flat();
}

/** A table of funded items (项目名称 | 预算数 | 支出数 …), as summaries sometimes attach. */
function fromTables(doc: DocumentModel): LineItemStatement[] {
  const out: LineItemStatement[] = [];
  for (const t of tables(doc)) {
    // Only a row with 预 in it can name a 预算 column; the others need no keys.
    const h = t.rows.findIndex((r) => rowHas(r, "预") && findCol(r, /^(项目名称|项目|经费名称)$/) >= 0 && findCol(r, /预算/) >= 0 && findCol(r, /支出|执行/) >= 0);
    if (h < 0) continue;
    const header = t.rows[h];
    const nameCol = findCol(header, /^(项目名称|项目|经费名称)$/);
    const budgetCol = findCol(header, /预算/);
    const spentCol = findCol(header, /支出|执行数/);
    for (const row of t.rows.slice(h + 1)) {
      const name = cellText(row.cells[nameCol]);
      if (!name || /合计|总计/.test(name)) continue;
      const b = /^([0-9][0-9,]*(?:\.[0-9]+)?)/.exec(foldDigits(cellText(row.cells[budgetCol])));
      const spentText = cellText(row.cells[spentCol]);
      const s = /^([0-9][0-9,]*(?:\.[0-9]+)?)/.exec(foldDigits(spentText));
      if (!b) continue;
      out.push({
        name,
        budget: decimalOf(b[1].replace(/,/g, "")),
        spent: s ? decimalOf(s[1].replace(/,/g, "")) : new Decimal(0),
        // "财政部门未下达" may stand in the spent cell or in a 备注 cell of the row.
        allocated: !row.cells.some((c) => NOT_ALLOCATED.test(cellText(c))),
        line: row.line,
      });
    }
  }
  return out;
}

export function lineItemStatements(doc: DocumentModel): LineItemStatement[] {
  const fromText = fromSentences(doc);
  if (fromText.length) return fromText;
  const listed = fromList(doc);
  return listed.length ? listed : fromTables(doc);
}
