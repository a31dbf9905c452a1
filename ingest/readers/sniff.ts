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
