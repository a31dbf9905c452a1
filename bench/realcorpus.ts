/**
 * The real-size generated corpus for the ingest benchmark: bench/generate.ts's reports (table,
 * narrative, quoted-narrative, 部门整体 summaries; 元 and 万元; contradictions at the generator's
 * rates), each table report linearised in one of the layout families the parser reads (tab dump,
 * tab rows, broken pipe tables, one cell per line, a .docx flattened to one line, cells run
 * together), and every report grown to 20–30 KB by bench/realsize.ts's neutral narrative sections.
 * Every report keeps the facts the generator meant it to state.
 */
import fs from "node:fs";
import path from "node:path";
import { FAMILIES, type Cell, type Doc, type Family } from "../test/helpers/linearise";
import { generateCorpus, type CorpusOptions, type GeneratedReport, type Lineariser, type TextBlock } from "./generate";
import { realSize } from "./realsize";

const toDoc = (blocks: TextBlock[]): Doc => ({
  blocks: blocks.map((b) => ("table" in b ? { table: b.table.map((r) => r.map((text): Cell => ({ text }))) } : b)),
});

const via = (family: Family): Lineariser => (blocks) => FAMILIES[family](toDoc(blocks));

/** Table reports by linearisation: most arrive as Word dumps, the rest as web and PDF copies. */
// A PDF or web copy's 综合评分表 comes out as running lines ("项目产出 40 32.51"), as in the narrative family.
export const REAL_MIX: { family: string; weight: number; render: Lineariser; scoreLines?: boolean }[] = [
  { family: "tab", weight: 30, render: via("tab") },
  { family: "tabrows", weight: 15, render: via("tabrows") },
  { family: "pipe", weight: 15, render: via("pipe") },
  { family: "cellperline", weight: 15, render: via("cellperline"), scoreLines: true },
  { family: "flattened", weight: 10, render: via("flattened"), scoreLines: true },
  { family: "runtogether", weight: 15, render: via("runtogether"), scoreLines: true },
];

export const REAL_SEED = 20261207;
export const MIN_BYTES = 20 * 1024;
export const MAX_BYTES = 30 * 1024;

/** Generated reports at real size, one at a time. */
export function* realCorpus(opts: CorpusOptions): Generator<GeneratedReport> {
  for (const r of generateCorpus({ ...opts, linearisers: opts.linearisers ?? REAL_MIX })) {
    // realSize aims inside 20–30 KB; a long original can overshoot by a few hundred bytes: draw again
    let text = realSize(r.text, REAL_SEED, r.fileName);
    for (let k = 1; k < 8 && Buffer.byteLength(text) > MAX_BYTES; k++) text = realSize(r.text, REAL_SEED, `${r.fileName}#${k}`);
    yield { ...r, text };
  }
}

export function writeRealCorpus(dir: string, opts: CorpusOptions): { files: number; bytes: number; families: Record<string, number> } {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let files = 0;
  const families: Record<string, number> = {};
  for (const r of realCorpus(opts)) {
    const buf = Buffer.from(r.text, "utf8");
    fs.writeFileSync(path.join(dir, r.fileName), buf);
    bytes += buf.length;
    files++;
    families[r.family] = (families[r.family] ?? 0) + 1;
  }
  return { files, bytes, families };
}
