/**
 * Batch ingest: files and folders in, one summary out. Parsing is CPU-bound and independent per
 * file, so it runs in worker threads ahead of the loader; loading stays serial in this thread
 * because SQLite has one writer and each report must be its own transaction.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance as perfHooks } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { Kysely } from "kysely";
import { dialectOf } from "../db/dialect";
import { beginBulkLoad } from "../db/connection";
import type { Database } from "../db/schema";
import { addPhase, mergePhases, takePhases, timed, timing, type PhaseMs } from "./timing";
import { findUnchanged, loadReports, sha256Of, type IngestOutcome, type Writable } from "./load";
import { ACCEPTED_EXTENSIONS, sanitizeFileName } from "./readers/formats";
import { prepareForLoad, type FindingCounts, type ParseOutput, type Prepared } from "./rows";
import { expandZip } from "./readers/zip";

/** What a folder walk picks up: the one list of accepted types (readers/formats.ts). */
export const INGESTIBLE_EXTENSIONS = ACCEPTED_EXTENSIONS.map((e) => `.${e}`);

export type ParseFn = (bytes: Uint8Array, fileName: string) => Promise<ParseOutput>;

export interface IngestOptions {
  /**
   * Parser threads beside this one, which writes; 0 (the default) parses in this thread. The writer
   * keeps a core busy on its own, so cores − 1 threads is the fit: one more only makes three
   * threads share two cores (measured 25 % slower on two cores).
   */
  workers?: number;
  onProgress?: (done: number, total: number, outcome: IngestOutcome, file: string) => void;
  /**
   * Wait for the parser threads (a second or two to start) before parsing. By default a short
   * batch does not wait: its files are parsed in this thread until the threads are ready. A bulk
   * load (BULK_FILES or more) waits: parsing in this thread meanwhile warms up a second copy of the
   * parser's compiled code, and over 10k files that measured about 10 % slower.
   */
  waitForWorkers?: boolean;
  /** Replaces the real parser (in-thread only): lets tests drive the batch logic with fixtures. */
  parse?: ParseFn;
}

export interface IngestSummary {
  files: number;
  loaded: number;
  unchanged: number;
  replaced: number;
  failed: number;
  failures: { file: string; code: string; message: string }[];
  replacements: { file: string; reportId: number; replacedReportId: number; replacedFile: string; replacedLabel: string }[];
  /** Findings of the reports written in this run (loaded or replaced), by severity. */
  findings: FindingCounts;
  elapsedMs: number;
  bytes: number;
  /** Parser threads actually used (0: parsed in this thread, also when threads could not start). */
  workers: number;
  /** Write transactions: batches of reports committed together. */
  commits: number;
  /** With JIXIAO_TIMING=1: thread time by phase over all threads, in ms (see ingest/timing.ts). */
  phases?: PhaseMs;
}

interface FileEntry {
  path: string;
  /** Set when the path could not be listed; the file then fails with this reason. */
  error?: { code: string; message: string };
  /** A report inside a .zip: its bytes (inflated under the zip limits) and its own file name. */
  member?: { bytes: Uint8Array; fileName: string };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Expands folders recursively into ingestible files, in a stable (sorted) order. */
export async function expandPaths(paths: string[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && INGESTIBLE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        out.push({ path: full });
      }
    }
  };
  for (const p of paths) {
    try {
      const stat = await fs.stat(p);
      // A file named explicitly is attempted whatever its extension: the parser says why it fails.
      if (stat.isDirectory()) await walk(p);
      else out.push({ path: p });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not_found" : "unreadable";
      const message = code === "not_found" ? "文件或文件夹不存在 (no such file or folder)" : `无法读取 (cannot read): ${messageOf(error)}`;
      out.push({ path: p, error: { code, message } });
    }
  }
  return out;
}

/** A .zip is read whole into memory to be expanded: larger archives are refused. */
const MAX_ZIP_BYTES = 200 * 1024 * 1024;

/**
 * .zip archives among the files → one entry per report inside, labelled "archive.zip!/folder/name".
 * The archive is inflated in memory under the zip-bomb limits (ingest/readers/zip.ts); entry names
 * are labels, never paths. A nested zip is listed as a failure; other non-report entries are
 * passed over, as in folders.
 */
