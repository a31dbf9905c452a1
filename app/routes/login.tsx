/**
 * /login — sign in. The form carries a CSRF token from a pre-login session cookie; failures are
 * counted per account and address (auth/ratelimit.server.ts) and answer the same message whether
 * the account exists or not.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { attemptLogin, loginPage } from "~/auth/login.server";

export const meta: MetaFunction = () => [{ title: "登录 · 绩效分析" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loginPage(request);
  if ("redirect" in page) return redirect(page.redirect);
  return json({ csrf: page.csrf, next: page.next }, { headers: { "Set-Cookie": page.cookie } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const outcome = await attemptLogin(request, context);
  if (outcome.ok) return redirect(outcome.next, { headers: { "Set-Cookie": outcome.cookie } });
  return json({ error: outcome.error }, { status: outcome.status, headers: outcome.cookie ? { "Set-Cookie": outcome.cookie } : undefined });
}

export default function Login() {
  const { csrf, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="login-card card">
      <div className="card-body">
        <h1>登录</h1>
        <p className="muted">预算绩效评价报告分析平台</p>
        <Form method="post" replace>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="next" value={next} />
          <label className="field">
            用户名
            <input name="username" autoComplete="username" required maxLength={64} autoFocus />
          </label>
          <label className="field">
            密码
            <input name="password" type="password" autoComplete="current-password" required maxLength={200} />
          </label>
          {result?.error ? (
            <p className="panel-error" role="alert" data-testid="login-error">
              {result.error}
            </p>
          ) : null}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "登录中…" : "登录"}
          </button>
        </Form>
      </div>
    </div>
  );
}
