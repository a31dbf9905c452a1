/**
 * Format invariance: one report saved as a tab dump (.txt), .docx, .doc, .xlsx, .xls and .pdf parses to
 * the same ParsedReport, `source` apart — whichever format a department sends, the bureau sees the same
 * figures. Each report is a basename in a fixture folder holding all six files (made from one source by
 * that folder's make.sh); adding a report is adding its name to REPORTS.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseBuffer, toContractJson } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";
import { toHtml, toTabDump } from "../helpers/linearise";
import { CORPUS_REPORTS } from "../fixtures/formats/corpus";

const FORMATS = fileURLToPath(new URL("../fixtures/formats/", import.meta.url));

/** The reports every format must agree on: a folder and the basename of the six files in it —
 * the hand-written rural-water, and every corpus report that has a model (corpus.ts). */
const REPORTS: { dir: string; name: string }[] = [
  { dir: FORMATS, name: "rural-water" },
  ...CORPUS_REPORTS.map(({ name }) => ({ dir: FORMATS, name })),
];

const EXTENSIONS = ["docx", "doc", "xlsx", "xls", "pdf"] as const;

/**
 * The report without what differs per file by design: its source, and the line numbers that point
 * into that file's own text (a PDF cannot tell a wrapped cell from a line break, so its lines are not
 * the .txt's) — in `line` fields, in provenance, and in findings' messages ("第140行").
 */
function comparable(r: ParsedReport): unknown {
  const { source: _source, provenance: _provenance, ...rest } = r;
  return JSON.parse(
    JSON.stringify(rest, (key, value: unknown) => (key === "line" ? undefined : typeof value === "string" ? value.replace(/第\d+行/g, "第N行") : value)),
  );
}

async function parsed(dir: string, file: string): Promise<ParsedReport> {
  const r = toContractJson(await parseBuffer(new Uint8Array(readFileSync(dir + file)), file));
  if ("error" in r) throw new Error(`${file} failed to parse: ${r.error.message}`);
  return r;
}

// The office files are made from these sources by LibreOffice, which CI does not have; a model edited
// without rerunning corpus.ts and make.sh would leave the binaries testing an older report.
describe.each(CORPUS_REPORTS)("$name's sources", ({ name, doc }) => {
  it("are what its model renders now", () => {
    expect(readFileSync(`${FORMATS}src/${name}.html`, "utf8")).toBe(toHtml(doc));
    expect(readFileSync(`${FORMATS}${name}.txt`, "utf8")).toBe(toTabDump(doc));
  });
});

describe.each(REPORTS)("$name", ({ dir, name }) => {
  let text: ParsedReport;
  beforeAll(async () => {
    text = await parsed(dir, `${name}.txt`);
  });

  it("parses from its text dump to a report with indicators and a budget", () => {
    expect(text.indicators.length).toBeGreaterThan(0);
    expect(text.budget.adjusted ?? text.budget.initial).not.toBeNull();
  });

  it.each(EXTENSIONS)(".%s parses to the same report as the text dump", async (ext) => {
    const other = await parsed(dir, `${name}.${ext}`);
    expect(other.source.format).toBe(ext);
    expect(comparable(other)).toEqual(comparable(text));
  });
});