async function expandArchives(files: FileEntry[]): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for (const entry of files) {
    if (entry.error || path.extname(entry.path).toLowerCase() !== ".zip") {
      out.push(entry);
      continue;
    }
    try {
      const { size } = await fs.stat(entry.path);
      if (size > MAX_ZIP_BYTES) {
        out.push({ path: entry.path, error: { code: "too_large", message: `压缩包过大（${(size / 1_048_576).toFixed(1)} MB，上限 ${MAX_ZIP_BYTES / 1_048_576} MB）` } });
        continue;
      }
      const { entries, skipped } = expandZip(await fs.readFile(entry.path), path.basename(entry.path));
      for (const m of entries) out.push({ path: `${entry.path}!/${m.name}`, member: { bytes: m.bytes, fileName: sanitizeFileName(m.name) } });
      for (const s of skipped) {
        if (path.extname(s.name).toLowerCase() === ".zip") out.push({ path: `${entry.path}!/${s.name}`, error: { code: "nested_zip", message: s.reason } });
      }
      if (entries.length === 0 && !skipped.some((s) => path.extname(s.name).toLowerCase() === ".zip")) {
        out.push({ path: entry.path, error: { code: "empty_zip", message: "压缩包中没有可读取的报告文件 (no report files in the archive)" } });
      }
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : "unreadable";
      out.push({ path: entry.path, error: { code, message: messageOf(error) } });
    }
  }
  return out;
}

/** Parses bytes and converts the result into rows for the writer (see prepareForLoad). */
type PrepareFn = (bytes: Uint8Array, fileName: string) => Promise<Prepared>;

interface ParseJob {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  resolve: (r: Prepared) => void;
  reject: (e: unknown) => void;
}

type WorkerReply = { id: number; result: Prepared; phases?: PhaseMs } | { id: number; crash: string } | { ready: true };

/**
 * The code a parser thread starts with. The parser is TypeScript run through tsx, and on Node 20
 * a worker does not inherit the tsx hooks (nor honour `--import tsx` in execArgv), so the thread
 * registers them itself through tsx's public ESM API before importing the worker module.
 */
