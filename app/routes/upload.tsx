/**
 * /upload — add reports from the browser. Files are dropped or chosen, checked here for type and
 * size, then sent one request each (XMLHttpRequest, for upload progress) to /upload/file; each
 * row shows its own progress and result. Without JavaScript the form posts all files to this
 * route's action and the results are listed the same way.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { getDb } from "~/db.server";
import { num, PlainTable } from "~/components/Panels";
import { SHOWN_EXTENSIONS, unsupportedTypeMessage } from "../../ingest/readers/formats";
import { checkCsrf, clientAddress, requireViewer } from "~/auth/session.server";
import { uploadAccess } from "~/auth/access.server";
import { CsrfInput, useShell } from "~/root";
import { formatMb, receiveFormUpload, uploadLimits, UploadRejected, type UploadResult } from "~/upload.server";

export const meta: MetaFunction = () => [{ title: "上传报告 · 绩效分析" }];

/** Shown and checked in the browser; the server checks again. */
const ACCEPT = SHOWN_EXTENSIONS;
const CONCURRENT_UPLOADS = 2;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request);
  const limits = uploadLimits();
  return json({ maxFileBytes: limits.maxFileBytes, maxFileLabel: formatMb(limits.maxFileBytes), maxRequestLabel: formatMb(limits.maxRequestBytes) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(request);
  const access = await uploadAccess(viewer, clientAddress(context));
  try {
    const results = await receiveFormUpload(getDb(), request, uploadLimits(), access, (token) => checkCsrf(viewer, token));
    return json({ results, error: null });
  } catch (e) {
    if (e instanceof Response) throw e;
    if (e instanceof UploadRejected) return json({ results: [] as UploadResult[], error: e.message }, { status: e.status });
    return json({ results: [] as UploadResult[], error: "上传失败，请重试或逐个上传文件 (the upload could not be read)" }, { status: 400 });
  }
}

type Phase = "waiting" | "uploading" | "processing" | "done";

interface Item {
  key: number;
  name: string;
  size: number;
  phase: Phase;
  /** 0–1, bytes sent. */
  progress: number;
  result?: UploadResult;
}

const STATUS_LABEL: Record<UploadResult["status"], string> = {
  loaded: "已入库",
  unchanged: "未变化（相同文件已入库）",
  replaced: "已替换旧版本",
  failed: "失败",
};

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What the browser can say before sending: wrong type, too large, empty. */
function precheck(file: File, maxFileBytes: number, maxFileLabel: string): UploadResult | null {
  const unsupported = unsupportedTypeMessage(file.name);
  if (unsupported) return { name: file.name, status: "failed", error: { code: "unsupported_type", message: unsupported } };
  if (file.size > maxFileBytes) {
    return { name: file.name, status: "failed", error: { code: "too_large", message: `文件 ${sizeLabel(file.size)}，超过 ${maxFileLabel} 上限` } };
  }
  if (file.size === 0) return { name: file.name, status: "failed", error: { code: "empty", message: "文件为空（0 字节）" } };
  return null;
}

function send(file: File, csrf: string, onProgress: (fraction: number) => void, onSent: () => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/upload/file");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = onSent;
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as UploadResult | { error?: { message?: string } };
        if ("status" in body && typeof body.status === "string") resolve(body);
        else resolve({ name: file.name, status: "failed", error: { code: `http_${xhr.status}`, message: body.error?.message ?? `服务器返回 ${xhr.status}` } });
      } catch {
        const message = xhr.status === 413 ? "文件超过服务器允许的大小" : `服务器返回 ${xhr.status}，无法读取结果`;
        resolve({ name: file.name, status: "failed", error: { code: `http_${xhr.status}`, message } });
      }
    };
    xhr.onerror = () => resolve({ name: file.name, status: "failed", error: { code: "network", message: "网络错误，文件未能上传" } });
    xhr.send(file);
  });
}

