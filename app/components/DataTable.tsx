import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type FilterFn,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useSearchParams } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { displayCell, matchesColumnFilter, sortValue, toCsv, type CellValue, type ColumnKind, type ExportColumn } from "~/table";
import { parseTableState } from "~/filters";
import { useShell } from "~/root";
import { formatCount } from "~/format";

export interface TableColumn<Row> {
  id: string;
  header: string;
  kind: ColumnKind;
  value: (row: Row) => CellValue;
  /** custom cell (a link, a badge); the text for sorting/filtering/export still comes from value */
  render?: (row: Row) => ReactNode;
  /** hidden unless the user shows it */
  hidden?: boolean;
}

interface DataTableProps<Row> {
  columns: TableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  rowHref?: (row: Row) => string;
  onOpen?: (href: string) => void;
  exportName: string;
  /** POST target that turns { columns, rows } into an .xlsx */
  xlsxAction?: string;
  caption: string;
}

const URL_COLUMN_FILTER = "f.";

/** What a column filter accepts, shown as its placeholder. */
const filterHint: Record<ColumnKind, string> = { text: "包含", rate: "如 <60", score: "如 <80", wan: "如 >100", count: "如 >0" };

/**
 * The dashboard's table: sort, global and per-column filters, pagination and column visibility,
 * all kept in the URL (bookmarkable, back button). Exports write the rows that pass the current
 * filters, in the current order, with the visible columns.
 */
