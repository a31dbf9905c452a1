import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { Chart } from "~/components/Chart";
import { Card, GradeBadge, Kpi, NoData, num, PlainTable, SectionView } from "~/components/Panels";
import { Page, useRowLink } from "~/components/Page";
import { gradePieOption } from "~/charts/grades";
import { trendOption } from "~/charts/trend";
import { countBarHeight, countBarOption, scoreLossOption } from "~/charts/bars";
import { formatChange, formatCount, formatEvaluationType, formatKind, formatRate, formatScore, formatWan, MISSING, rateClass } from "~/format";
import { parseId, withFilters } from "~/filters";
import { loadDepartmentPage } from "~/pages/department.server";
import { requireViewer } from "~/auth/session.server";
import { canSeeDepartment } from "~/auth/scope";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.department.name ?? "部门"} · 绩效分析` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const viewer = await requireViewer(request);
  // another department's page answers as if it did not exist
  if (id === null || !canSeeDepartment(viewer, id)) throw new Response("该部门不存在。", { status: 404, statusText: "Not Found" });
  return json(await loadDepartmentPage(id, new URL(request.url).searchParams));
}

const CATEGORY_ORDER = ["决策", "过程", "产出", "效益", "满意度", "其他"] as const;

export default function DepartmentPage() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const rowLink = useRowLink();
  const d = data.department;

  const trend = useMemo(() => (data.yearOverYear.ok && data.yearOverYear.data.length ? trendOption(data.yearOverYear.data) : null), [data.yearOverYear]);
  const pie = useMemo(() => (data.grades.ok && data.grades.data ? gradePieOption(data.grades.data.grades) : null), [data.grades]);
  const unmetBars = useMemo(
    () => (data.unmetByType.ok ? data.unmetByType.data.filter((r) => r.unmet > 0).map((r) => ({ label: r.label, value: r.unmet })) : []),
    [data.unmetByType],
  );
  const unmetOption = useMemo(() => (unmetBars.length ? countBarOption(unmetBars, "未完成指标", "项", "#c0392b") : null), [unmetBars]);
  const lossRows = useMemo(
    () =>
      data.scoreLoss.ok && data.scoreLoss.data
        ? CATEGORY_ORDER.filter((c) => c !== "其他" || Number(data.scoreLoss.ok && data.scoreLoss.data?.lost[c]) > 0).map((c) => ({
            category: c,
            lost: (data.scoreLoss.ok && data.scoreLoss.data?.lost[c]) || "0",
          }))
        : [],
    [data.scoreLoss],
  );
  const lossOption = useMemo(() => (lossRows.length ? scoreLossOption(lossRows) : null), [lossRows]);
  const latest = data.yearOverYear.ok ? data.yearOverYear.data[data.yearOverYear.data.length - 1] : undefined;

  return (
    <Page
      title={d.name}
      subtitle={`${d.region ?? "未注明地区"} · 共 ${formatCount(d.reports)} 份报告${d.years.length ? ` · ${d.years[0]}–${d.years[d.years.length - 1]} 年度` : ""}`}
      breadcrumb={
        <>
          <Link to={withFilters("/departments", params)}>部门对比</Link> / 部门详情
        </>
      }
      hideDepartmentFilter
    >
      {latest ? (
        <div className="kpis">
          <Kpi label={`${latest.year}年 执行率`} value={formatRate(latest.executionRate)} hint={latest.rateChange ? `较上年 ${formatChange(latest.rateChange)} 个百分点` : undefined} />
          <Kpi label={`${latest.year}年 平均得分`} value={formatScore(latest.averageScore)} hint={latest.scoreChange ? `较上年 ${formatChange(latest.scoreChange)} 分` : undefined} />
          <Kpi label={`${latest.year}年 预算（万元）`} value={formatWan(latest.budget)} />
          <Kpi label={`${latest.year}年 支出（万元）`} value={formatWan(latest.spent)} />
        </div>
      ) : null}
      <div className="grid">
        <Card title="执行率与得分趋势">
          <SectionView section={data.yearOverYear}>
            {(years) => (years.length && trend ? <Chart id="chart-dept-trend" label="部门执行率与得分趋势" option={trend} height={280} /> : <NoData />)}
          </SectionView>
        </Card>
        <Card title="评价等级构成">
          <SectionView section={data.grades}>
            {(g) => (g && pie ? <Chart id="chart-dept-grades" label="部门评价等级构成" option={pie} height={280} /> : <NoData />)}
          </SectionView>
        </Card>
        <Card title="历年报告" wide>
          <SectionView section={data.reports}>
            {(r) =>
              r.rows.length ? (
                <PlainTable
                  label="部门历年报告"
                  headings={[num("年度"), "项目 / 报告", "类型", "评价方式", num("预算（万元）"), num("支出（万元）"), num("执行率"), num("得分"), "等级", num("未完成指标"), num("审核问题")]}
                  footer={r.total > r.rows.length ? <p className="card-note">共 {formatCount(r.total)} 份，显示最近 {formatCount(r.rows.length)} 份。</p> : null}
                >
                  {r.rows.map((row) => (
                    <tr key={row.reportId} {...rowLink(`/reports/${row.reportId}`)}>
                      <td className="num">{row.year ?? MISSING}</td>
                      <td>
                        <Link to={`/reports/${row.reportId}`}>{row.projectName ?? row.title ?? `报告 ${row.reportId}`}</Link>
                      </td>
                      <td>{formatKind(row.kind)}</td>
                      <td>{formatEvaluationType(row.evaluationType)}</td>
                      <td className="num">{formatWan(row.budget)}</td>
                      <td className="num">{formatWan(row.spent)}</td>
                      <td className={`num ${rateClass(row.executionRate)}`}>{formatRate(row.executionRate)}</td>
                      <td className="num">{formatScore(row.score)}</td>
                      <td>
                        <GradeBadge grade={row.grade} />
                      </td>
                      <td className="num">{formatCount(row.unmetIndicators)}</td>
                      <td className="num">{formatCount(row.findings)}</td>
                    </tr>
                  ))}
                </PlainTable>
              ) : (
                <NoData text="符合筛选条件的报告为空" />
              )
            }
          </SectionView>
        </Card>
        <Card title="未完成指标（按类型）">
          <SectionView section={data.unmetByType}>
            {() => (unmetOption ? <Chart id="chart-dept-unmet" label="部门未完成指标按类型" option={unmetOption} height={countBarHeight(unmetBars.length)} /> : <NoData text="没有未完成的指标" />)}
          </SectionView>
        </Card>
        <Card title="各类指标失分">
          <SectionView section={data.scoreLoss}>
            {() => (lossOption ? <Chart id="chart-dept-loss" label="各类指标失分" option={lossOption} height={260} /> : <NoData />)}
          </SectionView>
        </Card>
        <Card title="未完成原因" wide>
          <SectionView section={data.causes}>
            {(causes) =>
              causes.some((c) => c.unmet > 0) ? (
                <PlainTable short label="未完成原因" headings={["原因类别", num("未完成指标"), "示例"]}>
                  {causes
                    .filter((c) => c.unmet > 0)
                    .map((c) => (
                      <tr key={c.cause || "none"}>
                        <td>{c.label}</td>
                        <td className="num">{formatCount(c.unmet)}</td>
                        <td>
                          <ul className="list-plain">
                            {c.examples.map((e, i) => (
                              <li key={i}>
                                <Link to={`/reports/${e.reportId}`}>{e.indicator}</Link>
                                {e.year ? <span className="muted">（{e.year}年）</span> : null}：{e.reason}
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                </PlainTable>
              ) : (
                <NoData text="没有未完成的指标" />
              )
            }
          </SectionView>
        </Card>
      </div>
    </Page>
  );
}