function workerBootstrap(): string {
  const require = createRequire(import.meta.url);
  const manifestFile = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const apiEntry = manifest.exports["./esm/api"]?.import?.default;
  if (!apiEntry) throw new Error("tsx has no ESM register API");
  const api = pathToFileURL(path.join(path.dirname(manifestFile), apiEntry)).href;
  const worker = new URL("./parse-worker.ts", import.meta.url);
  // Inside a bundle (the Remix server build) the worker module is not beside this code:
  // say so at once, and the pipeline parses in its own thread.
  if (!existsSync(fileURLToPath(worker))) throw new Error("parser worker module not found");
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker.href)}); });`;
}

/**
 * A small pool of parser threads. Threads take a second or two to start (they load the parser
 * and its readers), so until they are ready files are parsed in this thread: a short batch never
 * waits for them. Jobs of a thread that dies are re-run in this thread.
 */
class ParsePool {
  private nextId = 0;
  private turn = 0;
  /** Whether any file went to a thread: what the summary reports as threads used. */
  used = false;
  private closed = false;
  private readonly workers: Worker[] = [];
  /** CPU ms by phase reported by the threads (JIXIAO_TIMING=1). */
  readonly phases: PhaseMs = {};
  /** Threads that have loaded the parser and not died, with the jobs each is working on. */
  private readonly ready = new Map<Worker, Map<number, ParseJob>>();

  constructor(
    count: number,
    private readonly fallback: PrepareFn,
  ) {
    try {
      const code = workerBootstrap();
      for (let i = 0; i < count; i++) this.workers.push(new Worker(code, { eval: true }));
    } catch {
      // No threads (no worker module in a bundle, no tsx): everything is parsed in this thread.
      return;
    }
    for (const w of this.workers) this.attach(w);
  }

  /** Resolves once every thread has started or died. */
  whenStarted(): Promise<void> {
    return Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (this.ready.has(w)) return resolve();
            w.once("message", () => resolve());
            w.once("exit", () => resolve());
          }),
      ),
    ).then(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  // Listeners go on at once: a thread's "error" event without a listener would crash the process.
  private attach(w: Worker): void {
    const jobs = new Map<number, ParseJob>();
    w.on("message", (msg: WorkerReply) => {
      if ("ready" in msg) {
        this.ready.set(w, jobs);
        return;
      }
      const job = jobs.get(msg.id);
      if (!job) return;
      jobs.delete(msg.id);
      if ("crash" in msg) job.reject(new Error(msg.crash));
      else {
        mergePhases(this.phases, msg.phases);
        job.resolve(msg.result);
      }
    });
    const abandon = () => {
      this.ready.delete(w);
      if (this.closed) return;
      // Whatever the thread had not answered is parsed here instead.
      for (const job of jobs.values()) this.fallback(job.bytes, job.fileName).then(job.resolve, job.reject);
      jobs.clear();
    };
    w.on("error", abandon);
    w.on("exit", abandon);
  }

  parse(bytes: Uint8Array, fileName: string): Promise<Prepared> {
    const alive = [...this.ready.keys()];
    if (alive.length === 0) return this.fallback(bytes, fileName);
    this.used = true;
    const worker = alive[this.turn++ % alive.length];
    return new Promise<Prepared>((resolve, reject) => {
      const job: ParseJob = { id: this.nextId++, bytes, fileName, resolve, reject };
      this.ready.get(worker)!.set(job.id, job);
      // Copied, not transferred: the bytes are small next to the parse, and the caller keeps them.
      worker.postMessage({ id: job.id, bytes, fileName });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ready.clear();
    // Threads still starting are stopped too.
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}

/** Files from which on an ingest is a bulk load. */
const BULK_FILES = 256;
/** Reports written with one commit at most; a batch also ends at the first file not yet parsed. */
const MAX_BATCH = 256;
/**
 * With parser threads, the writer waits until this many files (or all those in flight) are parsed
 * before it commits. Every commit copies the pages it touched to the WAL, and the hot ones (the
 * right edge of each b-tree, the summary tables) are touched by every batch: taken as they came,
 * batches averaged 12 reports and the writer spent about 0.65 ms a report, against about 0.45 in
 * batches of 64 or more. Waiting costs the writer nothing it needs: the time goes to the parser.
 */
const MIN_BATCH = 64;
/** Files read and hashed together, with one question to the database about which are stored. */
const DISPATCH_GROUP = 32;
/** Bytes read ahead of the writer at most (one file is always allowed, however large). */
const MAX_BYTES_AHEAD = 64 * 1024 * 1024;
/** The writer thread's share of the parsing (see ingestPaths): where it starts, its cap, its step per batch, and the load above which the writer gives files back. */
const WRITER_SHARE_START = 0.2;
const WRITER_SHARE_MAX = 0.5;
const WRITER_SHARE_STEP = 0.02;
const WRITER_BUSY = 0.92;

/** A write failure names the file as the caller listed it, like every other failure of the batch. */
function relabel(outcome: IngestOutcome, file: string): IngestOutcome {
  return outcome.status === "failed" ? { ...outcome, file } : outcome;
}

/** "/tmp/x/a.zip!/dir/b.docx" → "a.zip!/dir/b.docx"; "/data/r.txt" → "r.txt". */
function displayName(file: string): string {
  const [outer, ...inner] = file.split("!/");
  return [path.basename(outer), ...inner].join("!/");
}

async function defaultParse(bytes: Uint8Array, fileName: string): Promise<ParseOutput> {
  const { parseBuffer } = await import("./parse");
  return parseBuffer(bytes, fileName);
}

/**
 * Ingests files and folders. Reports are loaded in the order the files are listed (so that of two
 * versions in one batch the later listed wins), each in its own transaction; a file that fails is
 * recorded and the batch goes on.
 */
export async function ingestPaths(
  db: Kysely<Database>,
  paths: string[],
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  const files = await expandArchives(await expandPaths(paths));
  const summary: IngestSummary = {
    files: files.length,
    loaded: 0,
    unchanged: 0,
    replaced: 0,
    failed: 0,
    failures: [],
    replacements: [],
    findings: { error: 0, warning: 0, info: 0 },
    elapsedMs: 0,
    bytes: 0,
    workers: 0,
    commits: 0,
  };

  const parseInThread = opts.parse ?? defaultParse;
  const prepareInThread: PrepareFn = async (b, f) => {
    const parsed = await parseInThread(b, f);
    return timed("rows", () => prepareForLoad(parsed));
  };
  const wanted = opts.parse ? 0 : Math.max(0, Math.floor(opts.workers ?? 0));
  const pool = wanted > 0 && files.length > 1 ? new ParsePool(Math.min(wanted, files.length), prepareInThread) : null;
  if (pool && (opts.waitForWorkers ?? files.length >= BULK_FILES)) await pool.whenStarted();
  const prepareBytes: PrepareFn = pool ? (b, f) => pool.parse(b, f) : prepareInThread;
  const sizeLimit = opts.parse ? Number.POSITIVE_INFINITY : (await import("./parse")).MAX_FILE_BYTES;

  /** A file made ready: an outcome already (failed, unchanged) or rows to write. */
  type Ready = { outcome?: IngestOutcome; prepared?: Prepared; size: number };
  const failed = (entry: FileEntry, code: string, message: string, size = 0): Ready => ({
    outcome: { status: "failed", file: entry.path, error: { code, message } },
    size,
  });

  /**
   * A file's bytes, or why there are none. Read synchronously: the files are small and in the page
   * cache more often than not, and one open/fstat/read/close here costs the writer thread far less
   * than the same calls as promises through libuv's pool.
   */
  const read = (entry: FileEntry): Ready | { bytes: Uint8Array } => {
    if (entry.error) return failed(entry, entry.error.code, entry.error.message);
    if (entry.member) return { bytes: entry.member.bytes };
    let fd: number | undefined;
    try {
      fd = openSync(entry.path, "r");
      // Refuse an oversized file before reading it into memory, as parseFile does.
      const { size } = fstatSync(fd);
      if (size > sizeLimit) {
        return failed(entry, "too_large", `文件过大（${(size / 1_048_576).toFixed(1)} MB，上限 ${(sizeLimit / 1_048_576).toFixed(0)} MB）`);
      }
      return { bytes: readFileSync(fd) };
    } catch (error) {
      return failed(entry, "unreadable", `无法读取 (cannot read): ${messageOf(error)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  // Files are read, hashed and handed to the parser threads ahead of the writer: enough to keep
  // every thread busy and to give the writer whole batches, within a byte budget so that a folder
  // of large files does not sit in memory at once. Each group of files asks the database once
  // which of them are stored already; those are not parsed at all.
  // Parsing in this thread, a few files ahead still make batches (fewer commits).
  const ahead = pool ? MAX_BATCH : 16;
  const inFlight: Promise<Ready>[] = [];
  /** Files whose preparation has finished, by index: what a batch may take without waiting. */
  const ready: (Ready | undefined)[] = [];
  let dispatched = 0;
  let bytesAhead = 0;
  const dispatch = async (current: number) => {
    while (dispatched < Math.min(files.length, current + ahead) && (bytesAhead < MAX_BYTES_AHEAD || dispatched === current)) {
      const from = dispatched;
      const group = files.slice(from, Math.min(files.length, current + ahead, from + DISPATCH_GROUP));
      dispatched += group.length;
      const contents = timed("read", () => group.map(read));
      const hashes = timed("hash", () => contents.map((c) => ("bytes" in c ? sha256Of(c.bytes) : "")));
      const known = await findUnchanged(db, hashes.filter((h) => h !== ""));
      contents.forEach((c, k) => {
        const index = from + k;
        const settle = (r: Ready) => (ready[index] = r);
        if (!("bytes" in c)) {
          inFlight[index] = Promise.resolve(settle(c));
          return;
        }
        const size = c.bytes.byteLength;
        bytesAhead += size;
        const stored = known.get(hashes[k]);
        if (stored) {
          inFlight[index] = Promise.resolve(settle({ outcome: stored, size }));
          return;
        }
        const entry = group[k];
        // A share of the files is parsed here, by the writer, whose core is otherwise idle while it waits on the threads.
        let prepare = prepareBytes;
        if (pool && (share.credit += share.fraction) >= 1) {
          share.credit -= 1;
          prepare = prepareInThread;
        }
        inFlight[index] = prepare(c.bytes, entry.member?.fileName ?? path.basename(entry.path)).then(
          (prepared) => settle({ prepared, size }),
          (error) => settle(failed(entry, "parse_crashed", `解析出错 (parser error): ${messageOf(error)}`, size)),
        );
      });
    }
  };

  /**
   * The writer's share of the parsing: the writer thread's load decides it, batch by batch. While
   * the writer waits on the parser threads (busy less than WRITER_BUSY of the time) it takes more
   * files to parse; once it is the bottleneck it gives them back. On two cores with 25 KB reports
   * it settles near a quarter of the files.
   */
  // Not on PostgreSQL: there the writer's idle event loop is time the server process spends on the
  // same cores writing what it was sent, and a parse in the writer delays every answer it awaits
  // (600 real-size reports: 125–145 reports/s without the share, 97–108 with it).
  const writerParses = pool && files.length >= BULK_FILES && dialectOf(db) !== "postgres";
  const share = { fraction: writerParses ? WRITER_SHARE_START : 0, credit: 0 };
  let elu = perfHooks.eventLoopUtilization();
  const adjustShare = () => {
    if (!writerParses) return;
    const now = perfHooks.eventLoopUtilization();
    const busy = perfHooks.eventLoopUtilization(now, elu).utilization;
    elu = now;
    share.fraction = Math.min(WRITER_SHARE_MAX, Math.max(0, share.fraction + (busy < WRITER_BUSY ? WRITER_SHARE_STEP : -WRITER_SHARE_STEP)));
  };

  const endBulkLoad = beginBulkLoad(db);
  try {
    let i = 0;
    while (i < files.length) {
      await dispatch(i);
      // every one of them: with two or more threads, files finish out of order
      if (pool) await Promise.all(inFlight.slice(i, Math.min(dispatched, i + MIN_BATCH)));
      // Let every parse result that arrived while the last batch was written be delivered first:
      // SQLite calls are synchronous, so without a turn of the event loop the writer would resume
      // after each single message and commit batches of one or two.
      await new Promise((resolve) => setImmediate(resolve));
      // Wait for the next file in order, then take the files after it that are ready too: they
      // are written with one commit (loadReports), and the writer never waits on a parse to
      // commit what it has.
      const batch: Ready[] = [await inFlight[i]];
      while (i + batch.length < dispatched && batch.length < MAX_BATCH && ready[i + batch.length]) batch.push(ready[i + batch.length]!);
      const writable: Writable[] = [];
      for (const [k, r] of batch.entries()) {
        if (r.outcome || !r.prepared || "failure" in r.prepared) continue;
        // The stored name is what a person recognises (the file, or archive!/member), not a machine path.
        writable.push({ ...r.prepared, sizeBytes: r.size, fileName: displayName(files[i + k].path) });
      }
      const t0 = timing.on ? performance.now() : 0;
      const written = await loadReports(db, writable);
      if (timing.on) addPhase("write", performance.now() - t0);
      if (writable.length > 0) summary.commits++;
      let w = 0;
      for (const [k, r] of batch.entries()) {
        const file = files[i + k].path;
        const prepared = r.prepared;
        const outcome: IngestOutcome =
          r.outcome ??
          (prepared && "failure" in prepared ? { status: "failed", file, error: prepared.failure } : relabel(written[w++], file));
        delete inFlight[i + k];
        delete ready[i + k];
        bytesAhead -= r.size;
        summary.bytes += r.size;
        record(summary, outcome, file);
        opts.onProgress?.(i + k + 1, files.length, outcome, file);
      }
      i += batch.length;
      adjustShare();
    }
  } finally {
    endBulkLoad();
    await pool?.close();
  }
  if (pool?.used) summary.workers = pool.size;
  summary.elapsedMs = Math.round(performance.now() - started);
  if (timing.on) {
    const phases = takePhases();
    mergePhases(phases, pool?.phases);
    summary.phases = phases;
  }
  return summary;
}

function record(summary: IngestSummary, outcome: IngestOutcome, file: string): void {
  switch (outcome.status) {
    case "failed":
      summary.failed += 1;
      summary.failures.push({ file, ...outcome.error });
      return;
    case "unchanged":
      summary.unchanged += 1;
      return;
    case "replaced":
      summary.replaced += 1;
      summary.replacements.push({
        file,
        reportId: outcome.reportId,
        replacedReportId: outcome.replacedReportId ?? outcome.replaced?.reportId ?? 0,
        replacedFile: outcome.replaced?.fileName ?? "",
        replacedLabel: outcome.replaced?.label ?? "",
      });
      break;
    case "loaded":
      summary.loaded += 1;
      break;
  }
  for (const severity of ["error", "warning", "info"] as const) summary.findings[severity] += outcome.findings[severity];
}
