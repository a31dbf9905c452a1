import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { Chart, type ChartClick } from "~/components/Chart";
import { Card, EmptyState, GradeBadge, Kpi, NoData, num, PlainTable, SectionView } from "~/components/Panels";
import { Page, useRowLink } from "~/components/Page";
import { executionBarHeight, executionBarOption, type ExecutionBarDatum } from "~/charts/execution";
import { gradeStackOption } from "~/charts/grades";
import { credibilityScatterOption, type ScatterDatum } from "~/charts/scatter";
import { trendOption } from "~/charts/trend";
import { formatCount, formatRate, formatScore, formatWan, MISSING, rateBand, rateClass } from "~/format";
import { filterSearch, isFiltered, withFilters } from "~/filters";
import { loadOverviewPage } from "~/pages/overview.server";
import { canReview } from "~/auth/scope";
import { useShell } from "~/root";
import { requireViewer } from "~/auth/session.server";

export const meta: MetaFunction = () => [{ title: "总览 · 绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  return json(await loadOverviewPage(new URL(request.url).searchParams, viewer));
}

function rateTone(rate: string | null): "good" | "warn" | "bad" | undefined {
  const band = rateBand(rate);
  return band === "low" ? "bad" : band === "mid" ? "warn" : band === "ok" ? "good" : undefined;
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const rowLink = useRowLink();

  const barOption = useMemo(() => (data.byDepartment.ok ? executionBarOption(data.byDepartment.data.rows) : null), [data.byDepartment]);
  const gradeOption = useMemo(() => (data.gradesByYear.ok ? gradeStackOption(data.gradesByYear.data) : null), [data.gradesByYear]);
  const scatterOption = useMemo(() => (data.credibility.ok ? credibilityScatterOption(data.credibility.data.points) : null), [data.credibility]);
  const trend = useMemo(() => (data.trend.ok ? trendOption(data.trend.data) : null), [data.trend]);

  const openDepartment = (e: ChartClick) => {
    const id = (e.data as ExecutionBarDatum | undefined)?.departmentId;
    if (id) navigate(withFilters(`/departments/${id}`, params));
  };
  const openReport = (e: ChartClick) => {
    const id = (e.data as ScatterDatum | undefined)?.reportId;
    if (id) navigate(`/reports/${id}`);
  };

  const noReports = data.overview.ok && data.overview.data.reports === 0;
  const staff = canReview(useShell()?.viewer);

  return (
    <Page title="总览" subtitle="预算执行与绩效评价结果概况">
      {data.review.ok && !noReports ? (
        <p className="review-note" data-testid="review-note">
          未审核报告 <strong>{formatCount(data.review.data.unreviewed)}</strong> 份，其中待审核（有错误、警告或缺项）{" "}
          {staff ? <Link to="/review">{formatCount(data.review.data.queue)} 份</Link> : `${formatCount(data.review.data.queue)} 份`}
          {data.review.data.corrections > 0 ? `；${formatCount(data.review.data.reports)} 份报告的 ${formatCount(data.review.data.corrections)} 处数值经人工更正，以下数字均按更正后计算` : ""}。
        </p>
      ) : null}
      <SectionView section={data.overview}>
        {(o) => (
          <div className="kpis" data-testid="kpis">
            <Kpi label="评价报告" value={`${formatCount(o.reports)} 份`} />
            <Kpi label="涉及部门" value={`${formatCount(o.departments)} 个`} />
            <Kpi label="预算金额（万元）" value={formatWan(o.budget)} hint={o.rateBasis === "initial" ? "按年初预算" : o.rateBasis === "mixed" ? "调整后预算为主" : "按调整后预算"} />
            <Kpi label="实际支出（万元）" value={formatWan(o.spent)} />
            <Kpi label="预算执行率" value={formatRate(o.executionRate)} tone={rateTone(o.executionRate)} hint="支出合计 ÷ 预算合计" />
            <Kpi label="平均得分" value={formatScore(o.averageScore)} hint={o.medianScore ? `中位数 ${formatScore(o.medianScore)}` : undefined} />
            <Kpi label="“优”等级占比" value={formatRate(o.excellentShare)} hint={`优 ${o.grades.优} · 良 ${o.grades.良} · 中 ${o.grades.中} · 差 ${o.grades.差}`} />
            <Kpi
              label="存在审核问题的报告"
              value={`${formatCount(o.reportsWithFindings)} 份`}
              tone={o.reportsWithFindings > 0 ? "warn" : "good"}
              hint={o.unmetIndicators ? `未完成指标 ${formatCount(o.unmetIndicators)} 项` : undefined}
            />
          </div>
        )}
      </SectionView>

      {noReports ? (
        <EmptyState filtered={isFiltered(data.filter)} />
      ) : (
        <div className="grid">
          <Card title="各部门预算执行率" wide actions={<span className="muted">点击柱条查看部门 · 虚线为 60% / 80%</span>}>
            <SectionView section={data.byDepartment}>
              {({ rows, total }) =>
                rows.length && barOption ? (
                  <>
                    <Chart id="chart-execution" label="各部门预算执行率柱状图" option={barOption} height={executionBarHeight(rows.length)} onItemClick={openDepartment} />
                    {total > rows.length ? (
                      <p className="card-note">
                        共 {formatCount(total)} 个部门，图中为执行率最低的 {formatCount(rows.length)} 个。
                        <Link to={withFilters("/departments", params) + (filterSearch(params) ? "&" : "?") + "sort=executionRate.asc"}>查看全部部门</Link>
                      </p>
                    ) : null}
                  </>
                ) : (
                  <NoData />
                )
              }
            </SectionView>
          </Card>
          <Card title="评价等级分布（按年度）">
            <SectionView section={data.gradesByYear}>
              {(rows) => (rows.length && gradeOption ? <Chart id="chart-grades" label="各年度评价等级分布" option={gradeOption} height={300} /> : <NoData />)}
            </SectionView>
          </Card>
          <Card title="执行率与得分趋势">
            <SectionView section={data.trend}>
              {(rows) => (rows.length && trend ? <Chart id="chart-trend" label="各年度执行率与平均得分" option={trend} height={300} /> : <NoData />)}
            </SectionView>
          </Card>
          <Card
            title="得分与执行率"
            wide
            actions={
              data.credibility.ok ? (
                <span className="muted">
                  高分低执行 <strong className="rate-low">{formatCount(data.credibility.data.highScoreLowExecutionCount)}</strong> 份 · 点击散点查看报告
                </span>
              ) : null
            }
          >
            <SectionView section={data.credibility}>
              {(c) =>
                c.points.length && scatterOption ? (
                  <>
                    <Chart id="chart-credibility" label="得分与执行率散点图" option={scatterOption} height={360} onItemClick={openReport} />
                    {c.totalPoints > c.points.length ? (
                      <p className="card-note">
                        共 {formatCount(c.totalPoints)} 份报告，图中显示 {formatCount(c.points.length)} 份（含全部高分低执行报告）。
                      </p>
                    ) : null}
                  </>
                ) : (
                  <NoData />
                )
              }
            </SectionView>
          </Card>
          <Card title="执行率最低的项目" wide>
            <SectionView section={data.lowest}>
              {(rows) =>
                rows.length ? (
                  <PlainTable short headings={["项目", "部门", num("年度"), num("预算（万元）"), num("支出（万元）"), num("执行率"), num("得分"), "等级"]}>
                    {rows.map((r) => (
                      <tr key={r.reportId} {...rowLink(`/reports/${r.reportId}`)}>
                        <td>
                          <Link to={`/reports/${r.reportId}`}>{r.projectName ?? `报告 ${r.reportId}`}</Link>
                        </td>
                        <td>{r.department ?? MISSING}</td>
                        <td className="num">{r.year ?? MISSING}</td>
                        <td className="num">{formatWan(r.budget)}</td>
                        <td className="num">{formatWan(r.spent)}</td>
                        <td className={`num ${rateClass(r.executionRate)}`}>{formatRate(r.executionRate)}</td>
                        <td className="num">{formatScore(r.score)}</td>
                        <td>
                          <GradeBadge grade={r.grade} />
                        </td>
                      </tr>
                    ))}
                  </PlainTable>
                ) : (
                  <NoData />
                )
              }
            </SectionView>
          </Card>
        </div>
      )}
    </Page>
  );
}
