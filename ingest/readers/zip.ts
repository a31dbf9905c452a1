/**
 * Zip archives, read defensively: the same inflater serves .docx parts and .zip uploads of reports.
 * Limits (entry count, total inflated size, inflation ratio) are checked while inflating, in small
 * input slices, so a zip bomb is stopped after a few megabytes instead of exhausting memory.
 * Entry names are labels only; nothing here touches the file system.
 */
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
    file.ondata = (err, chunk, final) => {
      if (err) throw err;
      entryTotal += chunk.length;
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        throw limitError(`压缩包解压后超过 ${Math.round(limits.maxTotalBytes / 1048576)} MB (the archive inflates to more than the limit)`);
      }
      if (total > archiveCap || (file.compression === 8 && entryTotal > entryCap)) {
        throw limitError(`压缩包的压缩比异常（超过 ${limits.maxRatio} 倍），可能是压缩炸弹 (inflation ratio above ${limits.maxRatio}×: a zip bomb?)`);
      }
      if (!options.measureOnly) chunks.push(chunk);
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
