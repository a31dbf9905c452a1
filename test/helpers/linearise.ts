/**
 * Renders one 项目支出绩效自评表 (the national template of 财预〔2020〕10号) into the text shapes real
 * reports reach us in: a Word tab dump, tab rows, a pipe table copied from a web page, one cell per
 * line (PDF/HTML copies), a whole document flattened to one line, and cells run together.
 *
 * The table model is Word's: rows of cells, a cell covered by another's rowSpan is left out of
 * its row, a colSpan cell is listed once (the same shape as test/formats/helpers/docx-fixtures.ts,
 * so a model can also be written as .docx).
 */

export interface Cell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

export type Block = { paragraph: string } | { table: Cell[][] };

export interface Doc {
  blocks: Block[];
  /** Document-metadata noise (author, file timestamps) that only a flattened .docx copy carries. */
  meta?: string[];
}

// ---------------------------------------------------------------------------------------------
// The structured 自评表

export interface MoneyRow {
  /** 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金 */
  label: string;
  initial: string;
  adjusted: string;
  spent: string;
  weight: string;
  rate: string;
  score: string;
}

export interface IndicatorRow {
  level1: string;
  level2: string;
  name: string;
  target: string;
  actual: string;
  weight: string;
  score: string;
  reason: string;
}

/** The indicator columns after 三级指标, in the order the form prints them. */
export type IndicatorColumn = "target" | "actual" | "weight" | "score" | "reason";

export const STANDARD_COLUMNS: IndicatorColumn[] = ["target", "actual", "weight", "score", "reason"];
/** A common county variant: 分值 before 年度指标值. */
export const WEIGHT_FIRST_COLUMNS: IndicatorColumn[] = ["weight", "target", "actual", "score", "reason"];

const COLUMN_HEADER: Record<IndicatorColumn, string> = {
  target: "年度指标值",
  actual: "实际完成值",
  weight: "分值",
  score: "得分",
  reason: "偏差原因分析及改进措施",
};

export interface SelfEvalForm {
  /** The year printed under the title: （2023年度）. */
  year: number;
  projectName: string;
  department: string;
  implementingUnit: string;
  /** Unit printed in the money block's label: 万元 (default) or 元. */
  moneyUnit?: string;
  /** First row is 年度资金总额, then its 其中 rows. */
  money: MoneyRow[];
  goal: { expected: string; actual: string };
  indicators: IndicatorRow[];
  total: { weight: string; score: string };
  columns?: IndicatorColumn[];
}

/** Lengths of the runs of equal values, e.g. [a,a,b] → [2,0,1]: the rowSpan each first row gets. */
function runs(values: string[], breaks: boolean[] = values.map(() => false)): number[] {
  const out = values.map(() => 0);
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || values[i] !== values[start] || breaks[i]) {
      out[start] = i - start;
      start = i;
    }
  }
  return out;
}

function span(cell: Cell): Cell {
  const out: Cell = { text: cell.text };
  if (cell.colSpan && cell.colSpan > 1) out.colSpan = cell.colSpan;
  if (cell.rowSpan && cell.rowSpan > 1) out.rowSpan = cell.rowSpan;
  return out;
}

