/**
 * One made-up 项目支出绩效自评报告, written by the project from a handful of facts, rendered into
 * every format Jixiao reads. The 自评表 has a horizontal merge (项目名称 across the form), vertical
 * merges (项目资金 and 绩效指标 down their rows, 产出指标 over two indicators) and narrative
 * paragraphs around it, as departments' Word forms do.
 */
import ExcelJS from "exceljs";
import { buildDocx, type FixtureBlock, type FixtureCell } from "./docx-fixtures";
import { buildPdf, type PdfPage, type PlacedText } from "./pdf-writer";

export const FACTS = {
  title: "社区图书室运维经费项目支出绩效自评报告",
  projectName: "社区图书室运维经费",
  department: "示范区文化和旅游局",
  implementingUnit: "示范区图书馆",
  year: 2024,
  budget: { initial: "40", adjusted: "40", spent: "30", executionRate: "75" },
  indicators: [
    { level1: "产出指标", level2: "数量指标", name: "开放天数", target: "≥300天", actual: "310天", weight: "20", score: "20", met: true },
    { level1: "产出指标", level2: "质量指标", name: "图书借阅人次", target: "≥5000人次", actual: "4200人次", weight: "20", score: "15", met: false },
    { level1: "效益指标", level2: "社会效益指标", name: "居民阅读活动参与人数", target: "≥800人", actual: "900人", weight: "20", score: "20", met: true },
    { level1: "满意度指标", level2: "服务对象满意度指标", name: "读者满意度", target: "≥90%", actual: "92%", weight: "10", score: "10", met: true },
  ],
  deviationReason: "宣传不足，借阅人次未达到年度目标",
  score: { total: "72.5", grade: "中" },
} as const;

const ind = FACTS.indicators;
const CONCLUSION = "五、评价结论：综合自评得分72.5分，自评等级为中。";

/** The 自评表 as Word would hold it: covered cells of a vertical merge are left out of their rows. */
export function selfEvaluationTable(projectName: string = FACTS.projectName): FixtureCell[][] {
  return [
    [{ text: "项目名称" }, { text: projectName, colSpan: 8 }],
    [{ text: "主管部门" }, { text: FACTS.department, colSpan: 3 }, { text: "实施单位" }, { text: FACTS.implementingUnit, colSpan: 4 }],
    [{ text: "项目资金\n（万元）", rowSpan: 3 }, { text: "", colSpan: 2 }, { text: "年初预算数" }, { text: "全年预算数" }, { text: "全年执行数" }, { text: "分值" }, { text: "执行率" }, { text: "得分" }],
    [{ text: "年度资金总额", colSpan: 2 }, { text: "40" }, { text: "40" }, { text: "30" }, { text: "10" }, { text: "75%" }, { text: "7.5" }],
    [{ text: "其中：当年财政拨款", colSpan: 2 }, { text: "40" }, { text: "40" }, { text: "30" }, { text: "—" }, { text: "" }, { text: "—" }],
    [{ text: "绩效指标", rowSpan: 5 }, { text: "一级指标" }, { text: "二级指标" }, { text: "三级指标" }, { text: "年度指标值" }, { text: "实际完成值" }, { text: "分值" }, { text: "得分" }, { text: "偏差原因分析及改进措施" }],
    [{ text: ind[0].level1, rowSpan: 2 }, { text: ind[0].level2 }, { text: ind[0].name }, { text: ind[0].target }, { text: ind[0].actual }, { text: ind[0].weight }, { text: ind[0].score }, { text: "" }],
    [{ text: ind[1].level2 }, { text: ind[1].name }, { text: ind[1].target }, { text: ind[1].actual }, { text: ind[1].weight }, { text: ind[1].score }, { text: FACTS.deviationReason }],
    [{ text: ind[2].level1 }, { text: ind[2].level2 }, { text: ind[2].name }, { text: ind[2].target }, { text: ind[2].actual }, { text: ind[2].weight }, { text: ind[2].score }, { text: "" }],
    [{ text: ind[3].level1 }, { text: ind[3].level2 }, { text: ind[3].name }, { text: ind[3].target }, { text: ind[3].actual }, { text: ind[3].weight }, { text: ind[3].score }, { text: "" }],
    [{ text: "总分", colSpan: 6 }, { text: "80" }, { text: "72.5" }, { text: "" }],
  ];
}

export function reportBlocks(): FixtureBlock[] {
  return [
    { paragraph: FACTS.title },
    { paragraph: "一、项目基本情况" },
    {
      paragraph: `${FACTS.year}年度，${FACTS.department}组织实施${FACTS.projectName}项目。年初预算数40万元，全年预算数40万元，全年执行数30万元，执行率75%。`,
    },
    { paragraph: "二、项目支出绩效自评表" },
    { table: selfEvaluationTable() },
    { paragraph: `三、偏差原因：图书借阅人次未达标，原因是${FACTS.deviationReason}。` },
    { paragraph: "四、改进措施：加强阅读推广，增加社区阅读活动场次。" },
    { paragraph: CONCLUSION },
  ];
}

export function reportDocx(): Promise<Uint8Array> {
  return buildDocx(reportBlocks());
}

export interface GridCell {
  row: number;
  col: number;
  text: string;
  colSpan: number;
  rowSpan: number;
}

