import type { DocumentModel } from "../document";
import type { SourceFormat } from "../types";
import { decodeText } from "./decode";
import { ReadError } from "./errors";
import { textToDocument } from "./text";
import { readDocx } from "./docx";
import { readXlsx } from "./xlsx";
import { readPdf } from "./pdf";
import { readHtml } from "./html";
import { readMarkdown } from "./md";

export { ReadError } from "./errors";

export interface ReadResult {
  format: SourceFormat;
  doc: DocumentModel;
}

/** The extension decides the reader; the bytes are still checked, so a renamed file fails clearly. */
export function formatOf(fileName: string): SourceFormat | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  switch (ext) {
    case "txt":
    case "text":
      return "txt";
    case "docx":
      return "docx";
    case "xlsx":
      return "xlsx";
    case "pdf":
      return "pdf";
    case "html":
    case "htm":
      return "html";
    case "md":
    case "markdown":
      return "md";
    default:
      return null;
  }
}

/** Old binary Office/WPS formats no well-kept JS library reads reliably: say what to do instead. */
const LEGACY_FORMATS: Record<string, string> = {
  xls: "不支持 .xls（旧版 Excel 格式），请在 Excel/WPS 中另存为 .xlsx 后再上传 (legacy .xls is not supported: save as .xlsx)",
  doc: "不支持 .doc（旧版 Word 格式），请在 Word/WPS 中另存为 .docx 后再上传 (legacy .doc is not supported: save as .docx)",
  wps: "不支持 .wps 文件，请在 WPS 中另存为 .docx 后再上传 (.wps is not supported: save as .docx)",
  et: "不支持 .et 文件，请在 WPS 中另存为 .xlsx 后再上传 (.et is not supported: save as .xlsx)",
};

/** Bytes of one file → the document model every extractor reads. */
export async function readDocument(bytes: Uint8Array, fileName: string): Promise<ReadResult> {
  const format = formatOf(fileName);
  switch (format) {
    case "txt": {
      const { text } = decodeText(bytes);
      return { format, doc: textToDocument(text) };
    }
    case "docx":
      return { format, doc: await readDocx(bytes) };
    case "xlsx":
      return { format, doc: await readXlsx(bytes) };
    case "pdf":
      return { format, doc: await readPdf(bytes) };
    case "html":
      return { format, doc: await readHtml(bytes) };
    case "md":
      return { format, doc: await readMarkdown(bytes) };
    case null: {
      const legacy = LEGACY_FORMATS[/\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ""];
      if (legacy) throw new ReadError("unsupported_type", legacy);
      throw new ReadError("unsupported_type", "不支持的文件类型（支持 .txt .docx .xlsx .pdf .html .md）");
    }
    default:
      throw new ReadError("unsupported_type", `暂不支持读取 .${format satisfies never} 文件`);
  }
}
