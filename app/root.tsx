import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  type ShouldRevalidateFunction,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import styles from "~/styles/app.css";
import { filterSearch } from "~/filters";
import { loadShell } from "~/shell.server";
import { getViewer } from "~/auth/session.server";
import { ROLE_LABELS, type Viewer } from "~/auth/scope";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "绩效 · 预算绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  // Signed out, the shell says nothing about the store: only the login page renders.
  if (!viewer) return json({ ...(await loadShell(null)), viewer: null, csrf: null });
  const { csrf, ...who } = viewer;
  return json({ ...(await loadShell(viewer)), viewer: who as Viewer, csrf });
}

export type RootData = Awaited<ReturnType<typeof loadShell>> & { viewer: Viewer | null; csrf: string | null };

/** Set from the last shell data seen in the browser (see App). */
let shellWasEmpty = false;

/**
 * The filter options change only when reports are added: re-read them after a form submission,
 * when leaving the upload page, or while the store still looks empty — not on every click.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, currentUrl, defaultShouldRevalidate }) => {
  if (formMethod && formMethod !== "GET") return defaultShouldRevalidate;
  return shellWasEmpty || currentUrl.pathname.startsWith("/upload");
};

export function useShell(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root") as RootData | undefined;
}

type Role = Viewer["role"];
const ALL: Role[] = ["admin", "analyst", "reporter"];
const STAFF: Role[] = ["admin", "analyst"];
/** Links shown to a role; the server checks the same roles in every loader and action. */
const navItems: { to: string; label: string; keepFilters: boolean; roles: Role[] }[] = [
  { to: "/", label: "总览", keepFilters: true, roles: ALL },
  { to: "/departments", label: "部门对比", keepFilters: true, roles: ALL },
  { to: "/indicators", label: "指标分析", keepFilters: true, roles: ALL },
  { to: "/quality", label: "数据质量", keepFilters: true, roles: ALL },
  { to: "/review", label: "待审核", keepFilters: false, roles: STAFF },
  { to: "/briefing", label: "简报", keepFilters: true, roles: STAFF },
  { to: "/upload", label: "上传", keepFilters: false, roles: ALL },
  { to: "/admin/users", label: "用户", keepFilters: false, roles: ["admin"] },
  { to: "/admin/audit", label: "操作日志", keepFilters: false, roles: ["admin"] },
  { to: "/admin/trash", label: "回收站", keepFilters: false, roles: ["admin"] },
];

/** Only routes that exist are linked (the list above names the ones of later slices too). */
const BUILT = new Set(["/", "/departments", "/indicators", "/quality", "/review", "/briefing", "/upload", "/admin/trash", "/admin/audit"]);

export function CsrfInput() {
  const shell = useShell();
  return <input type="hidden" name="_csrf" value={shell?.csrf ?? ""} />;
}

function UserMenu({ viewer }: { viewer: Viewer }) {
  return (
    <form method="post" action="/logout" className="user-menu">
      <span className="user-name" data-testid="signed-in-as">
        {viewer.displayName || viewer.username} · {ROLE_LABELS[viewer.role]}
      </span>
      <CsrfInput />
      <button type="submit" className="link-button">
        退出
      </button>
    </form>
  );
}

function Nav({ viewer }: { viewer: Viewer }) {
  const location = useLocation();
  const search = filterSearch(new URLSearchParams(location.search));
  return (
    <nav className="nav" aria-label="主导航">
      {navItems.filter((item) => item.roles.includes(viewer.role) && BUILT.has(item.to)).map((item) => (
        <NavLink
          key={item.to}
          to={item.keepFilters && search ? `${item.to}?${search}` : item.to}
          end={item.to === "/"}
          prefetch="intent"
          className={({ isActive }) => (isActive ? "nav-link active" : "nav-link")}
        >
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const shell = useShell();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <div className="shell">
          <header className="topbar">
            <a className="brand" href="/">
              <span className="brand-mark" aria-hidden="true">
                绩
              </span>
              <span className="brand-text">
                <strong>绩效分析</strong>
                <small>预算绩效评价报告分析平台</small>
              </span>
            </a>
            {shell?.viewer ? <Nav viewer={shell.viewer} /> : null}
            {shell?.viewer ? <UserMenu viewer={shell.viewer} /> : null}
          </header>
          <main className="main">{children}</main>
          <footer className="footer">金额单位：万元 · 执行率 = 支出合计 ÷ 预算合计</footer>
        </div>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const shell = useShell();
  shellWasEmpty = shell?.empty ?? false;
  // Marks the page interactive: browser tests wait for it before they click or type.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

/** The one error boundary: 404s from unknown ids, and anything else without a stack trace. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const notFound = error.status === 404;
    return (
      <div className="error-page">
        <h1>{notFound ? "未找到" : `出错了（${error.status}）`}</h1>
        <p>{notFound ? (typeof error.data === "string" && error.data ? error.data : "您要查看的页面或记录不存在。") : "请求无法完成。"}</p>
        <p>
          <a href="/">返回总览</a>
        </p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <h1>出错了</h1>
      <p>页面加载时发生错误，请稍后重试。如问题持续，请联系系统管理员。</p>
      <p>
        <a href="/">返回总览</a>
      </p>
    </div>
  );
}
