import { Form, Link, useSearchParams } from "@remix-run/react";
import { Card, PlainTable } from "~/components/Panels";
import { CsrfInput } from "~/root";
import type { VersionDiff } from "./diff";

export interface HistoryEntry {
  id: number;
  version: number;
  state: "current" | "superseded" | "deleted";
  fileName: string;
  sha256: string;
  sizeBytes: number;
  uploadedBy: string | null;
  uploadedAt: string;
  archivedAt: string | null;
  archivedBy: string | null;
  hasFile: boolean;
}

const STATE: Record<HistoryEntry["state"], string> = { current: "当前版本", superseded: "已被替换", deleted: "已删除" };

export function time(iso: string | null): string {
  if (!iso) return "";
  // the bureau's local time (UTC+8), to the minute
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace("T", " ");
}

/** 版本历史 with downloads, restore (analysts, admin) and the comparison of two versions. */
export function VersionsCard({
  history,
  compare,
  canManage,
}: {
  history: HistoryEntry[];
  compare: { a: number; b: number; diff: VersionDiff } | null;
  canManage: boolean;
}) {
  const [params] = useSearchParams();
  const current = history.find((h) => h.state === "current");
  const previous = history.find((h) => h.state !== "current");
  return (
    <Card title={`版本历史（${history.length} 个版本）`}>
      <PlainTable headings={["版本", "状态", "文件", "上传人", "上传时间", ""]}>
        {history.map((h) => (
          <tr key={h.id} data-testid="version-row" data-state={h.state}>
            <td>v{h.version}</td>
            <td>
              <span className={h.state === "current" ? "tag" : "tag tag-warn"}>{STATE[h.state]}</span>
              {h.archivedAt ? <div className="muted">{time(h.archivedAt)}{h.archivedBy ? ` · ${h.archivedBy}` : ""}</div> : null}
            </td>
            <td>
              {h.hasFile ? <a href={`/versions/${h.id}/file`}>{h.fileName}</a> : h.fileName}
              <div className="muted" title={h.sha256}>
                sha256 {h.sha256.slice(0, 12)}…
              </div>
            </td>
            <td>{h.uploadedBy ?? "（命令行导入）"}</td>
            <td>{time(h.uploadedAt)}</td>
            <td>
              {canManage && h.state === "superseded" ? (
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="versionId" value={h.id} />
                  <button type="submit" className="button" data-testid={`restore-v${h.version}`}>
                    恢复此版本
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </PlainTable>
      {history.length > 1 ? (
        <Form method="get" className="compare-form">
          比较
          <select name="a" defaultValue={compare ? undefined : String(previous?.id ?? "")} aria-label="版本甲">
            {history.map((h) => (
              <option key={h.id} value={h.id}>
                v{h.version}
              </option>
            ))}
          </select>
          与
          <select name="b" defaultValue={compare ? undefined : String(current?.id ?? "")} aria-label="版本乙">
            {history.map((h) => (
              <option key={h.id} value={h.id}>
                v{h.version}
              </option>
            ))}
          </select>
          <button type="submit" className="button">
            比较差异
          </button>
          {params.get("a") ? <Link to="?">清除</Link> : null}
        </Form>
      ) : null}
      {compare ? <DiffView compare={compare} /> : null}
    </Card>
  );
}

function DiffView({ compare }: { compare: { a: number; b: number; diff: VersionDiff } }) {
  const { diff } = compare;
  if (diff.fields.length === 0 && diff.indicators.length === 0) return <p className="card-note">v{compare.a} 与 v{compare.b} 的预算、得分和指标相同。</p>;
  return (
    <div data-testid="version-diff">
      <PlainTable headings={["项目", `v${compare.a}`, `v${compare.b}`]}>
        {diff.fields.map((f) => (
          <tr key={f.field}>
            <td>{f.field}</td>
            <td className="num">{f.a ?? "—"}</td>
            <td className="num">{f.b ?? "—"}</td>
          </tr>
        ))}
        {diff.indicators.flatMap((i) =>
          i.presence
            ? [
                <tr key={i.name}>
                  <td>指标：{i.name}</td>
                  <td>{i.presence === "only-a" ? "有" : "—"}</td>
                  <td>{i.presence === "only-b" ? "有" : "—"}</td>
                </tr>,
              ]
            : i.changes.map((c) => (
                <tr key={`${i.name}-${c.field}`}>
                  <td>
                    指标：{i.name} · {c.field}
                  </td>
                  <td>{c.a ?? "—"}</td>
                  <td>{c.b ?? "—"}</td>
                </tr>
              )),
        )}
      </PlainTable>
    </div>
  );
}
