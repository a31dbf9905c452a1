import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { Chart } from "~/components/Chart";
import { Card, EmptyState, NoData, num, PlainTable, SectionView } from "~/components/Panels";
import { Page, useRowLink } from "~/components/Page";
import { countBarHeight, countBarOption } from "~/charts/bars";
import { formatCount, formatFindingCode, formatSeverity, MISSING } from "~/format";
import { isFiltered, parseFilter, withFilters } from "~/filters";
import { getDb } from "~/db.server";
import { section } from "~/section.server";
import { requireViewer } from "~/auth/session.server";
import { scopeFilter } from "~/auth/scope";
import { getDataQuality } from "~/queries.server";

export const meta: MetaFunction = () => [{ title: "数据质量 · 绩效分析" }];

const PAGE_SIZE = 50;
const listParams = z.object({
  code: z.string().regex(/^[a-z0-9_.]{1,60}$/i).optional().catch(undefined),
  sev: z.enum(["error", "warning", "info"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10000).catch(1).default(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const viewer = await requireViewer(request);
  const filter = parseFilter(params);
  const list = listParams.parse({ code: params.get("code") ?? undefined, sev: params.get("sev") ?? undefined, page: params.get("page") ?? undefined });
  const quality = await section("dataQuality", () =>
    getDataQuality(getDb(), { filter: scopeFilter(filter, viewer), code: list.code, severity: list.sev, limit: PAGE_SIZE, offset: (list.page - 1) * PAGE_SIZE }),
  );
  return json({ filter, list, quality });
}

export default function Quality() {
  const { filter, list, quality } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const rowLink = useRowLink();

  const link = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in change)) next.delete("page");
    const s = next.toString();
    return s ? `/quality?${s}` : "/quality";
  };

  const codeOption = useMemo(
    () => (quality.ok && quality.data.byCode.length ? countBarOption(quality.data.byCode.slice(0, 15).map((r) => ({ label: formatFindingCode(r.key), value: r.count })), "审核问题", "条", "#d18b1f") : null),
    [quality],
  );
  const deptOption = useMemo(
    () =>
      quality.ok && quality.data.byDepartment.length
        ? countBarOption(quality.data.byDepartment.slice(0, 15).map((r) => ({ label: r.label, value: r.count })), "审核问题", "条")
        : null,
    [quality],
  );

  return (
    <Page title="数据质量" subtitle="报告自相矛盾或不合常理之处（审核发现），按问题类型、严重程度和部门统计">
      <SectionView section={quality}>
        {(q) =>
          q.total === 0 ? (
            isFiltered(filter) ? (
              <EmptyState filtered />
            ) : (
              <div className="empty-state">
                <h2>没有审核问题</h2>
                <p>已导入的报告中未发现自相矛盾的数字。</p>
              </div>
            )
          ) : (
            <div className="grid">
              <div className="kpis card-wide" style={{ marginBottom: 0 }}>
                <div className="kpi kpi-warn">
                  <div className="kpi-label">审核问题</div>
                  <div className="kpi-value">{formatCount(q.total)} 条</div>
                </div>
                <div className="kpi">
                  <div className="kpi-label">涉及报告</div>
                  <div className="kpi-value">{formatCount(q.reportsWithFindings)} 份</div>
                </div>
                {q.bySeverity.map((s) => (
                  <div key={s.key} className={`kpi ${s.key === "error" ? "kpi-bad" : s.key === "warning" ? "kpi-warn" : ""}`}>
                    <div className="kpi-label">{formatSeverity(s.key)}</div>
                    <div className="kpi-value">
                      <Link to={link({ sev: list.sev === s.key ? null : s.key })} preventScrollReset>
                        {formatCount(s.count)} 条
                      </Link>
                    </div>
                  </div>
                ))}
              </div>
              <Card title="按问题类型">
                {codeOption ? <Chart id="chart-quality-code" label="审核问题按类型" option={codeOption} height={countBarHeight(Math.min(15, q.byCode.length))} /> : <NoData />}
                <ul className="list-plain">
                  {q.byCode.map((c) => (
                    <li key={c.key}>
                      <Link to={link({ code: list.code === c.key ? null : c.key })} preventScrollReset className={list.code === c.key ? "active" : undefined}>
                        {formatFindingCode(c.key)}
                      </Link>{" "}
                      <code className="muted">{c.key}</code>{" "}
                      <span className="muted">{formatCount(c.count)} 条</span>
                    </li>
                  ))}
                </ul>
              </Card>
              <Card title="按部门">
                {deptOption ? <Chart id="chart-quality-dept" label="审核问题按部门" option={deptOption} height={countBarHeight(Math.min(15, q.byDepartment.length))} /> : <NoData />}
              </Card>
              <Card
                title="问题清单"
                wide
                actions={
                  list.code || list.sev ? (
                    <>
                      <span className="muted">
                        已筛选：{list.code ? formatFindingCode(list.code) : ""} {list.sev ? formatSeverity(list.sev) : ""}
                      </span>
                      <Link to={link({ code: null, sev: null })}>清除</Link>
                    </>
                  ) : null
                }
              >
                {q.list.length ? (
                  <PlainTable testId="findings-list" headings={["级别", "问题类型", "说明", "部门", "报告", num("年度")]}>
                    {q.list.map((f) => (
                      <tr key={f.findingId} {...rowLink(`/reports/${f.reportId}${f.sourceLine ? `#L${f.sourceLine}` : ""}`)}>
                        <td className={`sev-${f.severity}`}>{formatSeverity(f.severity)}</td>
                        <td>
                          {formatFindingCode(f.code)}
                          <div>
                            <code className="muted">{f.code}</code>
                          </div>
                        </td>
                        <td>{f.message}</td>
                        <td>{f.departmentId ? <Link to={withFilters(`/departments/${f.departmentId}`, params)}>{f.department}</Link> : (f.department ?? MISSING)}</td>
                        <td>
                          <Link to={`/reports/${f.reportId}${f.sourceLine ? `#L${f.sourceLine}` : ""}`}>{f.projectName ?? `报告 ${f.reportId}`}</Link>
                        </td>
                        <td className="num">{f.year ?? MISSING}</td>
                      </tr>
                    ))}
                  </PlainTable>
                ) : (
                  <NoData text="没有符合条件的问题" />
                )}
                <div className="pager">
                  {list.page > 1 ? <Link to={link({ page: String(list.page - 1) })}>上一页</Link> : null}
                  <span>第 {list.page} 页</span>
                  {q.list.length === PAGE_SIZE ? <Link to={link({ page: String(list.page + 1) })}>下一页</Link> : null}
                </div>
              </Card>
            </div>
          )
        }
      </SectionView>
    </Page>
  );
}