function ResultCell({ result }: { result: UploadResult }) {
  const ok = result.status !== "failed";
  return (
    <div>
      <span className={ok ? "tag" : "tag tag-bad"}>{STATUS_LABEL[result.status]}</span>
      {result.error ? <div className="upload-error" role="alert" style={{ color: "#7d2418", fontSize: 12, marginTop: 2 }}>{result.error.message}</div> : null}
      {result.replaced ? (
        <div className="muted">
          替换了 <Link to={`/reports/${result.replaced.reportId}`}>{result.replaced.label || result.replaced.fileName}</Link>
        </div>
      ) : null}
      {result.entries ? (
        <ul className="list-plain upload-entries">
          {result.entries.map((e, i) => (
            <li key={i} data-status={e.status}>
              <span className="upload-name">{e.name}</span>{" "}
              <span className={e.status !== "failed" ? "tag" : "tag tag-bad"}>{STATUS_LABEL[e.status]}</span>{" "}
              {e.reportId !== undefined ? <Link to={`/reports/${e.reportId}`}>查看报告</Link> : null}
              {e.error ? <span className="upload-error" style={{ color: "#7d2418" }}> {e.error.message}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ResultRow({ item }: { item: Item }) {
  const r = item.result;
  return (
    <tr data-testid="upload-row" data-status={r ? r.status : item.phase}>
      <td className="upload-name">{item.name}</td>
      <td className="num">{item.size >= 0 ? sizeLabel(item.size) : ""}</td>
      <td style={{ whiteSpace: "nowrap" }}>
        {item.phase === "done" ? (
          "完成"
        ) : item.phase === "waiting" ? (
          "等待中"
        ) : item.phase === "processing" ? (
          "解析入库中…"
        ) : (
          <progress max={1} value={item.progress} aria-label={`${item.name} 上传进度`}>
            {Math.round(item.progress * 100)}%
          </progress>
        )}
      </td>
      <td>{r ? <ResultCell result={r} /> : null}</td>
      <td className="num">{r?.findings !== undefined ? r.findings : ""}</td>
      <td style={{ whiteSpace: "nowrap" }}>{r?.reportId !== undefined ? <Link to={`/reports/${r.reportId}`}>查看报告</Link> : null}</td>
    </tr>
  );
}

export default function Upload() {
  const { maxFileBytes, maxFileLabel, maxRequestLabel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const nextKey = useRef(1);
  const queue = useRef<{ key: number; file: File }[]>([]);
  const active = useRef(0);
  const csrf = useShell()?.csrf ?? "";
  const csrfRef = useRef(csrf);
  csrfRef.current = csrf;

  useEffect(() => setHydrated(true), []);

  const update = useCallback((key: number, change: Partial<Item>) => {
    setItems((prev) => prev.map((it) => (it.key === key ? { ...it, ...change } : it)));
  }, []);

  const pump = useCallback(() => {
    while (active.current < CONCURRENT_UPLOADS && queue.current.length > 0) {
      const job = queue.current.shift()!;
      active.current++;
      update(job.key, { phase: "uploading" });
      void send(
        job.file,
        csrfRef.current,
        (progress) => update(job.key, { progress }),
        () => update(job.key, { phase: "processing", progress: 1 }),
      ).then((result) => {
        update(job.key, { phase: "done", progress: 1, result });
        active.current--;
        if (active.current === 0 && queue.current.length === 0) revalidator.revalidate(); // new reports: refresh the shell's filters
        pump();
      });
    }
  }, [update, revalidator]);

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const added: Item[] = [];
      for (const file of Array.from(files)) {
        const key = nextKey.current++;
        const rejected = precheck(file, maxFileBytes, maxFileLabel);
        added.push({ key, name: file.name, size: file.size, phase: rejected ? "done" : "waiting", progress: 0, result: rejected ?? undefined });
        if (!rejected) queue.current.push({ key, file });
      }
      setItems((prev) => [...added, ...prev]);
      pump();
    },
    [maxFileBytes, maxFileLabel, pump],
  );

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) addFiles(e.dataTransfer.files);
  };

  const serverResults: Item[] = (actionData?.results ?? []).map((r, i) => ({ key: -1 - i, name: r.name, size: -1, phase: "done", progress: 1, result: r }));
  const shown = [...items, ...serverResults];
  const count = (s: UploadResult["status"]) => shown.filter((it) => it.result?.status === s).length;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>上传报告</h1>
          <p>
            支持 {ACCEPT.join(" ")} 文件，单个文件不超过 {maxFileLabel}；.zip 压缩包中的报告会逐个读取。每个文件单独处理，某个文件失败不影响其他文件。
          </p>
        </div>
      </div>
      <div className="card">
        <div className="card-body">
          <form method="post" encType="multipart/form-data" onSubmit={(e) => hydrated && e.preventDefault()}>
            {/* first, so the server reads the token before any file */}
            <CsrfInput />
            <div
              className="dropzone"
              data-active={dragging ? "true" : "false"}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
              style={{
                border: `2px dashed ${dragging ? "#1d4f91" : "#b8c4d6"}`,
                background: dragging ? "#eef4fb" : "transparent",
                borderRadius: 6,
                padding: "28px 16px",
                textAlign: "center",
              }}
            >
              <p style={{ margin: "0 0 10px" }}>把报告文件拖到这里，或</p>
              <label className="button" style={{ cursor: "pointer" }}>
                选择文件
                <input
                  type="file"
                  name="files"
                  multiple
                  accept={ACCEPT.join(",")}
                  data-testid="upload-input"
                  style={hydrated ? { position: "absolute", width: 1, height: 1, opacity: 0 } : undefined}
                  onChange={(e) => {
                    if (e.currentTarget.files && e.currentTarget.files.length > 0) addFiles(e.currentTarget.files);
                    e.currentTarget.value = "";
                  }}
                />
              </label>
              {hydrated ? null : (
                <p>
                  <button type="submit" className="button">
                    上传
                  </button>{" "}
                  <span className="muted">（一次最多 {maxRequestLabel}）</span>
                </p>
              )}
            </div>
          </form>
          {actionData?.error ? (
            <p className="panel-error" role="alert">
              {actionData.error}
            </p>
          ) : null}
        </div>
      </div>
      {shown.length > 0 ? (
        <div className="card" style={{ marginTop: 16 }}>
          <div className="card-head">
            <h2>上传结果</h2>
            <div className="card-actions" data-testid="upload-summary">
              已入库 {count("loaded")} · 未变化 {count("unchanged")} · 已替换 {count("replaced")} · 失败 {count("failed")}
            </div>
          </div>
          <div className="card-body">
            <PlainTable headings={["文件", num("大小"), "进度", "结果", num("发现问题"), "报告"]}>
              {shown.map((item) => (
                <ResultRow key={item.key} item={item} />
              ))}
            </PlainTable>
          </div>
        </div>
      ) : null}
    </>
  );
}
