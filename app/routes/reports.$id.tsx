import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { Card, GradeBadge, num, PlainTable } from "~/components/Panels";
import { Page } from "~/components/Page";
import {
  formatEvaluationType,
  formatKind,
  formatPlain,
  formatRate,
  formatScore,
  formatSeverity,
  formatWan,
  formatYear,
  MISSING,
  formatCount,
  formatFileName,
  formatFindingCode,
  rateClass,
  ratioPercent,
} from "~/format";
import { parseId } from "~/filters";
import { loadReportPage } from "~/pages/report.server";
import { clientAddress, requireForm, requireViewer } from "~/auth/session.server";
import { STAFF_ROLES, canReview } from "~/auth/scope";
import { reportAction } from "~/pages/report-actions.server";
import { CsrfInput, useShell } from "~/root";
import { VersionsCard } from "~/versions/VersionsCard";
import { CorrectionsCard } from "~/components/CorrectionsCard";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.projectName ?? data?.title ?? "报告"} · 绩效分析` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const id = parseId(params.id);
  if (id === null) throw new Response("该报告不存在。", { status: 404, statusText: "Not Found" });
  const search = new URL(request.url).searchParams;
  const compare = { a: parseId(search.get("a") ?? undefined), b: parseId(search.get("b") ?? undefined) };
  return json(await loadReportPage(id, viewer, compare));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, form } = await requireForm(request, { roles: STAFF_ROLES });
  const id = parseId(params.id);
  if (id === null) throw new Response("该报告不存在。", { status: 404, statusText: "Not Found" });
  const result = await reportAction(id, viewer, form, clientAddress(context));
  if ("redirect" in result) return redirect(result.redirect);
  return json(result, { status: 400 });
}

/** Clicking a value highlights the source line it was read from. */
const SourceContext = createContext<{ line: number | null; show: (line: number) => void }>({ line: null, show: () => {} });

function Src({ line, children }: { line: number | null | undefined; children: ReactNode }) {
  const { show } = useContext(SourceContext);
  if (!line) return <>{children}</>;
  return (
    <button type="button" className="src-link" onClick={() => show(line)} title={`查看原文第 ${line} 行`} data-line={line}>
      {children}
    </button>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default function ReportPage() {
  const r = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const viewer = useShell()?.viewer;
  const staff = canReview(viewer);
  const [line, setLine] = useState<number | null>(null);
  const sourceRef = useRef<HTMLDivElement>(null);
  const p = (field: string) => r.provenance[field];

  const show = useCallback((n: number) => {
    setLine(n);
    history.replaceState(history.state, "", `#L${n}`);
  }, []);

  // A link to #L12 opens with that line highlighted.
  useEffect(() => {
    const m = /^#L(\d+)$/.exec(window.location.hash);
    if (m) setLine(Number(m[1]));
  }, []);

  useEffect(() => {
    if (line === null) return;
    const el = sourceRef.current?.querySelector<HTMLElement>(`[data-source-line="${line}"]`);
    el?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, [line]);

  const unmet = r.indicators.filter((i) => i.met === false).length;
  const corrected = new Set(r.corrections.filter((c) => c.applied).map((c) => c.target));
  /** "（已更正）" beside a figure an analyst corrected */
  const mark = (target: string) => (corrected.has(target) ? <span className="tag tag-warn" title="经人工更正，见“审核与更正”">已更正</span> : null);
  const targets = [
    { value: "report||budget_initial", label: "年初预算（万元）", current: formatWan(r.budget.initial) },
    { value: "report||budget_adjusted", label: "调整后预算（万元）", current: formatWan(r.budget.adjusted) },
    { value: "report||spent", label: "实际支出（万元）", current: formatWan(r.budget.spent) },
    { value: "report||score", label: "自评得分", current: formatScore(r.score.total) },
    { value: "report||grade", label: "评价等级", current: r.score.grade ?? MISSING },
    ...r.indicators.flatMap((i) => [
      { value: `indicator|${i.normalizedName}|target`, label: `指标“${i.name}”指标值`, current: i.target ?? MISSING },
      { value: `indicator|${i.normalizedName}|actual`, label: `指标“${i.name}”实际完成值`, current: i.actual ?? MISSING },
      { value: `indicator|${i.normalizedName}|met`, label: `指标“${i.name}”是否达成`, current: i.met === null ? MISSING : i.met ? "达成" : "未达成" },
    ]),
    ...r.lineItems.flatMap((l) => [
      { value: `line_item|${l.name}|budget`, label: `明细“${l.name}”预算（万元）`, current: formatWan(l.budget) },
      { value: `line_item|${l.name}|spent`, label: `明细“${l.name}”支出（万元）`, current: formatWan(l.spent) },
    ]),
  ];
  const title = r.projectName ?? r.title ?? `报告 ${r.id}`;

  return (
    <SourceContext.Provider value={{ line, show }}>
      <Page
        title={title}
        subtitle={r.title && r.title !== title ? r.title : undefined}
        filters={false}
        breadcrumb={
          <>
            <Link to="/departments">部门对比</Link> /{" "}
            {r.departmentId ? <Link to={`/departments/${r.departmentId}`}>{r.department}</Link> : (r.department ?? "未注明部门")} / 报告详情
          </>
        }
        actions={
          <div className="card-actions">
            <button type="button" className="button" onClick={() => window.print()}>
              打印
            </button>
            {staff ? (
              <Form method="post" className="inline-form" onSubmit={(e) => !confirm("删除后报告移入回收站，可由管理员恢复。确定删除？") && e.preventDefault()}>
                <CsrfInput />
                <input type="hidden" name="intent" value="delete" />
                <button type="submit" className="button" data-testid="delete-report">
                  删除
                </button>
              </Form>
            ) : null}
          </div>
        }
      >
        {failed && "error" in failed ? (
          <p className="panel-error" role="alert">
            {failed.error}
          </p>
        ) : null}
        <div className="report-layout">
          <div className="stack">
            <Card title="基本信息">
              <dl className="facts">
                <Fact label="项目名称">
                  <Src line={p("projectName")}>{r.projectName ?? MISSING}</Src>
                </Fact>
                <Fact label="主管部门">
                  <Src line={p("department")}>{r.department ?? MISSING}</Src>
                </Fact>
                <Fact label="实施单位">
                  <Src line={p("implementingUnit")}>{r.implementingUnit ?? MISSING}</Src>
                </Fact>
                <Fact label="地区">
                  <Src line={p("region")}>{r.region ?? MISSING}</Src>
                </Fact>
                <Fact label="年度">
                  <Src line={p("year")}>{formatYear(r.year)}</Src>
                </Fact>
                <Fact label="评价方式">
                  <Src line={p("evaluationType")}>{formatEvaluationType(r.evaluationType)}</Src>
                </Fact>
                <Fact label="报告类型">{formatKind(r.kind)}</Fact>
                <Fact label="总分 / 等级">
                  <Src line={p("score.total")}>{formatScore(r.score.total)}</Src> {mark("report||score")} <GradeBadge grade={r.score.grade} /> {mark("report||grade")}
                  {r.score.grade && !r.score.gradeStated ? <span className="muted">（按得分判定）</span> : null}
                </Fact>
                <Fact label="源文件">
                  {formatFileName(r.source.fileName)} <span className="muted">（{r.source.format}）</span>
                </Fact>
              </dl>
            </Card>

            <Card title="预算执行（万元）">
              <dl className="facts">
                <Fact label="年初预算">
                  <Src line={p("budget.initial")}>{formatWan(r.budget.initial)}</Src> {mark("report||budget_initial")}
                </Fact>
                <Fact label="全年预算（调整后）">
                  <Src line={p("budget.adjusted")}>{formatWan(r.budget.adjusted)}</Src> {mark("report||budget_adjusted")}
                </Fact>
                <Fact label="实际到位">
                  <Src line={p("budget.received")}>{formatWan(r.budget.received)}</Src>
                </Fact>
                <Fact label="实际支出">
                  <Src line={p("budget.spent")}>{formatWan(r.budget.spent)}</Src> {mark("report||spent")}
                </Fact>
                <Fact label="执行率（计算）">
                  <span className={rateClass(r.budget.executionRate)}>{formatRate(r.budget.executionRate)}</span>
                  <span className="muted">{r.budget.basisKind === "initial" ? "（按年初预算）" : r.budget.basisKind === "adjusted" ? "（按调整后预算）" : ""}</span>
                </Fact>
                <Fact label="执行率（报告所述）">
                  <Src line={p("budget.executionRate")}>{formatRate(r.budget.executionRateStated)}</Src>
                </Fact>
              </dl>
              {r.sources.length ? (
                <>
                  <h3>资金来源</h3>
                  <PlainTable short headings={["来源", num("年初预算"), num("全年预算"), num("执行数"), num("执行率")]}>
                    {r.sources.map((s) => (
                      <tr key={s.position}>
                        <td>
                          <Src line={s.sourceLine}>{s.name}</Src>
                        </td>
                        <td className="num">{formatWan(s.initial)}</td>
                        <td className="num">{formatWan(s.adjusted)}</td>
                        <td className="num">{formatWan(s.spent)}</td>
                        <td className="num">{formatRate(s.executionRate)}</td>
                      </tr>
                    ))}
                  </PlainTable>
                </>
              ) : null}
            </Card>

            {r.findings.length ? (
              <Card title={`审核发现（${formatCount(r.findings.length)}）`}>
                <ul className="list-plain" data-testid="findings">
                  {r.findings.map((f) => (
                    <li key={f.id}>
                      <span className={`sev-${f.severity}`}>[{formatSeverity(f.severity)}]</span> {formatFindingCode(f.code)} <code className="muted">{f.code}</code>
                      <div>
                        <Src line={f.sourceLine}>{f.message}</Src>
                      </div>
                    </li>
                  ))}
                </ul>
              </Card>
            ) : null}

            {r.categories.length ? (
              <Card title="一级指标得分">
                <PlainTable short headings={["指标", num("权重"), num("得分"), num("得分率"), { label: <span className="sr-only">得分率图示</span>, width: "30%" }]}>
                  {r.categories.map((c) => {
                    const share = ratioPercent(c.score, c.weight);
                    return (
                      <tr key={c.position}>
                        <td>
                          <Src line={c.sourceLine}>{c.name}</Src>
                        </td>
                        <td className="num">{formatScore(c.weight)}</td>
                        <td className="num">{formatScore(c.score)}</td>
                        <td className="num">{formatRate(share)}</td>
                        <td>
                          {share !== null ? (
                            <div className="bar-mini" aria-hidden="true">
                              <span style={{ width: `${Math.min(100, Number(share))}%` }} />
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </PlainTable>
              </Card>
            ) : null}

            {r.indicators.length ? (
              <Card title={`绩效指标（${formatCount(r.indicators.length)} 项，未完成 ${formatCount(unmet)} 项）`}>
                <PlainTable testId="indicators" headings={["类型", "指标", "年度指标值", "实际完成值", num("分值"), num("得分"), "完成情况", "偏差原因"]}>
                  {r.indicators.map((i) => (
                    <tr key={i.position} className={i.met === false ? "unmet" : undefined}>
                      <td>{i.type}</td>
                      <td>
                        <Src line={i.sourceLine}>{i.name}</Src>
                      </td>
                      <td>{i.target ?? MISSING}</td>
                      <td>{i.actual ?? MISSING}</td>
                      <td className="num">{formatScore(i.weight)}</td>
                      <td className="num">{formatScore(i.score)}</td>
                      <td>
                        {i.met === false ? (
                          <span className="tag tag-bad">未完成</span>
                        ) : i.met === true ? (
                          <span className="tag">已完成</span>
                        ) : (
                          <span className="muted">未判定</span>
                        )}
                      </td>
                      <td>
                        {i.deviationReason ?? (i.met === false ? <span className="muted">未说明</span> : "")}
                        {i.causeLabel && i.met === false ? (
                          <div>
                            <span className="tag tag-warn">{i.causeLabel}</span>
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </PlainTable>
              </Card>
            ) : null}

            {r.scoreItems.length ? (
              <Card title="评价指标评分">
                <PlainTable headings={["一级", "二级", "指标", num("分值"), num("得分")]}>
                  {r.scoreItems.map((s) => (
                    <tr key={s.position}>
                      <td>{s.level1 ?? ""}</td>
                      <td>{s.level2 ?? ""}</td>
                      <td>
                        <Src line={s.sourceLine}>{s.name}</Src>
                      </td>
                      <td className="num">{formatScore(s.weight)}</td>
                      <td className="num">{formatScore(s.score)}</td>
                    </tr>
                  ))}
                </PlainTable>
              </Card>
            ) : null}

            {r.lineItems.length ? (
              <Card title="项目明细（万元）">
                <PlainTable headings={["项目", num("预算"), num("支出"), "资金下达"]}>
                  {r.lineItems.map((l) => (
                    <tr key={l.position} className={l.allocated ? undefined : "unmet"}>
                      <td>
                        <Src line={l.sourceLine}>{l.name}</Src>
                      </td>
                      <td className="num">{formatWan(l.budget)}</td>
                      <td className="num">{formatWan(l.spent)}</td>
                      <td>{l.allocated ? "已下达" : <span className="tag tag-bad">未下达</span>}</td>
                    </tr>
                  ))}
                </PlainTable>
              </Card>
            ) : null}
            <CorrectionsCard corrections={r.corrections} review={r.review} canReview={staff} targets={targets} />
            <VersionsCard history={r.history} compare={r.compare} canManage={staff} />
          </div>

          <div className="source-card card">
            <header className="card-head">
              <h2>报告原文</h2>
              <div className="card-actions">
                <span className="muted">{line ? `第 ${formatPlain(line)} 行` : "点击左侧带下划线的数值定位原文"}</span>
              </div>
            </header>
            <div className="card-body">
              {r.sourceLines ? (
                <div className="source-text" ref={sourceRef} data-testid="source-text">
                  <ol>
                    {r.sourceLines.map((text, idx) => (
                      <li key={idx} data-source-line={idx + 1} className={line === idx + 1 ? "hl" : undefined}>
                        <span className="ln">{idx + 1}</span>
                        <span className="tx">{text || " "}</span>
                      </li>
                    ))}
                  </ol>
                  {r.sourceLineCount > r.sourceLines.length ? (
                    <p className="card-note">原文共 {formatCount(r.sourceLineCount)} 行，此处显示前 {formatCount(r.sourceLines.length)} 行。</p>
                  ) : null}
                </div>
              ) : (
                <p className="no-data">未保存原文</p>
              )}
            </div>
          </div>
        </div>
      </Page>
    </SourceContext.Provider>
  );
}
