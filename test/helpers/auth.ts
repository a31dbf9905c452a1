/**
 * Signed-in requests for tests that call loaders and actions in-process: accounts are created
 * with known passwords and signed in through the real login action, so every test request carries
 * a cookie the app itself issued.
 */
import type { DB } from "../../db/connection";
import { insertUser } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { hashPassword } from "../../app/auth/passwords.server";
import type { Viewer } from "../../app/auth/scope";

export const PASSWORD = "correct horse battery";

export interface TestAccount {
  viewer: Viewer;
  cookie: string;
  csrf: string;
}

type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
type Handler = (args: Args) => Promise<Response>;

/** "a=b; Path=/; HttpOnly" → "a=b" */
export function cookieOf(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0];
}

export async function createAccount(db: DB, username: string, role: Role, departmentIds: number[] = []): Promise<number> {
  return insertUser(db, { username, role, departmentIds, passwordHash: await hashPassword(PASSWORD) });
}

/** Signs in through /login's loader (for the pre-login CSRF token) and action. */
export async function signIn(username: string, password = PASSWORD, address = "127.0.0.1"): Promise<{ status: number; cookie: string | null; body: unknown }> {
  const { loader, action } = await import("../../app/routes/login");
  const page = (await (loader as unknown as Handler)({ request: new Request("http://test/login"), params: {}, context: {} })) as Response;
  const preCookie = cookieOf(page.headers.get("set-cookie"));
  const { csrf } = (await page.json()) as { csrf: string };
  const body = new URLSearchParams({ _csrf: csrf, username, password, next: "/" });
  let res: Response;
  try {
    res = await (action as unknown as Handler)({
      request: new Request("http://test/login", { method: "POST", body, headers: { cookie: preCookie, "content-type": "application/x-www-form-urlencoded" } }),
      params: {},
      context: { clientAddress: address },
    });
  } catch (thrown) {
    if (thrown instanceof Response) res = thrown;
    else throw thrown;
  }
  const set = res.headers.get("set-cookie");
  return { status: res.status, cookie: res.status === 302 && set ? cookieOf(set) : null, body: res.status === 302 ? null : await res.json() };
}

/** The CSRF token of a signed-in cookie, as the root loader hands it to the page. */
export async function csrfOf(cookie: string): Promise<string> {
  const { loader } = await import("../../app/root");
  const res = (await (loader as unknown as Handler)({ request: new Request("http://test/", { headers: { cookie } }), params: {}, context: {} })) as Response;
  const data = (await res.json()) as { csrf: string | null };
  if (!data.csrf) throw new Error("not signed in");
  return data.csrf;
}

export async function account(db: DB, username: string, role: Role, departmentIds: number[] = []): Promise<TestAccount> {
  const id = await createAccount(db, username, role, departmentIds);
  const { cookie } = await signIn(username);
  if (!cookie) throw new Error(`sign-in of ${username} failed`);
  return { viewer: { id, username, displayName: null, role, departmentIds }, cookie, csrf: await csrfOf(cookie) };
}

export const ANALYST_VIEWER: Viewer = { id: 0, username: "test-analyst", displayName: null, role: "analyst", departmentIds: [] };
