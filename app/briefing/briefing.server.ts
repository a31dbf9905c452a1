import { getDb } from "~/db.server";
import { parseFilter } from "~/filters";
import { getBriefingYears } from "../../db/queries/briefing";
import { correctionSummary } from "../../db/queries/corrections";
import type { ReportFilter } from "../../db/queries/types";
import { buildBriefing, type BriefingData } from "./data";
import { buildBriefingDocument, type BriefingDocument } from "./document";
import { briefingDocx } from "./docx.server";
import { parseThresholds, thresholdsSearch } from "./rules";
import { briefingXlsx } from "./xlsx.server";

/**
 * Loader-side entry of the briefing: URL params → filter and thresholds → data → document.
 * A briefing is about one year: without a year in the URL it covers the latest year on file.
 */

export interface BriefingLoad {
  data: BriefingData;
  document: BriefingDocument;
  /** the query string (filters incl. the resolved year, non-default thresholds) every link keeps */
  search: string;
  years: number[];
  yearDefaulted: boolean;
}

export async function loadBriefing(params: URLSearchParams): Promise<BriefingLoad> {
  const db = getDb();
  const filter: ReportFilter = parseFilter(params);
  const thresholds = parseThresholds(params);
  const years = await getBriefingYears(db, { filter });
  let yearDefaulted = false;
  if (!filter.years?.length && years.length && params.get("year") !== "all") {
    filter.years = [years[0]];
    yearDefaulted = true;
  }
  const data = await buildBriefing(db, { filter, thresholds });
  const corrected = await correctionSummary(db, { filter });
  const search = new URLSearchParams();
  for (const y of filter.years ?? []) search.append("year", String(y));
  if (params.get("year") === "all") search.set("year", "all");
  for (const r of filter.regions ?? []) search.append("region", r);
  for (const d of filter.departmentIds ?? []) search.append("dept", String(d));
  for (const t of filter.evaluationTypes ?? []) search.append("type", t);
  for (const [k, v] of thresholdsSearch(thresholds)) search.append(k, v);
  return { data, document: withCorrectionNote(buildBriefingDocument(data), corrected), search: search.toString(), years, yearDefaulted };
}

/** The briefing says when figures in it were corrected by hand (they are used as corrected). */
function withCorrectionNote(doc: BriefingDocument, c: { reports: number; corrections: number }): BriefingDocument {
  if (c.corrections === 0) return doc;
  const note = `本简报所用数据中，${c.reports} 份报告的 ${c.corrections} 处数值经分析员人工更正（更正人、理由及原提取值见各报告页“审核与更正”），各项统计均按更正后的数值计算。`;
  return { ...doc, sections: doc.sections.map((s) => (s.id === "quality" ? { ...s, paragraphs: [...s.paragraphs, note] } : s)) };
}

export type BriefingFormat = "docx" | "xlsx";

const CONTENT_TYPES: Record<BriefingFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** attachment; an ASCII filename for old clients plus the UTF-8 one (RFC 6266 / 5987). */
export function contentDisposition(asciiName: string, utf8Name: string): string {
  const safe = asciiName.replace(/[^A-Za-z0-9._-]/g, "_");
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${safe}"; filename*=UTF-8''${encoded}`;
}

export async function briefingDownload(url: URL, format: BriefingFormat): Promise<Response> {
  const { data, document } = await loadBriefing(url.searchParams);
  const bytes =
    format === "docx"
      ? await briefingDocx(document)
      : await briefingXlsx(document, { reportUrl: (id) => `${url.origin}/reports/${id}` });
  const tag = data.year !== null ? String(data.year) : "all";
  return new Response(bytes, {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": contentDisposition(`jixiao-briefing-${tag}.${format}`, `${document.title}.${format}`),
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "no-store",
    },
  });
}