/** The 自评表 as Word holds it, with the template's merges. */
export function selfEvalTable(form: SelfEvalForm): Cell[][] {
  const cols = form.columns ?? STANDARD_COLUMNS;
  const width = 4 + cols.length;
  const rows: Cell[][] = [];
  rows.push([{ text: "项目名称" }, span({ text: form.projectName, colSpan: width - 1 })]);
  const deptSpan = Math.max(1, Math.floor((width - 2) / 2));
  rows.push([
    { text: "主管部门" },
    span({ text: form.department, colSpan: deptSpan }),
    { text: "实施单位" },
    span({ text: form.implementingUnit, colSpan: width - 2 - deptSpan }),
  ]);
  // The money block is 1 + label + 6 values wide; on a narrower form the label column takes one cell.
  const labelSpan = Math.max(1, width - 7);
  rows.push([
    span({ text: `项目资金\n（${form.moneyUnit ?? "万元"}）`, rowSpan: form.money.length + 1 }),
    span({ text: "", colSpan: labelSpan }),
    ...["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"].map((text) => ({ text })),
  ]);
  for (const m of form.money) {
    rows.push([span({ text: m.label, colSpan: labelSpan }), ...[m.initial, m.adjusted, m.spent, m.weight, m.rate, m.score].map((text) => ({ text }))]);
  }
  const half = Math.floor((width - 1) / 2);
  rows.push([
    span({ text: "年度\n总体\n目标", rowSpan: 2 }),
    span({ text: "预期目标", colSpan: half }),
    span({ text: "实际完成情况", colSpan: width - 1 - half }),
  ]);
  rows.push([span({ text: form.goal.expected, colSpan: half }), span({ text: form.goal.actual, colSpan: width - 1 - half })]);
  const inds = form.indicators;
  rows.push([
    span({ text: "绩\n效\n指\n标", rowSpan: inds.length + 1 }),
    { text: "一级指标" },
    { text: "二级指标" },
    { text: "三级指标" },
    ...cols.map((c) => ({ text: COLUMN_HEADER[c] })),
  ]);
  const l1 = runs(inds.map((i) => i.level1));
  const l1Breaks = inds.map((_, i) => l1[i] > 0);
  const l2 = runs(
    inds.map((i) => i.level2),
    l1Breaks,
  );
  inds.forEach((ind, i) => {
    const row: Cell[] = [];
    if (l1[i] > 0) row.push(span({ text: ind.level1, rowSpan: l1[i] }));
    if (l2[i] > 0) row.push(span({ text: ind.level2, rowSpan: l2[i] }));
    row.push({ text: ind.name }, ...cols.map((c) => ({ text: ind[c] })));
    rows.push(row);
  });
  const before = cols.indexOf("weight") >= 0 ? cols.indexOf("weight") : cols.indexOf("score");
  // A form without 分值 and 得分 columns has no 总分 row; its score is in the narrative.
  if (before < 0) return rows;
  const tail: Cell[] = cols.slice(Math.max(before, 0)).map((c) => ({
    text: c === "weight" ? form.total.weight : c === "score" ? form.total.score : "",
  }));
  rows.push([span({ text: "总分", colSpan: width - tail.length }), ...tail]);
  return rows;
}

export interface SelfEvalDocOptions {
  /** Narrative paragraphs before the form (title, 项目概况 …). */
  before?: string[];
  /** Narrative paragraphs after the form (偏差原因, 问题和建议, 结论 …). */
  after?: string[];
  meta?: string[];
}

