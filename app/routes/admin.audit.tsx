/** /admin/audit — 操作日志 with filters (action, who, dates) and an .xlsx export of what is filtered. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Card, PlainTable } from "~/components/Panels";
import { Page } from "~/components/Page";
import { requireViewer } from "~/auth/session.server";
import { loadAuditPage } from "~/audit.server";
import { ACTION_LABELS, describeDetail } from "~/audit";
import { time } from "~/versions/VersionsCard";

export const meta: MetaFunction = () => [{ title: "操作日志 · 绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: ["admin"] });
  return json(await loadAuditPage(new URL(request.url).searchParams));
}

export default function Audit() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const exportParams = new URLSearchParams(params);
  exportParams.delete("page");
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };
  return (
    <Page title="操作日志" subtitle="登录、上传、替换、删除、恢复、更正和审核：谁、何时、做了什么、从哪个地址" filters={false}>
      <Form method="get" className="filter-bar" data-testid="audit-filters">
        <label>
          操作
          <select name="action" defaultValue={data.filter.action ?? ""}>
            <option value="">全部</option>
            {data.actions.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a] ?? a}
              </option>
            ))}
          </select>
        </label>
        <label>
          操作人
          <input name="actor" defaultValue={data.filter.actor ?? ""} maxLength={64} />
        </label>
        <label>
          起始日期
          <input type="date" name="from" defaultValue={data.filter.from ?? ""} />
        </label>
        <label>
          截止日期
          <input type="date" name="to" defaultValue={data.filter.to ?? ""} />
        </label>
        <button type="submit" className="button">
          筛选
        </button>
        <Link to="/admin/audit" className="filter-reset">
          清除
        </Link>
      </Form>
      <Card
        title={`共 ${data.total} 条`}
        actions={
          <a className="button" href={`/admin/audit.xlsx?${exportParams}`} data-testid="audit-export">
            导出 Excel
          </a>
        }
      >
        <PlainTable headings={["时间", "操作人", "操作", "对象", "来源地址", "详情"]}>
          {data.rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action}>
              <td style={{ whiteSpace: "nowrap" }}>{time(r.at)}</td>
              <td>{r.actorName}</td>
              <td>{ACTION_LABELS[r.action] ?? r.action}</td>
              <td>
                {r.targetType === "report" && r.targetId ? <Link to={`/reports/${r.targetId}`}>{r.targetLabel || `报告 ${r.targetId}`}</Link> : (r.targetLabel ?? "")}
              </td>
              <td>{r.address}</td>
              <td className="muted">{describeDetail(r)}</td>
            </tr>
          ))}
        </PlainTable>
        {data.pages > 1 ? (
          <div className="pager">
            {data.page > 1 ? <Link to={pageLink(data.page - 1)}>上一页</Link> : null}
            <span>
              第 {data.page} / {data.pages} 页
            </span>
            {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>下一页</Link> : null}
          </div>
        ) : null}
      </Card>
    </Page>
  );
}
