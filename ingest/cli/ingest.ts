/**
 * `npm run ingest -- PATH...`: load report files and folders into the database: PostgreSQL when
 * DATABASE_URL names a server, else the SQLite file at DATABASE_PATH (default data/jixiao.db).
 * Progress goes to stderr, the summary to stdout; the exit code is 1 when any file failed.
 *
 * It runs at a low CPU priority unless told `--priority normal`: loading a folder is batch work,
 * and the analysts whose pages the same machine serves are people waiting.
 */
import os from "node:os";
import path from "node:path";
import { isPostgresUrl, migrateToLatest, openDatabaseAt, printableLocation } from "../../db/connection";
import type { IngestOutcome } from "../load";
import { ingestPaths, type IngestSummary } from "../pipeline";

const USAGE =
  "usage: npm run ingest -- [--workers N] [--priority low|normal] PATH...   (files or folders; DATABASE_URL or DATABASE_PATH selects the database)";

function parseArgs(argv: string[]): { paths: string[]; workers: number | null; lowPriority: boolean } {
  const paths: string[] = [];
  let workers: number | null = null;
  let lowPriority = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--workers" || arg === "-j") {
      const n = Number.parseInt(argv[++i] ?? "", 10);
      // 0 parses in the writer thread
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a whole number of parser threads (0 or more)`);
      workers = n;
    } else if (arg === "--priority") {
      const p = argv[++i];
      if (p !== "low" && p !== "normal") throw new Error(`--priority takes low or normal, not ${p ?? "nothing"}`);
      lowPriority = p === "low";
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      paths.push(arg);
    }
  }
  return { paths, workers, lowPriority };
}

/**
 * Below-normal priority for this thread and the parser threads it starts (Linux gives a new thread
 * its creator's niceness). Where the system refuses, the load runs as it is.
 */
function yieldToPages(): void {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: carry on at normal priority
  }
}

const STATUS_WORDS: Record<IngestOutcome["status"], string> = {
  loaded: "loaded",
  unchanged: "unchanged",
  replaced: "replaced",
  failed: "FAILED",
};

/**
 * The reason without a leading "name: " — parser messages often name the file already, and the
 * line printed starts with the path anyway.
 */
function reasonFor(message: string, file: string): string {
  const name = path.basename(file);
  for (const prefix of [`${file}:`, `${name}:`, `${file}：`, `${name}：`]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length).trim();
  }
  return message;
}

function describe(outcome: IngestOutcome, file: string): string {
  if (outcome.status === "failed") return `${file}: ${reasonFor(outcome.error.message, file)}`;
  if (outcome.status === "replaced" && outcome.replaced) {
    return `${STATUS_WORDS.replaced} ${file} (report ${outcome.reportId} replaces report ${outcome.replaced.reportId}` +
      ` from ${outcome.replaced.fileName}${outcome.replaced.label ? `: ${outcome.replaced.label}` : ""})`;
  }
  return `${STATUS_WORDS[outcome.status]} ${file} (report ${outcome.reportId})`;
}

function progressReporter(stream: NodeJS.WriteStream) {
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write("\r\x1b[2K");
    drawn = false;
  };
  return {
    update(done: number, total: number, outcome: IngestOutcome, file: string) {
      if (!tty) {
        stream.write(`[${done}/${total}] ${describe(outcome, file)}\n`);
        return;
      }
      // Failures and replacements are worth keeping on screen; the bar is redrawn below them.
      if (outcome.status === "failed" || outcome.status === "replaced") {
        clear();
        stream.write(`${describe(outcome, file)}\n`);
      }
      const now = Date.now();
      if (done < total && now - lastDraw < 50) return; // redrawing per file would cost more than loading
      lastDraw = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      const name = path.basename(file);
      const line = `${bar} ${done}/${total} ${Math.floor((done / total) * 100)}% ${name}`;
      const columns = stream.columns || 80;
      stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
      drawn = true;
    },
    finish() {
      clear();
    },
  };
}

function printSummary(summary: IngestSummary, databasePath: string): void {
  const seconds = summary.elapsedMs / 1000;
  const mb = summary.bytes / 1_048_576;
  const lines = [
    `database: ${printableLocation(databasePath)}`,
    `files: ${summary.files}  loaded: ${summary.loaded}  unchanged: ${summary.unchanged}  replaced: ${summary.replaced}  failed: ${summary.failed}`,
    `findings: ${summary.findings.error} error, ${summary.findings.warning} warning, ${summary.findings.info} info`,
    `time: ${seconds.toFixed(2)} s, ${mb.toFixed(2)} MB` +
      (seconds > 0 ? ` (${(summary.files / seconds).toFixed(0)} files/s, ${(mb / seconds).toFixed(2)} MB/s)` : "") +
      (summary.workers === 0 ? ", parsed in the writer thread" : `, ${summary.workers} parser thread${summary.workers === 1 ? "" : "s"} beside the writer`),
  ];
  // A re-run over a folder of new versions can replace thousands; list enough to check.
  const LIST_LIMIT = 20;
  for (const r of summary.replacements.slice(0, LIST_LIMIT)) {
    lines.push(
      `replaced: ${r.file} → report ${r.reportId} replaces report ${r.replacedReportId} (${r.replacedFile}${r.replacedLabel ? `: ${r.replacedLabel}` : ""})`,
    );
  }
  if (summary.replacements.length > LIST_LIMIT) lines.push(`replaced: … and ${summary.replacements.length - LIST_LIMIT} more`);
  // Every failure is listed: each one is a file somebody has to look at.
  for (const f of summary.failures) lines.push(`failed: ${f.file}: ${reasonFor(f.message, f.file)}`);
  console.log(lines.join("\n"));
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.paths.length === 0) {
    console.error(USAGE);
    return 2;
  }
  if (args.lowPriority) yieldToPages();
  // DATABASE_URL naming a PostgreSQL server selects it; else the SQLite file (its folder is created).
  const url = process.env.DATABASE_URL ?? "";
  const databasePath = isPostgresUrl(url) ? url : process.env.DATABASE_PATH || path.join("data", "jixiao.db");
  const { db } = openDatabaseAt(databasePath);
  try {
    try {
      await migrateToLatest(db);
    } catch (error) {
      // the store cannot be reached or brought up to date: say which, and why, without a stack
      console.error(`ingest failed: cannot open the database ${printableLocation(databasePath)}: ${(error as Error).message}`);
      return 1;
    }
    const progress = progressReporter(process.stderr);
    // Parsing is the CPU-bound part; the pipeline skips threads for a single file.
    // the writer thread keeps one core busy; the parser threads take the rest
    const workers = args.workers ?? Math.max(1, Math.min(os.availableParallelism() - 1, 4));
    const summary = await ingestPaths(db, args.paths, { workers, onProgress: progress.update });
    progress.finish();
    printSummary(summary, databasePath);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
