/** The file types Jixiao reads, by extension; the one place that list lives. */
import type { SourceFormat } from "../types";

export const REPORT_EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  txt: "txt",
  text: "txt",
  docx: "docx",
  doc: "doc",
  wps: "doc",
  xlsx: "xlsx",
  xls: "xls",
  et: "xls",
  pdf: "pdf",
  html: "html",
  htm: "html",
  md: "md",
  markdown: "md",
};

/** Extensions accepted for upload and ingest: the report types plus .zip archives of them. */
export const ACCEPTED_EXTENSIONS: readonly string[] = [...Object.keys(REPORT_EXTENSIONS), "zip"];

/** The list people are shown (and the file picker's `accept`): aliases such as .markdown left out. */
export const SHOWN_EXTENSIONS: readonly string[] = [".txt", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pdf", ".html", ".htm", ".md", ".zip"];

/** Why a file of this name is refused, or null when its type is accepted. */
export function unsupportedTypeMessage(fileName: string): string | null {
  const ext = extensionOf(fileName);
  if (ACCEPTED_EXTENSIONS.includes(ext)) return null;
  return `不支持的文件类型${ext ? ` .${ext}` : "（没有扩展名）"}（支持 ${SHOWN_EXTENSIONS.join(" ")}）`;
}

export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}

export function reportFormatOf(fileName: string): SourceFormat | null {
  return REPORT_EXTENSIONS[extensionOf(fileName)] ?? null;
}

/**
 * A file name fit for display and storage as text: path parts and control characters removed,
 * length bounded. It is never used to build a path.
 */
export function sanitizeFileName(name: string): string {
  const noControl = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  const base = noControl.split(/[\\/]/).filter((p) => p !== "" && p !== "." && p !== "..").pop() ?? "";
  const trimmed = base.trim().replace(/^\.+/, "");
  const bounded = [...trimmed].slice(-200).join("");
  return bounded === "" ? "unnamed" : bounded;
}
