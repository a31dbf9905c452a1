/** What the first bytes of a file say it is, whatever its name claims. */
import { ReadError } from "./errors";

/** OLE2 compound file: legacy .doc/.xls, and also every password-protected .docx/.xlsx. */
export function isOleCompoundFile(bytes: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

export function isZipFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

export function isPdfFile(bytes: Uint8Array): boolean {
  // The header may follow a little junk; PDF readers look in the first 1 KB.
  return new TextDecoder("latin1").decode(bytes.subarray(0, 1024)).includes("%PDF-");
}

export function encryptedOrLegacyOffice(kind: string): ReadError {
  return new ReadError(
    "encrypted_or_legacy_office",
    `文件已加密或为旧版 Office 格式（.doc/.xls），请取消密码并另存为 ${kind} 后再上传 (the file is password-protected or a legacy Office file; remove the password and save it as ${kind})`,
  );
}

/**
 * An HTML page, whatever it is named: web systems export "Word" and "Excel" files as HTML tables,
 * and Word's "save as web page" keeps the .doc name. UTF-16 pages are decoded before looking.
 */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 2048);
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? "utf-16le" : head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : null;
  const text = new TextDecoder(utf16 ?? "latin1").decode(head).replace(/^\ufeff/, "").trimStart().toLowerCase();
  return /^(<!doctype html|<html|<\?xml[^>]*>\s*<html|<head|<body|<table|<meta)/.test(text) || /<html[\s>]/.test(text.slice(0, 1024));
}