export function DataTable<Row>({ columns, rows, rowKey, rowHref, onOpen, exportName, xlsxAction, caption }: DataTableProps<Row>) {
  const [params, setParams] = useSearchParams();
  const state = parseTableState(params);

  const sorting: SortingState = useMemo(() => {
    if (!state.sort) return [];
    const [id, dir] = state.sort.split(".");
    return columns.some((c) => c.id === id) ? [{ id, desc: dir === "desc" }] : [];
  }, [state.sort, columns]);

  const columnFilters: ColumnFiltersState = useMemo(
    () =>
      columns
        .map((c) => ({ id: c.id, value: params.get(URL_COLUMN_FILTER + c.id) ?? "" }))
        .filter((f) => f.value !== ""),
    [params, columns],
  );

  const hiddenParam = params.get("hide");
  const columnVisibility: VisibilityState = useMemo(() => {
    const hidden = hiddenParam === null ? columns.filter((c) => c.hidden).map((c) => c.id) : hiddenParam.split(",").filter(Boolean);
    return Object.fromEntries(columns.map((c) => [c.id, !hidden.includes(c.id)]));
  }, [hiddenParam, columns]);

  // Typing goes to local state first; the URL follows shortly after (one history entry per pause).
  const [globalDraft, setGlobalDraft] = useState(state.q);
  const [columnDrafts, setColumnDrafts] = useState<Record<string, string>>(() =>
    Object.fromEntries(columnFilters.map((f) => [f.id, String(f.value)])),
  );
  const paramsRef = useRef(params);
  paramsRef.current = params;

  const update = (change: (next: URLSearchParams) => void, replace = false) => {
    const next = new URLSearchParams(paramsRef.current);
    change(next);
    setParams(next, { replace, preventScrollReset: true });
  };

  useEffect(() => {
    const t = setTimeout(() => {
      const current = paramsRef.current;
      const wantQ = globalDraft.trim();
      const changedQ = (current.get("q") ?? "") !== wantQ;
      const changedCols = columns.some((c) => (current.get(URL_COLUMN_FILTER + c.id) ?? "") !== (columnDrafts[c.id] ?? "").trim());
      if (!changedQ && !changedCols) return;
      update((next) => {
        if (wantQ) next.set("q", wantQ);
        else next.delete("q");
        for (const c of columns) {
          const v = (columnDrafts[c.id] ?? "").trim();
          if (v) next.set(URL_COLUMN_FILTER + c.id, v);
          else next.delete(URL_COLUMN_FILTER + c.id);
        }
        next.delete("page");
      }, true);
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [globalDraft, columnDrafts]);

  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);

  const columnFilterFn: FilterFn<Row> = (row, columnId, filterValue) => {
    const col = byId.get(columnId);
    return col ? matchesColumnFilter(col.kind, col.value(row.original), String(filterValue ?? "")) : true;
  };
  const globalFilterFn: FilterFn<Row> = (row, _columnId, filterValue) => {
    const needle = String(filterValue ?? "").trim().toLowerCase();
    if (!needle) return true;
    return columns.some((c) => displayCell(c.kind, c.value(row.original)).toLowerCase().includes(needle));
  };

  const defs: ColumnDef<Row>[] = useMemo(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: (row: Row) => sortValue(c.kind, c.value(row)),
        cell: (ctx) => (c.render ? c.render(ctx.row.original) : displayCell(c.kind, c.value(ctx.row.original))),
        sortUndefined: "last",
        sortingFn: c.kind === "text" ? "text" : "basic",
        filterFn: columnFilterFn,
        sortDescFirst: c.kind !== "text",
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns],
  );

  const table = useReactTable({
    data: rows,
    columns: defs,
    state: {
      sorting,
      columnFilters,
      globalFilter: state.q,
      columnVisibility,
      pagination: { pageIndex: state.page - 1, pageSize: state.size },
    },
    getRowId: (row) => rowKey(row),
    globalFilterFn,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    autoResetPageIndex: false,
    manualPagination: false,
  });

  const filteredRows = table.getPrePaginationRowModel().rows;
  const pageCount = Math.max(1, table.getPageCount());
  const pageIndex = Math.min(state.page - 1, pageCount - 1);
  const pageRows = filteredRows.slice(pageIndex * state.size, pageIndex * state.size + state.size);
  const visibleColumns = columns.filter((c) => columnVisibility[c.id] !== false);

  const setSort = (id: string) => {
    const current = sorting[0];
    const col = byId.get(id);
    const firstDesc = col?.kind !== "text";
    let next: string | null;
    if (!current || current.id !== id) next = `${id}.${firstDesc ? "desc" : "asc"}`;
    else if (current.desc === firstDesc) next = `${id}.${firstDesc ? "asc" : "desc"}`;
    else next = null;
    update((p) => {
      if (next) p.set("sort", next);
      else p.delete("sort");
      p.delete("page");
    });
  };

  const setPage = (page: number) =>
    update((p) => {
      if (page <= 1) p.delete("page");
      else p.set("page", String(page));
    });

  const toggleColumn = (id: string) =>
    update((p) => {
      const hidden = visibleColumns.length === columns.length ? [] : columns.filter((c) => columnVisibility[c.id] === false).map((c) => c.id);
      const nextHidden = hidden.includes(id) ? hidden.filter((h) => h !== id) : [...hidden, id];
      p.set("hide", nextHidden.join(","));
    }, true);

  const exportColumns: ExportColumn[] = visibleColumns.map((c) => ({ id: c.id, header: c.header, kind: c.kind }));
  const exportRows = () => filteredRows.map((r) => visibleColumns.map((c) => c.value(r.original)));

  const download = (blob: Blob, fileName: string) => {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const [exporting, setExporting] = useState<string | null>(null);
  const csrf = useShell()?.csrf ?? "";
  const exportCsv = () => download(new Blob([toCsv(exportColumns, exportRows())], { type: "text/csv;charset=utf-8" }), `${exportName}.csv`);
  const exportXlsx = async () => {
    if (!xlsxAction) return;
    setExporting("正在生成 Excel…");
    try {
      const res = await fetch(xlsxAction, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ title: caption, columns: exportColumns, rows: exportRows() }),
      });
      if (!res.ok) throw new Error(await res.text());
      download(await res.blob(), `${exportName}.xlsx`);
      setExporting(null);
    } catch (err) {
      console.warn("xlsx export failed", err);
      setExporting("导出失败，请重试");
    }
  };

  return (
    <div className="data-table">
      <div className="table-toolbar">
        <input
          type="search"
          aria-label="在表格中搜索"
          placeholder="搜索全部列…"
          value={globalDraft}
          onChange={(e) => setGlobalDraft(e.target.value)}
        />
        <span className="muted grow" data-testid="row-count">
          共 {formatCount(filteredRows.length)} 行{filteredRows.length !== rows.length ? `（全部 ${formatCount(rows.length)} 行）` : ""}
        </span>
        <details className="columns">
          <summary className="button">显示列</summary>
          <div className="columns-menu">
            {columns.map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={columnVisibility[c.id] !== false} onChange={() => toggleColumn(c.id)} />
                {c.header}
              </label>
            ))}
          </div>
        </details>
        <button type="button" className="button" onClick={exportCsv} data-testid="export-csv">
          导出 CSV
        </button>
        {xlsxAction ? (
          <button type="button" className="button" onClick={exportXlsx} data-testid="export-xlsx">
            导出 Excel
          </button>
        ) : null}
        {exporting ? <span className="muted">{exporting}</span> : null}
      </div>
      <div className="table-wrap">
        <table className="data" aria-label={caption}>
          <thead>
            <tr>
              {table.getVisibleLeafColumns().map((col) => {
                const c = byId.get(col.id);
                const dir = col.getIsSorted();
                return (
                  <th
                    key={col.id}
                    className={c && c.kind !== "text" ? "num" : undefined}
                    aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}
                    scope="col"
                  >
                    <button type="button" className="sort-button" onClick={() => setSort(col.id)} data-column={col.id}>
                      {c?.header}
                      <span className="sort-mark" aria-hidden="true">
                        {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
            <tr className="filters">
              {table.getVisibleLeafColumns().map((col) => {
                const c = byId.get(col.id);
                return (
                  <th key={col.id}>
                    <input
                      type="text"
                      aria-label={`筛选 ${c?.header ?? col.id}`}
                      placeholder={c ? filterHint[c.kind] : ""}
                      value={columnDrafts[col.id] ?? ""}
                      data-filter={col.id}
                      onChange={(e) => setColumnDrafts((d) => ({ ...d, [col.id]: e.target.value }))}
                    />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {pageRows.length === 0 ? (
              <tr>
                <td colSpan={visibleColumns.length} className="no-data">
                  没有符合条件的行
                </td>
              </tr>
            ) : (
              pageRows.map((row) => {
                const href = rowHref?.(row.original);
                return (
                  <tr
                    key={row.id}
                    className={href ? "clickable" : undefined}
                    tabIndex={href ? 0 : undefined}
                    onClick={(e) => {
                      if (!href || (e.target as HTMLElement).closest("a, button, input")) return;
                      onOpen?.(href);
                    }}
                    onKeyDown={(e) => {
                      if (!href || e.target !== e.currentTarget) return;
                      if (e.key === "Enter") onOpen?.(href);
                      // Arrow keys walk the rows like a list.
                      if (e.key === "ArrowDown") (e.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
                      if (e.key === "ArrowUp") (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
                    }}
                  >
                    {row.getVisibleCells().map((cell) => {
                      const c = byId.get(cell.column.id);
                      return (
                        <td key={cell.id} className={c && c.kind !== "text" ? "num" : undefined}>
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      );
                    })}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <label>
          每页{" "}
          <select
            value={state.size}
            aria-label="每页行数"
            style={{ minWidth: 0 }}
            onChange={(e) =>
              update((p) => {
                p.set("size", e.target.value);
                p.delete("page");
              })
            }
          >
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>{" "}
          行
        </label>
        <button type="button" onClick={() => setPage(pageIndex)} disabled={pageIndex === 0} aria-label="上一页">
          上一页
        </button>
        <span data-testid="page-info">
          第 {pageIndex + 1} / {pageCount} 页
        </span>
        <button type="button" onClick={() => setPage(pageIndex + 2)} disabled={pageIndex + 1 >= pageCount} aria-label="下一页">
          下一页
        </button>
      </div>
    </div>
  );
}
