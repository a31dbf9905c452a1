import type { DocumentModel } from "../document";
import type { SourceFormat } from "../types";
import { decodeText } from "./decode";
import { ReadError } from "./errors";
import { textToDocument } from "./text";
import { readDoc } from "./doc";
import { readDocx } from "./docx";
import { readXls, readXlsx } from "./xlsx";
import { reportFormatOf, SHOWN_EXTENSIONS } from "./formats";
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
  return reportFormatOf(fileName);
}

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
    case "doc":
      return { format, doc: await readDoc(bytes) };
    case "xls":
      return { format, doc: await readXls(bytes) };
    case "pdf":
      return { format, doc: await readPdf(bytes) };
    case "html":
      return { format, doc: await readHtml(bytes) };
    case "md":
      return { format, doc: await readMarkdown(bytes) };
    case null: {
      throw new ReadError("unsupported_type", `不支持的文件类型（支持 ${SHOWN_EXTENSIONS.filter((e) => e !== ".zip").join(" ")}）`);
    }
    default:
      throw new ReadError("unsupported_type", `暂不支持读取 .${format satisfies never} 文件`);
  }
}
