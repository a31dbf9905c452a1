import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { Chart, type ChartClick } from "~/components/Chart";
import { Card, EmptyState, NoData, num, PlainTable, SectionView } from "~/components/Panels";
import { Page, useRowLink } from "~/components/Page";
import { countBarHeight, countBarOption, type CountBarDatum } from "~/charts/bars";
import { formatCount, formatRate } from "~/format";
import { isFiltered, parseFilter, withFilters } from "~/filters";
import { getDb } from "~/db.server";
import { section } from "~/section.server";
import { requireViewer } from "~/auth/session.server";
import { scopeFilter } from "~/auth/scope";
import { getDeviationCauses, getUnmetIndicatorList, getUnmetIndicators } from "~/queries.server";

export const meta: MetaFunction = () => [{ title: "指标分析 · 绩效分析" }];

const causeParam = z.string().max(40).optional().catch(undefined);
/** Drill-down from the type and name tables: ?itype=数量 or ?iname=培训人数 lists those unmet indicators. */
const typeParam = z.string().min(1).max(20).optional().catch(undefined);
const nameParam = z.string().min(1).max(100).optional().catch(undefined);

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const viewer = await requireViewer(request);
  const asked = parseFilter(params);
  const filter = scopeFilter(asked, viewer);
  const selectedCause = causeParam.parse(params.get("cause") ?? undefined);
  const selectedType = typeParam.parse(params.get("itype") ?? undefined);
  const selectedName = selectedType === undefined ? nameParam.parse(params.get("iname") ?? undefined) : undefined;
  const db = getDb();
  const [byType, causes, byName, byDepartment, unmetList] = await Promise.all([
    section("unmetByType", () => getUnmetIndicators(db, { filter, by: "type" })),
    // Examples are the drill-down: a selected cause gets a long list, the others a few.
    section("causes", () => getDeviationCauses(db, { filter, examples: selectedCause !== undefined ? 50 : 3 })),
    section("unmetByName", () => getUnmetIndicators(db, { filter, by: "name", limit: 20 })),
    section("unmetByDepartment", () => getUnmetIndicators(db, { filter, by: "department", limit: 30 })),
    selectedType !== undefined || selectedName !== undefined
      ? section("unmetList", () => getUnmetIndicatorList(db, { filter, type: selectedType, name: selectedName, limit: 200 }))
      : null,
  ]);
  const drill = selectedType !== undefined ? { by: "type" as const, value: selectedType } : selectedName !== undefined ? { by: "name" as const, value: selectedName } : null;
  return json({ filter: asked, selectedCause: selectedCause ?? null, byType, causes, byName, byDepartment, drill, unmetList });
}

