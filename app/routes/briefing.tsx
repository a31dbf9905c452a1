import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { Chart } from "~/components/Chart";
import { Page } from "~/components/Page";
import { EmptyState } from "~/components/Panels";
import { loadBriefing } from "~/briefing/briefing.server";
import { requireViewer } from "~/auth/session.server";
import { STAFF_ROLES } from "~/auth/scope";
import { briefingCharts } from "~/briefing/charts";
import { cellText, type BriefingTable, type Cell } from "~/briefing/document";
import { DEFAULT_THRESHOLDS, THRESHOLD_PARAMS } from "~/briefing/rules";
import { filterSearch, isFiltered } from "~/filters";
import { formatCount } from "~/format";
import styles from "~/briefing/briefing.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.document.title ?? "简报"} · 绩效分析` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: STAFF_ROLES });
  return json(await loadBriefing(new URL(request.url).searchParams));
}

const NUMERIC_KINDS = new Set<Cell["kind"]>(["plain", "count", "wan", "rate", "score", "countChange", "wanChange", "pointsChange"]);

function CellView({ cell, search }: { cell: Cell; search: string }) {
  if (cell.kind === "report") return <Link to={`/reports/${cell.reportId}`}>{cell.value}</Link>;
  if (cell.kind === "department") return <Link to={`/departments/${cell.departmentId}${search}`}>{cell.value}</Link>;
  if (cell.kind === "reports") {
    return (
      <span className="briefing-report-links">
        {cell.reportIds.map((id) => (
          <Link key={id} to={`/reports/${id}`} title={`打开报告 #${id}`}>
            #{id}
          </Link>
        ))}
        {cell.total > cell.reportIds.length ? <span className="muted">等{formatCount(cell.total)}份</span> : null}
      </span>
    );
  }
  const text = cellText(cell);
  if (cell.kind === "text" && text.includes("\n")) {
    return (
      <>
        {text.split("\n").map((line, i) => (
          <div key={i}>{line}</div>
        ))}
      </>
    );
  }
  return <>{text}</>;
}

function TableView({ table, search }: { table: BriefingTable; search: string }) {
  return (
    <figure className="briefing-table" data-table={table.id}>
      <figcaption>{table.title}</figcaption>
      {table.rows.length === 0 ? (
        <p className="no-data">无</p>
      ) : (
        <div className="briefing-table-wrap">
          <table className="data">
            <thead>
              <tr>
                {table.columns.map((c, i) => (
                  <th key={i} scope="col" className={NUMERIC_KINDS.has(table.rows[0][i]?.kind) ? "num" : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c} className={NUMERIC_KINDS.has(cell.kind) ? "num" : undefined}>
                      <CellView cell={cell} search={search} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {table.note ? <p className="card-note">注：{table.note}</p> : null}
    </figure>
  );
}

function ThresholdForm({ search }: { search: string }) {
  const params = new URLSearchParams(search);
  const t = {
    ex: params.get("ex") ?? String(DEFAULT_THRESHOLDS.excellent),
    good: params.get("good") ?? String(DEFAULT_THRESHOLDS.good),
    fair: params.get("fair") ?? String(DEFAULT_THRESHOLDS.fair),
    low: params.get("low") ?? String(DEFAULT_THRESHOLDS.lowExecution),
  };
  const keep = [...params].filter(([k]) => !["ex", "good", "fair", "low"].includes(k));
  return (
    <Form method="get" className="briefing-thresholds no-print" aria-label="阈值设置">
      {keep.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <strong>阈值设置</strong>
      <label>
        优 ≥ <input name="ex" type="number" min={0} max={100} step={0.01} defaultValue={t.ex} key={`ex${t.ex}`} /> 分
      </label>
      <label>
        良 ≥ <input name="good" type="number" min={0} max={100} step={0.01} defaultValue={t.good} key={`good${t.good}`} /> 分
      </label>
      <label>
        中 ≥ <input name="fair" type="number" min={0} max={100} step={0.01} defaultValue={t.fair} key={`fair${t.fair}`} /> 分
      </label>
      <label>
        执行率低于 <input name="low" type="number" min={0} max={100} step={0.01} defaultValue={t.low} key={`low${t.low}`} /> %
        为核减候选
      </label>
      <button type="submit" className="button">
        应用
      </button>
      <Link to={`?${keep.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`}>恢复默认</Link>
    </Form>
  );
}

function allYearsSearch(search: string): string {
  const params = new URLSearchParams(search);
  params.set("year", "all");
  return params.toString();
}

export default function Briefing() {
  const { data, document, search, yearDefaulted } = useLoaderData<typeof loader>();
  const charts = useMemo(() => briefingCharts(data), [data]);
  const qs = search ? `?${search}` : "";
  // Department links keep the filters (not the thresholds, which only the briefing reads).
  const filterQuery = useMemo(() => {
    const f = filterSearch(new URLSearchParams(search));
    return f ? `?${f}` : "";
  }, [search]);
  const empty = data.overview.current.reports === 0;

  const actions = (
    <div className="briefing-actions">
      <a className="button" href={`/briefing.docx${qs}`} download data-testid="download-docx">
        下载 Word
      </a>
      <a className="button" href={`/briefing.xlsx${qs}`} download data-testid="download-xlsx">
        下载 Excel
      </a>
      <button type="button" className="button" onClick={() => window.print()}>
        打印
      </button>
    </div>
  );

  return (
    <Page title={document.title} subtitle={document.subtitle} actions={empty ? undefined : actions} keepParams={THRESHOLD_PARAMS}>
      {yearDefaulted && data.year !== null ? (
        <p className="muted no-print" data-testid="year-defaulted">
          未选择年度，默认显示最近年度（{data.year}年）。<Link to={`?${allYearsSearch(search)}`}>查看全部年度</Link>
        </p>
      ) : null}
      {empty ? (
        <EmptyState filtered={isFiltered(data.filter)} />
      ) : (
        <article className="briefing" data-testid="briefing">
          <header className="briefing-print-title print-only">
            <h1>{document.title}</h1>
            <p>{document.subtitle}</p>
          </header>
          <ThresholdForm search={search} />
          {document.sections.map((section) => (
            <section key={section.id} className="briefing-section" id={section.id} data-section={section.id}>
              <h2>{section.heading}</h2>
              {section.paragraphs.map((p, i) => (
                <p key={i} className="briefing-prose">
                  {p}
                </p>
              ))}
              {(charts[section.id] ?? []).map((c) => (
                <div key={c.id} className="briefing-chart">
                  <Chart id={c.id} label={c.label} option={c.option} height={c.height} />
                </div>
              ))}
              {section.tables.map((t) => (
                <TableView key={t.id} table={t} search={filterQuery} />
              ))}
            </section>
          ))}
        </article>
      )}
    </Page>
  );
}