/** Places Word-style rows (covered cells omitted) on the grid: each cell's row, column and spans. */
export function gridOf(rows: FixtureCell[][]): GridCell[] {
  const covered = new Set<string>();
  const out: GridCell[] = [];
  rows.forEach((cells, r) => {
    let col = 0;
    for (const c of cells) {
      while (covered.has(`${r},${col}`)) col++;
      const colSpan = c.colSpan ?? 1;
      const rowSpan = c.rowSpan ?? 1;
      out.push({ row: r, col, text: c.text, colSpan, rowSpan });
      for (let dr = 1; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) covered.add(`${r + dr},${col + dc}`);
      col += colSpan;
    }
  });
  return out;
}

/**
 * The same report as an Excel 自评表: title row merged across, the form below, numbers as numbers.
 * Another project name makes it another report (for tests that need two).
 */
export async function reportXlsx(projectName: string = FACTS.projectName): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("自评表");
  ws.mergeCells(1, 1, 1, 9);
  ws.getCell(1, 1).value = `${projectName}项目支出绩效自评报告`;
  ws.mergeCells(2, 1, 2, 9);
  ws.getCell(2, 1).value = `（${FACTS.year}年度）`;
  const top = 3;
  for (const g of gridOf(selfEvaluationTable(projectName))) {
    const cell = ws.getCell(top + g.row, g.col + 1);
    // Figures go in as numbers with a format, as a finance clerk types them.
    if (/^\d+(\.\d+)?%$/.test(g.text)) {
      cell.value = Number(g.text.slice(0, -1)) / 100;
      cell.numFmt = "0%";
    } else if (/^\d+(\.\d+)?$/.test(g.text)) {
      cell.value = Number(g.text);
      cell.numFmt = "General";
    } else if (g.text !== "") cell.value = g.text;
    if (g.colSpan > 1 || g.rowSpan > 1) ws.mergeCells(top + g.row, g.col + 1, top + g.row + g.rowSpan - 1, g.col + g.colSpan);
  }
  ws.getCell(top + selfEvaluationTable().length, 1).value = `偏差原因：图书借阅人次未达标，原因是${FACTS.deviationReason}。`;
  ws.getCell(top + selfEvaluationTable().length + 1, 1).value = CONCLUSION;
  const hidden = wb.addWorksheet("代码表", { state: "hidden" });
  hidden.getCell("A1").value = "不应读出的隐藏表";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** As a government website publishes it: entities, a script and a style that must not be read, spans as attributes. */
export function reportHtml(): string {
  const body = reportBlocks()
    .map((b) =>
      "paragraph" in b
        ? `<p style="text-indent:2em">${escapeHtml(b.paragraph)}</p>`
        : `<table border="1">\n${b.table
            .map(
              (r) =>
                `<tr>${r
                  .map(
                    (c) =>
                      `<td${c.colSpan ? ` colspan="${c.colSpan}"` : ""}${c.rowSpan ? ` rowspan=${c.rowSpan}` : ""}>${c.text
                        .split("\n")
                        .map(escapeHtml)
                        .join("<br>")}</td>`,
                  )
                  .join("")}</tr>`,
            )
            .join("\n")}\n</table>`,
    )
    .join("\n");
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面标题不是报告</title><style>p { color: red } td:before { content: "x" }</style>
<script>var s = "<p>脚本里的文字</p>"; if (1 < 2) {}</script></head><body><!-- 注释 -->${body}</body></html>`;
}

/** A Markdown version: pipe table (the grid, merged-away cells empty), headings and paragraphs. */
export function reportMarkdown(): string {
  const grid = gridOf(selfEvaluationTable());
  const rows = Math.max(...grid.map((g) => g.row)) + 1;
  const lines: string[][] = Array.from({ length: rows }, () => new Array<string>(9).fill(""));
  for (const g of grid) lines[g.row][g.col] = g.text.replace(/\n/g, "");
  const md: string[] = [];
  for (const b of reportBlocks()) {
    if ("paragraph" in b) md.push(b.paragraph.startsWith(FACTS.title) ? `# ${b.paragraph}` : b.paragraph, "");
    else {
      md.push(`| ${lines[0].join(" | ")} |`, `|${" --- |".repeat(9)}`);
      for (const l of lines.slice(1)) md.push(`| ${l.map((t) => t.replace(/\|/g, "\\|")).join(" | ")} |`);
      md.push("");
    }
  }
  return md.join("\n");
}

/** A PDF with a text layer: paragraphs as lines, the form's cells at their column positions. */
export function reportPdf(): Uint8Array {
  // Column positions leave more than a glyph between the widest texts of neighbouring columns.
  const columns = [30, 78, 128, 210, 300, 360, 420, 460, 500];
  const pages: PdfPage[] = [];
  let texts: PlacedText[] = [];
  let y = 790;
  const next = () => {
    y -= 20;
    if (y < 50) {
      pages.push({ texts });
      texts = [];
      y = 790;
    }
  };
  for (const b of reportBlocks()) {
    if ("paragraph" in b) {
      // Long paragraphs wrap at about 45 characters, as on a page.
      for (let i = 0; i < b.paragraph.length; i += 45) {
        texts.push({ x: 40, y, text: b.paragraph.slice(i, i + 45), size: 10 });
        next();
      }
    } else {
      const grid = gridOf(b.table);
      const rows = Math.max(...grid.map((g) => g.row)) + 1;
      for (let r = 0; r < rows; r++) {
        for (const g of grid.filter((c) => c.row === r)) {
          if (g.text !== "") texts.push({ x: columns[g.col], y, text: g.text.replace(/\n/g, ""), size: 7 });
        }
        next();
      }
    }
  }
  if (texts.length) pages.push({ texts });
  return buildPdf(pages.map((p) => ({ ...p, width: 700 })));
}