export default function Indicators() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const rowLink = useRowLink();

  const drillHref = (by: "itype" | "iname", value: string) => {
    const next = new URLSearchParams(params);
    next.delete("itype");
    next.delete("iname");
    next.set(by, value);
    return `/indicators?${next.toString()}#unmet-detail`;
  };

  const causeHref = (cause: string) => {
    const next = new URLSearchParams(params);
    next.set("cause", cause);
    return `/indicators?${next.toString()}#cause-detail`;
  };

  const typeOption = useMemo(
    () => (data.byType.ok ? countBarOption(data.byType.data.filter((r) => r.unmet > 0).map((r) => ({ label: r.label, value: r.unmet })), "未完成指标", "项", "#c0392b") : null),
    [data.byType],
  );
  const causeBars = useMemo(
    () => (data.causes.ok ? data.causes.data.filter((c) => c.unmet > 0).map((c) => ({ label: c.label, value: c.unmet, href: causeHref(c.cause || "none") })) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data.causes, params],
  );
  const causeOption = useMemo(() => (causeBars.length ? countBarOption(causeBars, "未完成指标", "项", "#d18b1f") : null), [causeBars]);
  const openCause = (e: ChartClick) => {
    const href = (e.data as CountBarDatum | undefined)?.href;
    if (href) navigate(href, { preventScrollReset: true });
  };

  const totalUnmet = data.byType.ok ? data.byType.data.reduce((s, r) => s + r.unmet, 0) : null;
  const selected = data.causes.ok && data.selectedCause !== null ? data.causes.data.find((c) => (c.cause || "none") === data.selectedCause) : undefined;

  return (
    <Page title="指标分析" subtitle={totalUnmet !== null ? `未完成的绩效指标共 ${formatCount(totalUnmet)} 项：按类型、原因、名称和部门分析` : "未完成的绩效指标分析"}>
      {totalUnmet === 0 && data.byType.ok && data.byType.data.every((r) => r.indicators === 0) ? (
        <EmptyState filtered={isFiltered(data.filter)} />
      ) : (
        <div className="grid">
          <Card title="未完成指标（按类型）" actions={<span className="muted">点击查看明细</span>}>
            <SectionView section={data.byType}>
              {(rows) =>
                rows.length ? (
                  <>
                    {typeOption && rows.some((r) => r.unmet > 0) ? (
                      <Chart id="chart-unmet-type" label="未完成指标按类型" option={typeOption} height={countBarHeight(rows.filter((r) => r.unmet > 0).length)} />
                    ) : null}
                    <PlainTable short testId="unmet-by-type" headings={["类型", num("指标数"), num("已判定"), num("未完成"), num("未完成率")]}>
                      {rows.map((r) => (
                        <tr key={r.key} {...(r.unmet > 0 ? rowLink(drillHref("itype", r.key)) : {})}>
                          <td>{r.unmet > 0 ? <Link to={drillHref("itype", r.key)} preventScrollReset>{r.label}</Link> : r.label}</td>
                          <td className="num">{formatCount(r.indicators)}</td>
                          <td className="num">{formatCount(r.judged)}</td>
                          <td className="num">{formatCount(r.unmet)}</td>
                          <td className="num">{formatRate(r.unmetShare)}</td>
                        </tr>
                      ))}
                    </PlainTable>
                  </>
                ) : (
                  <NoData />
                )
              }
            </SectionView>
          </Card>
          <Card title="未完成原因" actions={<span className="muted">点击查看对应报告</span>}>
            <SectionView section={data.causes}>
              {() => (causeOption ? <Chart id="chart-causes" label="未完成原因分布" option={causeOption} height={countBarHeight(causeBars.length)} onItemClick={openCause} /> : <NoData text="没有未完成的指标" />)}
            </SectionView>
            {data.causes.ok ? (
              <ul className="list-plain">
                {data.causes.data
                  .filter((c) => c.unmet > 0)
                  .map((c) => (
                    <li key={c.cause || "none"}>
                      <Link to={causeHref(c.cause || "none")} preventScrollReset>
                        {c.label}
                      </Link>{" "}
                      <span className="muted">
                        {formatCount(c.unmet)} 项，其中说明原因 {formatCount(c.withReason)} 项
                      </span>
                    </li>
                  ))}
              </ul>
            ) : null}
          </Card>

          {selected ? (
            <Card title={`原因明细：${selected.label}`} wide>
              <PlainTable
                id="cause-detail"
                testId="cause-examples"
                headings={["指标", "部门", num("年度"), "偏差原因"]}
                footer={
                  selected.unmet > selected.examples.length ? (
                    <p className="card-note">
                      共 {formatCount(selected.unmet)} 项，列出 {formatCount(selected.examples.length)} 项。
                    </p>
                  ) : null
                }
              >
                {selected.examples.map((e, i) => (
                  <tr key={`${e.reportId}-${i}`} {...rowLink(`/reports/${e.reportId}`)}>
                    <td>
                      <Link to={`/reports/${e.reportId}`}>{e.indicator}</Link>
                    </td>
                    <td>{e.department ?? "—"}</td>
                    <td className="num">{e.year ?? "—"}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </PlainTable>
            </Card>
          ) : null}

          {data.drill && data.unmetList ? (
            <Card wide title={`未完成指标明细：${data.drill.by === "type" ? `${data.drill.value}类` : `“${data.drill.value}”`}`}>
              <SectionView section={data.unmetList}>
                {(rows) =>
                  rows.length ? (
                    <PlainTable
                      id="unmet-detail"
                      testId="unmet-detail"
                      headings={["指标", "部门", num("年度"), "项目", "年度指标值", "实际完成值", "偏差原因"]}
                      footer={rows.length >= 200 ? <p className="card-note">列出最近的 200 项。</p> : null}
                    >
                      {rows.map((r, i) => (
                        <tr key={`${r.reportId}-${i}`} {...rowLink(`/reports/${r.reportId}`)}>
                          <td>
                            <Link to={`/reports/${r.reportId}`}>{r.indicator}</Link>
                          </td>
                          <td>{r.department ?? "—"}</td>
                          <td className="num">{r.year ?? "—"}</td>
                          <td>{r.projectName ?? "—"}</td>
                          <td>{r.target ?? "—"}</td>
                          <td>{r.actual ?? "—"}</td>
                          <td>{r.reason ?? "—"}</td>
                        </tr>
                      ))}
                    </PlainTable>
                  ) : (
                    <NoData text="没有符合条件的未完成指标" />
                  )
                }
              </SectionView>
            </Card>
          ) : null}

          <Card title="最常未完成的指标" actions={<span className="muted">点击查看明细</span>}>
            <SectionView section={data.byName}>
              {(rows) =>
                rows.length ? (
                  <PlainTable short testId="unmet-by-name" headings={["指标名称", num("出现"), num("未完成"), num("未完成率")]}>
                    {rows.map((r) => (
                      <tr key={r.key} {...rowLink(drillHref("iname", r.key))}>
                        <td>
                          <Link to={drillHref("iname", r.key)} preventScrollReset>
                            {r.label}
                          </Link>
                        </td>
                        <td className="num">{formatCount(r.indicators)}</td>
                        <td className="num">{formatCount(r.unmet)}</td>
                        <td className="num">{formatRate(r.unmetShare)}</td>
                      </tr>
                    ))}
                  </PlainTable>
                ) : (
                  <NoData />
                )
              }
            </SectionView>
          </Card>
          <Card title="未完成指标（按部门）" actions={<span className="muted">点击查看部门报告</span>}>
            <SectionView section={data.byDepartment}>
              {(rows) =>
                rows.length ? (
                  <PlainTable short testId="unmet-by-department" headings={["部门", num("指标数"), num("未完成"), num("未完成率")]}>
                    {rows.map((r) => {
                      const href = r.departmentId ? withFilters(`/departments/${r.departmentId}`, params) : null;
                      return (
                        <tr key={r.key} {...(href ? rowLink(href) : {})}>
                          <td>{href ? <Link to={href}>{r.label}</Link> : r.label}</td>
                          <td className="num">{formatCount(r.indicators)}</td>
                          <td className="num">{formatCount(r.unmet)}</td>
                          <td className="num">{formatRate(r.unmetShare)}</td>
                        </tr>
                      );
                    })}
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
