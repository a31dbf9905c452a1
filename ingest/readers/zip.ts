/**
 * Zip archives, read defensively: the same inflater serves .docx parts and .zip uploads of reports.
 * Limits (entry count, total inflated size, inflation ratio) are checked while inflating, in small
 * input slices, so a zip bomb is stopped after a few megabytes instead of exhausting memory.
 * Entry names are labels only; nothing here touches the file system.
 */
import { crc32 } from "node:zlib";
import { Unzip, UnzipInflate, type UnzipFile } from "fflate";
import { ReadError } from "./errors";
import { isZipFile } from "./sniff";
import { extensionOf, reportFormatOf, sanitizeFileName } from "./formats";

export interface ZipLimits {
  /** Most entries an archive may hold (directories included). */
  maxEntries: number;
  /** Most bytes all inflated entries may add up to. */
  maxTotalBytes: number;
  /** Most inflated bytes per compressed byte, for the archive and for each entry. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2_000, maxTotalBytes: 500 * 1024 * 1024, maxRatio: 100 };

/** Small entries may legitimately compress far better than maxRatio (a page of blanks); below this size the ratio is not checked. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Input slice fed to the inflater: deflate expands at most ~1032×, so one slice yields at most ~16 MB. */
const SLICE = 16 * 1024;

export interface ZipEntry {
  /** The entry's name inside the archive, for display only. */
  name: string;
  bytes: Uint8Array;
}

function limitError(message: string): ReadError {
  return new ReadError("zip_limit", message);
}

/**
 * Inflates the entries `wanted` accepts (all files when omitted). Throws ReadError for a file that is
 * not a zip, a corrupt or encrypted archive, and any limit exceeded.
 */
export function inflateZip(
  bytes: Uint8Array,
  options: {
    wanted?: (name: string) => boolean;
    limits?: Partial<ZipLimits>;
    /** Inflate to check the limits, keep no bytes (entries come back empty). */
    measureOnly?: boolean;
  } = {},
): ZipEntry[] {
  const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  if (!isZipFile(bytes)) throw new ReadError("not_zip", "不是有效的 zip 压缩文件 (not a zip archive)");
  const archiveCap = Math.max(RATIO_FLOOR_BYTES, limits.maxRatio * bytes.length);
  const out: ZipEntry[] = [];
  let entryCount = 0;
  let total = 0;
  let failure: unknown = null;

  const expectedCrc = centralDirectoryCrcs(bytes);
  const unzip = new Unzip((file: UnzipFile) => {
    entryCount++;
    if (entryCount > limits.maxEntries) {
      throw limitError(`压缩包条目过多（超过 ${limits.maxEntries} 个）(the archive has more than ${limits.maxEntries} entries)`);
    }
    if (file.name.endsWith("/")) return;
    if (options.wanted && !options.wanted(file.name)) return;
    if (file.compression !== 0 && file.compression !== 8) {
      throw new ReadError("zip_unsupported", `压缩包使用了不支持的压缩方式 (unsupported compression method ${file.compression} in an entry)`);
    }
    const entryCap = Math.max(RATIO_FLOOR_BYTES, limits.maxRatio * Math.max(file.size ?? 0, 1));
    const chunks: Uint8Array[] = [];
    let entryTotal = 0;
    let crc = 0;
    file.ondata = (err, chunk, final) => {
      if (err) throw err;
      entryTotal += chunk.length;
      crc = crc32(chunk, crc);
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        throw limitError(`压缩包解压后超过 ${Math.round(limits.maxTotalBytes / 1048576)} MB (the archive inflates to more than the limit)`);
      }
      if (total > archiveCap || (file.compression === 8 && entryTotal > entryCap)) {
        throw limitError(`压缩包的压缩比异常（超过 ${limits.maxRatio} 倍），可能是压缩炸弹 (inflation ratio above ${limits.maxRatio}×: a zip bomb?)`);
      }
      if (!options.measureOnly) chunks.push(chunk);
      // A damaged deflate stream can still inflate without an error; the checksum says so.
      const expected = expectedCrc.get(file.name);
      if (final && expected !== undefined && expected !== crc) {
        throw new ReadError("corrupt_zip", `压缩文件已损坏：${file.name} 的校验和不符 (checksum mismatch: the archive is damaged)`);
      }
      if (final) out.push({ name: file.name, bytes: options.measureOnly ? new Uint8Array(0) : concat(chunks, entryTotal) });
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < bytes.length; i += SLICE) {
      unzip.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (e) {
    failure = e;
  }
  if (failure) {
    if (failure instanceof ReadError) throw failure;
    throw new ReadError(
      "corrupt_zip",
      `压缩文件已损坏或已加密，无法解压 (corrupt or encrypted zip: ${failure instanceof Error ? failure.message : String(failure)})`,
    );
  }
  if (entryCount === 0) throw new ReadError("corrupt_zip", "压缩文件已损坏或为空 (the zip holds no readable entry)");
  return out;
}

/**
 * CRC-32 of each entry by name, from the central directory at the end of the archive (the local
 * headers may defer it to a data descriptor). Empty when the directory cannot be found: the
 * inflater then reports a truncated archive by itself.
 */
function centralDirectoryCrcs(bytes: Uint8Array): Map<string, number> {
  const crcs = new Map<string, number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // the end-of-central-directory record: 22 bytes plus a comment of at most 65,535
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return crcs;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  const seen = new Map<string, number>();
  for (let k = 0; k < entries && at + 46 <= bytes.length; k++) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) break;
    // fflate decodes names the same way: UTF-8 when flagged, else byte by byte (latin1)
    const utf8 = (view.getUint16(at + 8, true) & 0x800) !== 0;
    const raw = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = utf8 ? decoder.decode(raw) : String.fromCharCode(...raw);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    crcs.set(name, view.getUint32(at + 16, true));
    at += 46 + skip;
  }
  // a name listed twice cannot say which entry a checksum belongs to: those are not checked
  for (const [name, count] of seen) if (count > 1) crcs.delete(name);
  return crcs;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

export interface ExpandedZip {
  /** The report files in the archive (known extensions), in archive order. */
  entries: ZipEntry[];
  /** Entries that were not taken, with the reason (nested archives, unknown types). */
  skipped: { name: string; reason: string }[];
}

/** Archive noise that is not a report and not worth mentioning. */
function isNoise(name: string): boolean {
  const parts = name.split("/");
  const base = parts[parts.length - 1];
  return parts.includes("__MACOSX") || base.startsWith(".") || base === "Thumbs.db" || base === "desktop.ini";
}

/**
 * Expands an uploaded .zip of reports. Entry names are sanitized for display (path parts kept as a
 * "folder/file" label, never used as paths); nested zips are refused, not opened.
 */
export function expandZip(bytes: Uint8Array, archiveName: string, limits: Partial<ZipLimits> = {}): ExpandedZip {
  const skipped: ExpandedZip["skipped"] = [];
  let entries: ZipEntry[];
  try {
    entries = inflateZip(bytes, {
      limits,
      wanted: (name) => {
        const label = entryLabel(name);
        if (isNoise(name)) return false;
        if (extensionOf(name) === "zip") {
          skipped.push({ name: label, reason: "压缩包内不能再嵌套压缩包 (nested archives are not opened)" });
          return false;
        }
        if (reportFormatOf(name) === null) {
          skipped.push({ name: label, reason: "不支持的文件类型 (not a report type Jixiao reads)" });
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ReadError) throw new ReadError(e.code, `${sanitizeFileName(archiveName)}: ${e.message}`);
    throw e;
  }
  return { entries: entries.map((e) => ({ name: entryLabel(e.name), bytes: e.bytes })), skipped };
}

/** "a/../b\u0007.txt" → "a/b.txt": a readable label that cannot be mistaken for a path outside the archive. */
export function entryLabel(name: string): string {
  const parts = repairNameEncoding(name)
    .split(/[\\/]/)
    .filter((p) => p !== "" && p !== "." && p !== "..")
    .map((p) => sanitizeFileName(p));
  return parts.length === 0 ? "unnamed" : parts.join("/");
}

/**
 * Zips made on Chinese Windows store names in GBK without the UTF-8 flag, which fflate decodes as
 * Latin-1; the bytes are recovered and decoded as UTF-8, else GB18030.
 */
function repairNameEncoding(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name) || /[^\u0000-\u00ff]/.test(name)) return name;
  const raw = Uint8Array.from(name, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(raw);
    } catch {
      return name;
    }
  }
}
