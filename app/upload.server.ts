/**
 * Uploads from the browser: size limits (a setting), type checks, reading a body without trusting
 * its declared length, and ingesting each file (or each report inside a .zip) on its own so a
 * failing file never blocks the others. Uploaded names are sanitized for display and stored as
 * text; they are never used to build a path.
 */
import type { Kysely } from "kysely";
import { unstable_parseMultipartFormData } from "@remix-run/node";
import type { Database } from "../db/schema";
import { ingestBuffer, type IngestOutcome } from "../ingest/load";
import { extensionOf, sanitizeFileName, unsupportedTypeMessage } from "../ingest/readers/formats";
import { expandZip } from "../ingest/readers/zip";
import type { UploadAccess } from "./auth/access.server";
import { removeStoredFile, storeFile } from "./files.server";
import { insertAuditEvent } from "../db/queries/audit";

const MB = 1024 * 1024;

export interface UploadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest request body accepted (a form may carry several files), in bytes. */
  maxRequestBytes: number;
}

function megabytes(value: string | undefined, fallback: number): number {
  const n = value === undefined || value.trim() === "" ? NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** UPLOAD_MAX_MB (default 20) per file; UPLOAD_MAX_REQUEST_MB (default 5 files' worth) per request. */
export function uploadLimits(env: Record<string, string | undefined> = process.env): UploadLimits {
  const fileMb = megabytes(env.UPLOAD_MAX_MB, 20);
  const requestMb = Math.max(megabytes(env.UPLOAD_MAX_REQUEST_MB, fileMb * 5), fileMb);
  return { maxFileBytes: Math.round(fileMb * MB), maxRequestBytes: Math.round(requestMb * MB) };
}

export function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

export type UploadStatus = IngestOutcome["status"];

/** One file's result, as the page shows it. */
export interface UploadResult {
  name: string;
  status: UploadStatus;
  reportId?: number;
  findings?: number;
  replaced?: { reportId: number; fileName: string; label: string };
  error?: { code: string; message: string };
  /** For a .zip: one result per report inside it. */
  entries?: UploadResult[];
}

export class UploadRejected extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function tooLarge(what: string, limit: number): UploadRejected {
  return new UploadRejected(413, "too_large", `${what}超过 ${formatMb(limit)} 上限 (larger than the ${formatMb(limit)} limit)`);
}

/** The declared length alone can reject a request before a byte of it is read. */
export function checkDeclaredLength(contentLength: string | null, limit: number, what = "文件"): void {
  if (contentLength === null) return;
  const n = Number(contentLength);
  if (Number.isFinite(n) && n > limit) throw tooLarge(what, limit);
}

/** Reads a body, counting bytes as they arrive: a body longer than its declared length is still stopped at the limit. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number, what = "文件"): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(what, limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The display name from the X-File-Name header (URI-encoded so any Unicode name survives HTTP). */
export function uploadedName(header: string | null): string {
  if (!header) return "unnamed";
  let decoded = header;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    // not URI-encoded: use it as sent
  }
  return sanitizeFileName(decoded);
}

export function unsupportedType(name: string): UploadResult | null {
  const message = unsupportedTypeMessage(name);
  return message === null ? null : { name, status: "failed", error: { code: "unsupported_type", message } };
}

function resultOf(name: string, outcome: IngestOutcome): UploadResult {
  if (outcome.status === "failed") return { name, status: "failed", error: outcome.error };
  const findings = outcome.findings.error + outcome.findings.warning + outcome.findings.info;
  const r: UploadResult = { name, status: outcome.status, reportId: outcome.reportId, findings };
  if (outcome.replaced) r.replaced = outcome.replaced;
  return r;
}

const NOT_YOURS = { code: "forbidden", message: "该报告不属于您的填报单位 (not a report of your department)" };

/** Ingests one file under the viewer's access: what it may not see comes back as failed. */
async function ingestAs(db: Kysely<Database>, input: { bytes: Uint8Array; fileName: string }, access: UploadAccess | undefined): Promise<IngestOutcome> {
  // The bytes are kept before the report is written, so that no stored version lacks its file;
  // a file that did not become a version is removed again.
  const sha256 = storeFile(input.bytes);
  const outcome = await ingestBuffer(db, { ...input, guard: access?.guard, uploadedBy: access?.uploadedBy ?? null });
  if (outcome.status === "failed") {
    const referenced = await db.selectFrom("report_versions").select("id").where("sha256", "=", sha256).executeTakeFirst();
    if (!referenced) removeStoredFile(sha256);
  } else if (outcome.status !== "unchanged" && access) {
    await insertAuditEvent(db, {
      actor: access.uploadedBy.id,
      actorName: access.uploadedBy.name,
      action: outcome.status === "replaced" ? "report.replace" : "report.upload",
      address: access.address,
      target: { type: "report", id: outcome.reportId, label: outcome.replaced?.label ?? null },
      detail: { file: input.fileName, sha256, ...(outcome.replaced ? { replacedReportId: outcome.replaced.reportId } : {}) },
    });
  }
  if (outcome.status === "unchanged" && access && !(await access.canSeeReport(outcome.reportId))) {
    return { status: "failed", file: input.fileName, error: NOT_YOURS };
  }
  return outcome;
}

/** Ingests one uploaded file; a .zip is expanded and each report in it ingested on its own. Never throws. */
export async function ingestUpload(db: Kysely<Database>, input: { bytes: Uint8Array; name: string }, access?: UploadAccess): Promise<UploadResult> {
  const name = sanitizeFileName(input.name);
  const unsupported = unsupportedType(name);
  if (unsupported) return unsupported;
  if (input.bytes.byteLength === 0) return { name, status: "failed", error: { code: "empty", message: "文件为空（0 字节）(empty file)" } };
  try {
    if (extensionOf(name) !== "zip") return resultOf(name, await ingestAs(db, { bytes: input.bytes, fileName: name }, access));
    const { entries, skipped } = expandZip(input.bytes, name);
    const results: UploadResult[] = [];
    for (const entry of entries) {
      // The entry's own base name is the report's file name; the archive path is for display.
      const fileName = sanitizeFileName(entry.name);
      const outcome = await ingestAs(db, { bytes: entry.bytes, fileName }, access);
      results.push({ ...resultOf(fileName, outcome), name: entry.name });
    }
    for (const s of skipped) results.push({ name: s.name, status: "failed", error: { code: "skipped", message: s.reason } });
    if (results.length === 0) {
      return { name, status: "failed", error: { code: "empty_zip", message: "压缩包中没有可读取的报告文件 (no report files in the archive)" } };
    }
    // The archive's own status: the most telling of its entries' (anything new beats nothing new).
    const status = (["loaded", "replaced", "unchanged"] as const).find((st) => results.some((r) => r.status === st)) ?? "failed";
    const anyOk = status !== "failed";
    return {
      name,
      status,
      entries: results,
      findings: results.reduce((n, r) => n + (r.findings ?? 0), 0),
      ...(anyOk ? {} : { error: { code: "zip_all_failed", message: "压缩包中的报告都未能读取 (no report in the archive could be read)" } }),
    };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    return {
      name,
      status: "failed",
      error: {
        code: typeof err.code === "string" ? err.code : "upload_failed",
        message: typeof err.message === "string" ? err.message : "处理上传文件时出错 (the upload could not be processed)",
      },
    };
  }
}

/** One file in the request body (the page's per-file upload): limits checked before and while reading. */
export async function receiveSingleUpload(db: Kysely<Database>, request: Request, limits = uploadLimits(), access?: UploadAccess): Promise<UploadResult> {
  const name = uploadedName(request.headers.get("x-file-name"));
  const unsupported = unsupportedType(name);
  if (unsupported) {
    await request.body?.cancel().catch(() => undefined);
    return unsupported;
  }
  try {
    checkDeclaredLength(request.headers.get("content-length"), limits.maxFileBytes);
    const bytes = await readLimited(request.body, limits.maxFileBytes);
    return await ingestUpload(db, { bytes, name }, access);
  } catch (e) {
    if (e instanceof UploadRejected) return { name, status: "failed", error: { code: e.code, message: `${name}: ${e.message}` } };
    throw e;
  }
}

/**
 * A multipart form with several files (the page without JavaScript): each part limited, each file
 * ingested on its own — only after `checkToken` accepts the form's _csrf field.
 */
export async function receiveFormUpload(
  db: Kysely<Database>,
  request: Request,
  limits = uploadLimits(),
  access?: UploadAccess,
  checkToken: (token: string | null) => void = () => {},
): Promise<UploadResult[]> {
  let token: string | null = null;
  checkDeclaredLength(request.headers.get("content-length"), limits.maxRequestBytes, "本次上传的总大小");
  const parts: { name: string; bytes: Uint8Array | null }[] = [];
  let total = 0;
  await unstable_parseMultipartFormData(request, async ({ name: field, filename, data }) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let over = false;
    for await (const chunk of data) {
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (total > limits.maxRequestBytes) throw tooLarge("本次上传的总大小", limits.maxRequestBytes);
      if (size > limits.maxFileBytes) over = true; // keep draining so the other files still arrive
      else chunks.push(chunk);
    }
    if (field === "_csrf" && !filename) token = new TextDecoder().decode(concat(chunks, size)).slice(0, 200);
    if (field !== "files" || !filename) return undefined;
    const bytes = over ? null : concat(chunks, size);
    parts.push({ name: sanitizeFileName(filename), bytes });
    return undefined;
  });
  checkToken(token);
  const results: UploadResult[] = [];
  for (const p of parts) {
    if (p.bytes === null) {
      results.push({ name: p.name, status: "failed", error: { code: "too_large", message: `${p.name}: ${tooLarge("文件", limits.maxFileBytes).message}` } });
    } else results.push(await ingestUpload(db, { bytes: p.bytes, name: p.name }, access));
  }
  return results;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
