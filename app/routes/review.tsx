/** /review — 待审核: current reports not yet reviewed that have error findings, warnings or a key figure missing. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, PlainTable, num } from "~/components/Panels";
import { Page } from "~/components/Page";
import { requireViewer } from "~/auth/session.server";
import { STAFF_ROLES } from "~/auth/scope";
import { getDb } from "~/db.server";
import { parseFilter } from "~/filters";
import { reviewQueue } from "~/corrections.server";
import { time } from "~/versions/VersionsCard";

export const meta: MetaFunction = () => [{ title: "待审核 · 绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: STAFF_ROLES });
  const filter = parseFilter(new URL(request.url).searchParams);
  return json({ queue: await reviewQueue(getDb(), { filter, limit: 500 }) });
}

export default function Review() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <Page title="待审核" subtitle="有错误或警告、或缺少预算、支出、得分的报告：核对原文，更正误读的数值，再标记已审核">
      <Card title={`待审核报告（${queue.total} 份${queue.total > queue.rows.length ? `，显示前 ${queue.rows.length} 份` : ""}）`}>
        {queue.rows.length === 0 ? (
          <p className="no-data">没有待审核的报告。</p>
        ) : (
          <PlainTable headings={["报告", "部门", "年度", num("错误"), num("警告"), "缺少", "入库时间"]}>
            {queue.rows.map((r) => (
              <tr key={r.reportId} data-testid="review-row">
                <td>
                  <Link to={`/reports/${r.reportId}#corrections`}>{r.label || `报告 ${r.reportId}`}</Link>
                </td>
                <td>{r.department ?? ""}</td>
                <td>{r.year ?? ""}</td>
                <td className="num">{r.errors ? <span className="sev-error">{r.errors}</span> : 0}</td>
                <td className="num">{r.warnings}</td>
                <td>{r.missing.join("、")}</td>
                <td>{time(r.uploadedAt)}</td>
              </tr>
            ))}
          </PlainTable>
        )}
      </Card>
    </Page>
  );
}
