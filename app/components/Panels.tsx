import type { ReactNode } from "react";
import type { Section } from "~/section";

export function ErrorPanel({ message }: { message: string }) {
  return (
    <div className="panel-error" role="alert">
      <strong>无法加载</strong>
      <p>{message}</p>
    </div>
  );
}

/** Renders a section's data, or an error panel in its place when its query failed. */
export function SectionView<T>({ section, children }: { section: Section<T>; children: (data: T) => ReactNode }) {
  if (!section.ok) return <ErrorPanel message={section.error} />;
  return <>{children(section.data)}</>;
}

export function Card({ title, children, actions, wide }: { title: string; children: ReactNode; actions?: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? "card card-wide" : "card"}>
      <header className="card-head">
        <h2>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

export function EmptyState({ filtered }: { filtered?: boolean }) {
  if (filtered) {
    return (
      <div className="empty-state">
        <h2>没有符合筛选条件的报告</h2>
        <p>请调整上方的年度、地区、部门或评价类型筛选条件。</p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <h2>还没有导入任何绩效评价报告</h2>
      <p>将各部门报送的项目支出绩效评价报告（.txt、.docx、.xlsx、.pdf 等）放入一个文件夹，然后运行：</p>
      <pre className="command">npm run ingest -- 文件夹</pre>
      <p>
        也可以在 <a href="/upload">上传</a> 页面直接从浏览器上传报告。导入完成后刷新本页即可看到分析结果。
      </p>
    </div>
  );
}

export function NoData({ text = "暂无数据" }: { text?: string }) {
  return <p className="no-data">{text}</p>;
}

export function Kpi({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: "good" | "warn" | "bad" }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ""}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint ? <div className="kpi-hint">{hint}</div> : null}
    </div>
  );
}

export function GradeBadge({ grade }: { grade: string | null | undefined }) {
  if (!grade) return <span className="grade grade-none">—</span>;
  const cls = { 优: "grade-a", 良: "grade-b", 中: "grade-c", 差: "grade-d" }[grade] ?? "grade-none";
  return <span className={`grade ${cls}`}>{grade}</span>;
}

/** A column heading of a PlainTable: "名称", or { label, numeric, width } for figures and sized columns. */
export type Heading = string | { label: ReactNode; numeric?: boolean; width?: string };

/** The heading of a column of figures (right-aligned). */
export const num = (label: string): Heading => ({ label, numeric: true });

/**
 * A read-only table: headings, then the caller's rows. The markup every detail list on the pages
 * shares (DataTable is the sortable, exportable one).
 */
export function PlainTable({
  headings,
  children,
  short,
  id,
  label,
  testId,
  footer,
}: {
  headings: Heading[];
  children: ReactNode;
  /** a shorter scroll area, for tables beside a chart */
  short?: boolean;
  id?: string;
  /** aria-label of the table */
  label?: string;
  testId?: string;
  /** a note under the table, inside its scroll area */
  footer?: ReactNode;
}) {
  return (
    <div id={id} className={short ? "table-wrap short" : "table-wrap"}>
      <table className="data" aria-label={label} data-testid={testId}>
        <thead>
          <tr>
            {headings.map((h, i) =>
              typeof h === "string" ? (
                <th key={i}>{h}</th>
              ) : (
                <th key={i} className={h.numeric ? "num" : undefined} style={h.width ? { width: h.width } : undefined}>
                  {h.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {footer}
    </div>
  );
}