/** A report: narrative, the form's title and year, the 自评表, more narrative. */
export function selfEvalDoc(form: SelfEvalForm, opts: SelfEvalDocOptions = {}): Doc {
  return {
    meta: opts.meta,
    blocks: [
      ...(opts.before ?? []).map((paragraph) => ({ paragraph })),
      { paragraph: "项目支出绩效自评表" },
      { paragraph: `（${form.year}年度）` },
      { table: selfEvalTable(form) },
      ...(opts.after ?? []).map((paragraph) => ({ paragraph })),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Linearisations

interface Placed {
  text: string;
  /** True where a rowSpan from a row above covers this position (Word dumps it as an empty cell). */
  covered: boolean;
}

/** Puts Word's rows on the grid, so that positions covered by a rowSpan show up where they are. */
function place(rows: Cell[][]): Placed[][] {
  const coveredFor: number[] = []; // remaining rows covered, by grid column
  const coverWidth: number[] = [];
  return rows.map((cells) => {
    const out: Placed[] = [];
    let col = 0;
    let next = 0;
    const takeCovered = () => {
      while (coveredFor[col] > 0) {
        out.push({ text: "", covered: true });
        coveredFor[col]--;
        col += coverWidth[col] || 1;
      }
    };
    takeCovered();
    while (next < cells.length) {
      const cell = cells[next++];
      const w = cell.colSpan ?? 1;
      if ((cell.rowSpan ?? 1) > 1) {
        coveredFor[col] = (cell.rowSpan ?? 1) - 1;
        coverWidth[col] = w;
      }
      out.push({ text: cell.text, covered: false });
      col += w;
      takeCovered();
    }
    return out;
  });
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, "");

function render(doc: Doc, table: (rows: Cell[][]) => string[], paragraph: (p: string) => string[] = (p) => [p]): string {
  const lines: string[] = [];
  for (const b of doc.blocks) lines.push(...("table" in b ? table(b.table) : paragraph(b.paragraph)));
  return lines.join("\n") + "\n";
}

/** A Word text dump (the seeds' shape): each cell a line starting with a TAB, lines inside a cell
 * continue without one, a blank line between rows, covered cells as empty TAB lines. */
export function toTabDump(doc: Doc): string {
  return render(doc, (rows) => {
    const out: string[] = [];
    place(rows).forEach((row, i) => {
      if (i > 0) out.push("");
      for (const c of row) out.push(`\t${c.text}`);
    });
    // Word ends a table's last row with its paragraph mark too: a blank line before the text after it.
    out.push("");
    return out;
  });
}

/** One row per line, cells separated by TABs (an .xlsx or a Word table pasted into a text editor). */
export function toTabRows(doc: Doc): string {
  return render(doc, (rows) => place(rows).map((row) => row.map((c) => oneLine(c.text)).join("\t")));
}

/** `| a | b |` rows copied from a web page: a rowSpan cell appears in its first row only,
 * a colSpan cell once, so merged rows come out ragged. Empty cells stay. */
export function toPipeTable(doc: Doc): string {
  return render(doc, (rows) => rows.map((cells) => `| ${cells.map((c) => oneLine(c.text)).join(" | ")} |`));
}

const SPLIT_HEADERS: Record<string, string[]> = {
  年初预算数: ["年初", "预算数"],
  全年预算数: ["全年", "预算数"],
  全年执行数: ["全年", "执行数"],
  年度指标值: ["年度", "指标值"],
  实际完成值: ["实际", "完成值"],
  偏差原因分析及改进措施: ["偏差原因分析", "及改进措施"],
};

/** One cell per line with a blank line between cells (a PDF or HTML copy). Empty and covered cells
 * vanish; with `splitHeaders` the template's two-word headers come out as two cells (年初 / 预算数). */
export function toCellPerLine(doc: Doc, opts: { splitHeaders?: boolean } = {}): string {
  const cells = (rows: Cell[][]) => {
    const out: string[] = [];
    for (const row of rows) {
      for (const c of row) {
        const text = c.text.trim();
        if (!text) continue;
        const parts = opts.splitHeaders && SPLIT_HEADERS[text] ? SPLIT_HEADERS[text] : [text];
        for (const p of parts) out.push(p, "");
      }
    }
    return out;
  };
  const text = render(doc, cells, (p) => [p, ""]);
  return text.replace(/\n{3,}/g, "\n\n").replace(/\n+$/, "\n");
}

/** The whole document on one line, every paragraph and non-empty cell separated by one space,
 * after the document's metadata (as a .docx's text comes out of some converters). */
export function toFlattened(doc: Doc): string {
  const parts: string[] = [...(doc.meta ?? [])];
  for (const b of doc.blocks) {
    if ("table" in b) {
      for (const row of b.table) for (const c of row) if (c.text.trim()) parts.push(oneLine(c.text));
    } else parts.push(b.paragraph);
  }
  return parts.join(" ") + "\n";
}

/** Each row's non-empty cells concatenated with no separator, one row per line. */
export function toRunTogether(doc: Doc): string {
  return render(doc, (rows) => rows.map((cells) => cells.map((c) => oneLine(c.text)).join("")).filter((l) => l));
}

export const FAMILIES = {
  tab: toTabDump,
  tabrows: toTabRows,
  pipe: toPipeTable,
  cellperline: (doc: Doc) => toCellPerLine(doc, { splitHeaders: true }),
  flattened: toFlattened,
  runtogether: toRunTogether,
} as const;

export type Family = keyof typeof FAMILIES;

// ---------------------------------------------------------------------------------------------
// HTML, for LibreOffice to turn into .docx/.doc/.pdf/.xlsx/.xls (test/fixtures/formats/make.sh)

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The report as an HTML page: paragraphs as <p>, tables with real colspan/rowspan. The borders are
 * the `border` attribute as well as CSS, because LibreOffice's HTML import ignores CSS borders — and a
 * PDF's table is rebuilt from its drawn cell borders. Meta noise is left out: it is no part of the text. */
export function toHtml(doc: Doc): string {
  const out = [
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head><meta charset=\"utf-8\"><title>自评报告</title>",
    "<style>td { border: 1px solid #000; vertical-align: middle; } table { border-collapse: collapse; }</style></head>",
    "<body>",
  ];
  for (const b of doc.blocks) {
    if (!("table" in b)) {
      out.push(`<p>${escapeHtml(b.paragraph)}</p>`);
      continue;
    }
    out.push('<table border="1" cellspacing="0" cellpadding="3">');
    for (const row of b.table) {
      const cells = row.map((c) => {
        const spans = `${(c.colSpan ?? 1) > 1 ? ` colspan="${c.colSpan}"` : ""}${(c.rowSpan ?? 1) > 1 ? ` rowspan="${c.rowSpan}"` : ""}`;
        return `<td${spans}>${c.text.split("\n").map(escapeHtml).join("<br>")}</td>`;
      });
      out.push(`<tr>${cells.join("")}</tr>`);
    }
    out.push("</table>");
  }
  out.push("</body>", "</html>");
  return out.join("\n") + "\n";
}
