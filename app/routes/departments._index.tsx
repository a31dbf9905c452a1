import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import type { DepartmentSummaryRow } from "../../db/queries/types";
import { DataTable, type TableColumn } from "~/components/DataTable";
import { Card, EmptyState, SectionView } from "~/components/Panels";
import { Page } from "~/components/Page";
import { filterSearch, isFiltered, withFilters } from "~/filters";
import { getDb } from "~/db.server";
import { parseFilter } from "~/filters";
import { section } from "~/section.server";
import { formatRate, rateClass } from "~/format";
import { getDepartmentTable } from "~/queries.server";
import { requireViewer } from "~/auth/session.server";
import { scopeFilter } from "~/auth/scope";


export const meta: MetaFunction = () => [{ title: "部门对比 · 绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const filter = parseFilter(new URL(request.url).searchParams);
  const table = await section("departmentTable", () => getDepartmentTable(getDb(), { filter: scopeFilter(filter, viewer) }));
  return json({ filter, table });
}

/** Sorting, paging and the table's own filters are client-side: only the report filters refetch. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (formMethod && formMethod !== "GET") return defaultShouldRevalidate;
  if (currentUrl.pathname !== nextUrl.pathname) return defaultShouldRevalidate;
  return filterSearch(currentUrl.searchParams) !== filterSearch(nextUrl.searchParams);
};

function useColumns(params: URLSearchParams): TableColumn<DepartmentSummaryRow>[] {
  return useMemo(
    () => [
      {
        id: "department",
        header: "部门",
        kind: "text",
        value: (r) => r.department,
        render: (r) => <Link to={withFilters(`/departments/${r.departmentId}`, params)}>{r.department}</Link>,
      },
      { id: "region", header: "地区", kind: "text", value: (r) => r.region },
      { id: "reports", header: "报告数", kind: "count", value: (r) => r.reports },
      { id: "budget", header: "预算（万元）", kind: "wan", value: (r) => r.budget },
      { id: "spent", header: "支出（万元）", kind: "wan", value: (r) => r.spent },
      {
        id: "executionRate",
        header: "执行率",
        kind: "rate",
        value: (r) => r.executionRate,
        render: (r) => <span className={rateClass(r.executionRate)}>{formatRate(r.executionRate)}</span>,
      },
      { id: "averageScore", header: "平均得分", kind: "score", value: (r) => r.averageScore },
      { id: "gradeA", header: "优", kind: "count", value: (r) => r.grades.优 },
      { id: "gradeB", header: "良", kind: "count", value: (r) => r.grades.良 },
      { id: "gradeC", header: "中", kind: "count", value: (r) => r.grades.中 },
      { id: "gradeD", header: "差", kind: "count", value: (r) => r.grades.差 },
      { id: "unmetIndicators", header: "未完成指标", kind: "count", value: (r) => r.unmetIndicators },
      { id: "findings", header: "审核问题", kind: "count", value: (r) => r.findings },
    ],
    [params],
  );
}

export default function Departments() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // Links inside cells keep the report filters, but not the table state of this page.
  const filterParams = useMemo(() => new URLSearchParams(filterSearch(params)), [params]);
  const columns = useColumns(filterParams);

  return (
    <Page title="部门对比" subtitle="各部门预算执行、评价得分与问题数量。点击表头排序，点击行查看部门详情。">
      <Card title="部门列表" wide>
        <SectionView section={data.table}>
          {(rows) =>
            rows.length === 0 ? (
              <EmptyState filtered={isFiltered(data.filter)} />
            ) : (
              <DataTable
                caption="部门对比"
                columns={columns}
                rows={rows}
                rowKey={(r) => String(r.departmentId)}
                rowHref={(r) => withFilters(`/departments/${r.departmentId}`, filterParams)}
                onOpen={(href) => navigate(href)}
                exportName="部门对比"
                xlsxAction="/departments.xlsx"
              />
            )
          }
        </SectionView>
      </Card>
    </Page>
  );
}
