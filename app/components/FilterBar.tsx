import { Form, useLocation, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import type { FormEvent } from "react";
import type { FilterOptions } from "../../db/queries/types";
import { formatEvaluationType } from "~/format";

interface FilterBarProps {
  options: FilterOptions;
  /** the department page fixes the department itself */
  hideDepartment?: boolean;
  /** search params of the page itself to carry over when a filter changes */
  keepParams?: string[];
}

/**
 * A GET form over the current path: each change navigates to a new URL, so filters are bookmarkable
 * and the back button steps through them. Table sort/page are dropped because the rows change.
 */
export function FilterBar({ options, hideDepartment, keepParams }: FilterBarProps) {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location?.pathname === location.pathname;
  const active = ["year", "region", "dept", "type"].some((k) => params.get(k));

  // Empty selects are left out so URLs stay short and readable ("?year=2023", not "?year=2023&region=").
  // A page's own settings (the briefing's thresholds) survive a filter change; table sort/page do not.
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    const next = new URLSearchParams();
    for (const [k, v] of params) if (keepParams?.includes(k)) next.append(k, v);
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) next.append(k, v);
    const qs = next.toString();
    navigate(qs ? `${location.pathname}?${qs}` : location.pathname);
  };

  return (
    <Form method="get" action={location.pathname} className="filter-bar" onChange={onChange} aria-label="筛选">
      <label>
        <span>年度</span>
        <select name="year" defaultValue={params.get("year") ?? ""} key={`y${params.get("year")}`}>
          <option value="">全部年度</option>
          {options.years.map((y) => (
            <option key={y} value={y}>
              {y}年
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>地区</span>
        <select name="region" defaultValue={params.get("region") ?? ""} key={`r${params.get("region")}`}>
          <option value="">全部地区</option>
          {options.regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {hideDepartment ? null : (
        <label>
          <span>部门</span>
          <select name="dept" defaultValue={params.get("dept") ?? ""} key={`d${params.get("dept")}`}>
            <option value="">全部部门</option>
            {options.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span>评价类型</span>
        <select name="type" defaultValue={params.get("type") ?? ""} key={`t${params.get("type")}`}>
          <option value="">全部类型</option>
          {options.evaluationTypes.map((t) => (
            <option key={t} value={t}>
              {formatEvaluationType(t)}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit">筛选</button>
      </noscript>
      {active ? (
        <a className="filter-reset" href={location.pathname}>
          清除筛选
        </a>
      ) : null}
      {busy ? <span className="filter-busy">加载中…</span> : null}
    </Form>
  );
}
