/**
 * Each seed's text dump (read at test time from ../shared/seeds) is turned into a real .docx with
 * merged table cells; reading that .docx must give back the dump's blocks, and parsing it must give
 * the same facts as the text and score the same against ../shared/gold.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DocumentModel } from "../../ingest/document";
import { parseBuffer } from "../../ingest/parse";
import { readDocument } from "../../ingest/readers";
import { docxFromModel } from "./helpers/docx-fixtures";
import { goldFiles, scoreAgainstGold, SEEDS_DIR } from "./helpers/gold";

function blockTexts(doc: DocumentModel): string[] {
  return doc.blocks.map((b) =>
    b.type === "paragraph" ? `P ${b.text}` : `T ${b.rows.map((r) => r.cells.map((c) => c.text).join(" | ")).join(" // ")}`,
  );
}

/** The facts without what legitimately differs between formats: line numbers, source, messages that quote lines. */
function facts(r: unknown): unknown {
  return JSON.parse(
    JSON.stringify(r, (k, v: unknown) => (["line", "provenance", "source", "sourceText", "message"].includes(k) ? undefined : v)),
  );
}

describe.each(goldFiles().map((g) => [g.input, g] as const))("seed %s as .docx", (input, gold) => {
  const textBytes = readFileSync(path.join(SEEDS_DIR, input));
  const docxName = input.replace(/\.txt$/, ".docx");
  let docxBytes: Uint8Array;

  beforeAll(async () => {
    const { doc } = await readDocument(textBytes, input);
    docxBytes = await docxFromModel(doc);
  });

  it("reads back to the dump's paragraphs and table cells, in order", async () => {
    const fromText = await readDocument(textBytes, input);
    const fromDocx = await readDocument(docxBytes, docxName);
    expect(fromDocx.format).toBe("docx");
    expect(blockTexts(fromDocx.doc)).toEqual(blockTexts(fromText.doc));
    // Provenance: every block's line points at its own text in the synthesized lines.
    for (const b of fromDocx.doc.blocks) {
      const shown = fromDocx.doc.lines[b.line - 1];
      if (b.type === "paragraph") expect(shown.trim()).toBe(b.text);
      else expect(shown.startsWith("\t")).toBe(true);
    }
  });

  it("writes real merges: the Word tables have vertical merges and spans", async () => {
    const { doc } = await readDocument(docxBytes, docxName);
    const cells = doc.blocks.flatMap((b) => (b.type === "table" ? b.rows.flatMap((r) => r.cells) : []));
    if (cells.length === 0) return; // a seed without tables has nothing to merge
    expect(cells.some((c) => (c.rowSpan ?? 1) > 1) || cells.some((c) => (c.colSpan ?? 1) > 1)).toBe(true);
  });

  it("parses to the same facts as the text dump and to the gold facts", async () => {
    const fromText = await parseBuffer(textBytes, input);
    const fromDocx = await parseBuffer(docxBytes, docxName);
    expect("error" in fromDocx ? fromDocx.error : null).toBeNull();
    expect(facts(fromDocx)).toEqual(facts(fromText));
    // Scored as the text is, under the gold file's name.
    const asGold = { ...fromDocx, source: { ...fromDocx.source, file: input } };
    const score = scoreAgainstGold(gold, asGold);
    expect(score.misses).toEqual(scoreAgainstGold(gold, fromText).misses);
    // The scorer matches names with brackets stripped, so two gold items that differ only in their
    // bracket ("X经费（甲）" / "X经费（乙）") both resolve to the first; test/ingest/gold.test.ts
    // checks those by exact name. Every other fact must match.
    const core = (n: string) => n.replace(/[（(][^）)]*[)）]$/, "");
    const items = (gold.lineItems ?? []) as { name: string }[];
    const ambiguous = items.filter((a) => items.some((b) => b !== a && core(b.name) === core(a.name))).map((a) => a.name);
    expect(score.misses.filter((m) => !ambiguous.some((n) => m.includes(`[${n}]`)))).toEqual([]);
  });
});
