import type { ReactNode } from "react";
import { useNavigate } from "@remix-run/react";
import { useShell } from "~/root";
import { FilterBar } from "./FilterBar";
import { EmptyState } from "./Panels";

/** Page frame: title, the filter bar, and the empty-store state in place of the content. */
export function Page({
  title,
  subtitle,
  breadcrumb,
  actions,
  children,
  filters = true,
  hideDepartmentFilter,
  keepParams,
}: {
  title: string;
  subtitle?: ReactNode;
  breadcrumb?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  filters?: boolean;
  hideDepartmentFilter?: boolean;
  /** the page's own search params that a filter change keeps */
  keepParams?: string[];
}) {
  const shell = useShell();
  const empty = shell?.empty ?? false;
  return (
    <>
      <div className="page-head">
        <div>
          {breadcrumb ? <div className="breadcrumb">{breadcrumb}</div> : null}
          <h1>{title}</h1>
          {subtitle ? <p>{subtitle}</p> : null}
        </div>
        {actions ? <div className="no-print">{actions}</div> : null}
      </div>
      {filters && shell && !shell.failed && !empty ? <FilterBar options={shell.options} hideDepartment={hideDepartmentFilter} keepParams={keepParams} /> : null}
      {empty ? <EmptyState /> : children}
    </>
  );
}

/** Row props that make a table row open a page by mouse or keyboard (Tab to it, Enter). */
export function useRowLink() {
  const navigate = useNavigate();
  return (href: string) => ({
    className: "clickable",
    tabIndex: 0,
    onClick: (e: React.MouseEvent) => {
      // Let real links inside the row work on their own (and open in a new tab with Ctrl).
      if ((e.target as HTMLElement).closest("a, button, input")) return;
      navigate(href);
    },
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === "Enter" && e.target === e.currentTarget) navigate(href);
    },
  });
}
