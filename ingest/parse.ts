import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { audit } from "./audit";
import { extractReport } from "./extract";
import { withDecimalMemo } from "./normalize/numbers";
import { documentText } from "./extract/doc";
import { formatOf, readDocument, ReadError } from "./readers";
import { addPhase, timed, timing } from "./timing";
import type { ParseFailure, ParsedReport, ParseResult } from "./types";

/** A parse result carries the text shown beside the facts in the UI; it is not part of the JSON contract. */
export type ParseOutcome = (ParsedReport & { sourceText?: string }) | ParseFailure;

/** Larger files are refused before they are read into memory. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

function failure(file: string, sha256: string | null, code: string, message: string): ParseFailure {
  return { source: { file, sha256, format: formatOf(file) }, error: { code, message: `${file}: ${message}` } };
}

/** Bytes of one file → a ParsedReport with findings, or a failure naming the file and the reason. Never throws. */
export async function parseBuffer(bytes: Uint8Array, fileName: string): Promise<ParseOutcome> {
  const file = path.basename(fileName);
  const sha256 = timed("hash", () => createHash("sha256").update(bytes).digest("hex"));
  try {
    // the reader's synchronous part (all of it for text): timing across the await would count
    // whatever else this thread ran meanwhile
    const t0 = timing.on ? performance.now() : 0;
    const reading = readDocument(bytes, file);
    if (timing.on) addPhase("decode", performance.now() - t0);
    const { format, doc } = await reading;
    return withDecimalMemo(() => {
      const { report, evidence } = timed("parse", () => extractReport(doc, { file, sha256, format }));
      const signals = [report.budget.adjusted, report.budget.initial, report.budget.spent, report.score.total].filter((v) => v !== null).length
        + report.indicators.length + report.lineItems.length + report.categories.length;
      if (signals < 2) {
        return failure(file, sha256, "not_a_report", "不是绩效评价报告：没有找到预算执行、评分或绩效指标等内容");
      }
      report.findings = timed("audit", () => audit(report, evidence));
      return Object.assign(report, { sourceText: timed("parse", () => documentText(doc)) });
    });
  } catch (e) {
    if (e instanceof ReadError) return failure(file, sha256, e.code, e.message);
    return failure(file, sha256, "internal", `解析失败：${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function parseFile(filePath: string): Promise<ParseOutcome> {
  const name = path.basename(filePath);
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return failure(name, null, "not_a_file", "不是文件");
    if (info.size > MAX_FILE_BYTES) return failure(name, null, "too_large", `文件过大（${(info.size / 1048576).toFixed(1)} MB）`);
    return await parseBuffer(await readFile(filePath), name);
  } catch (e) {
    return failure(name, null, "unreadable", `无法读取文件：${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The contract's JSON: the report without the UI-only source text. */
export function toContractJson(r: ParseOutcome): ParseResult {
  if ("error" in r) return r;
  const { sourceText: _omit, ...rest } = r;
  return rest;
}
