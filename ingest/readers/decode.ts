import { isUtf8, transcode } from "node:buffer";
import { ReadError } from "./errors";

/** Reports are a few hundred KB; anything far larger is not one and would only waste memory. */
export const MAX_TEXT_BYTES = 20 * 1024 * 1024;

/**
 * Bytes → text. UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030/GBK are detected;
 * anything else is refused with a reason rather than turned into mojibake.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes.length === 0) throw new ReadError("empty", "文件为空（0 字节）");
  if (bytes.length > MAX_TEXT_BYTES) {
    throw new ReadError("too_large", `文件过大（${(bytes.length / 1048576).toFixed(1)} MB），文本报告不应超过 ${MAX_TEXT_BYTES / 1048576} MB`);
  }
  let text: string;
  let encoding: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = strictDecode("utf-8", bytes.subarray(3));
    encoding = "utf-8-bom";
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const le = bytes[0] === 0xff;
    text = strictDecode(le ? "utf-16le" : "utf-16be", bytes.subarray(2));
    encoding = le ? "utf-16le" : "utf-16be";
  } else {
    if (looksBinary(bytes)) throw new ReadError("binary", "文件不是文本（含有二进制内容），无法作为报告读取");
    const utf8 = decodeUtf8AllowingCutTail(bytes);
    if (utf8 !== null) {
      text = utf8;
      encoding = "utf-8";
    } else {
      text = strictDecode("gb18030", bytes);
      encoding = "gb18030";
    }
  }
  if (!plausibleText(text)) {
    throw new ReadError("encoding", "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK 文本）");
  }
  return { text, encoding };
}

/** UTF-8, tolerating only a multi-byte character cut off at the very end (a truncated file). */
function decodeUtf8AllowingCutTail(bytes: Uint8Array): string | null {
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    const part = cut ? bytes.subarray(0, bytes.length - cut) : bytes;
    // Otherwise try again without the last byte(s): only a cut-off tail is forgiven.
    if (isUtf8(part)) return decodeValidUtf8(part);
  }
  return null;
}

/**
 * Well-formed UTF-8 without a leading BOM → text. Going through UTF-16 is several times faster than
 * TextDecoder for Chinese text, and gives the same string.
 */
function decodeValidUtf8(bytes: Uint8Array): string {
  return transcode(bytes, "utf8", "utf16le").toString("utf16le");
}

function strictDecode(label: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new ReadError("encoding", "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK 文本）");
  }
}

/** NUL bytes or many C0 control bytes mean a binary file, whatever its name says. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > n * 0.01;
}

/**
 * Decoded text must read like Chinese or ASCII prose: a GB18030 decode of random bytes succeeds but
 * yields rare ideographs and symbols, which this catches.
 */
function plausibleText(text: string): boolean {
  let good = 0;
  let total = 0;
  const end = Math.min(text.length, 50_000);
  for (let i = 0; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c === 0xfffd) return false;
    if (c <= 0x20) continue;
    total++;
    if (
      (c >= 0x21 && c <= 0x7e) ||
      (c >= 0x4e00 && c <= 0x9fa5) ||
      (c >= 0x3000 && c <= 0x303f) ||
      (c >= 0xff00 && c <= 0xffef) ||
      (c >= 0x2000 && c <= 0x206f) ||
      (c >= 0x2100 && c <= 0x22ff) ||
      (c >= 0x2460 && c <= 0x24ff) ||
      c === 0xb7
    ) {
      good++;
    }
  }
  return total > 0 && good / total > 0.9;
}
