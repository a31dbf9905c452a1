/**
 * Sessions: Remix's cookie session storage, signed (HMAC-SHA256) with the secret from
 * secret.server.ts. The cookie holds the user id, the user's session epoch and a CSRF token;
 * every request re-reads the user, so a disabled account or a changed password (which raises
 * the epoch) ends its sessions at once. The token itself never reaches a log or the database.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookieSessionStorage, redirect, type Session, type SessionStorage } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getUserById } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { sessionSecret } from "./secret.server";
import type { Viewer } from "./scope";

export type { Viewer };

interface SessionData {
  userId: number;
  epoch: number;
  csrf: string;
}

export const SESSION_COOKIE = "jixiao_session";
const MAX_AGE_SECONDS = 12 * 60 * 60;

const KEY = Symbol.for("jixiao.sessionStorage");
type Holder = { [KEY]?: SessionStorage<SessionData> };

function storage(): SessionStorage<SessionData> {
  const holder = globalThis as unknown as Holder;
  holder[KEY] ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      // behind HTTPS (COOKIE_SECURE=1) the cookie is never sent in clear
      secure: process.env.COOKIE_SECURE === "1",
      maxAge: MAX_AGE_SECONDS,
      secrets: [sessionSecret()],
    },
  });
  return holder[KEY];
}

export function getSession(request: Request): Promise<Session<SessionData>> {
  return storage().getSession(request.headers.get("Cookie"));
}

export function commitSession(session: Session<SessionData>): Promise<string> {
  return storage().commitSession(session);
}

export function destroySession(session: Session<SessionData>): Promise<string> {
  return storage().destroySession(session);
}

export function newCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}

export interface SignedIn extends Viewer {
  csrf: string;
}

/** The signed-in user of a request, or null (no cookie, bad signature, disabled, stale epoch). */
export async function getViewer(request: Request): Promise<SignedIn | null> {
  const session = await getSession(request);
  const userId = session.get("userId");
  const csrf = session.get("csrf");
  if (typeof userId !== "number" || typeof csrf !== "string") return null;
  const user = await getUserById(getDb(), { userId });
  if (!user || user.disabled || user.sessionEpoch !== session.get("epoch")) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, departmentIds: user.departmentIds, csrf };
}

export interface Requirement {
  roles?: readonly Role[];
  /** a download or an API call: a signed-out caller gets 401, not a redirect to the login page */
  api?: boolean;
}

/** A safe place to return to after login: a path on this site only. */
export function safeNext(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

/**
 * The viewer, or a thrown Response: signed out → redirect to /login (401 for downloads and API
 * calls); signed in without the role → 403.
 */
export async function requireViewer(request: Request, need: Requirement = {}): Promise<SignedIn> {
  const viewer = await getViewer(request);
  if (!viewer) {
    if (need.api) throw new Response("请先登录。", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (need.roles && !need.roles.includes(viewer.role)) throw new Response("您没有权限访问此页面。", { status: 403, statusText: "Forbidden" });
  return viewer;
}

export function tokensMatch(expected: string | undefined | null, given: unknown): boolean {
  if (typeof expected !== "string" || typeof given !== "string" || expected.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const CSRF_FAILED = () =>
  new Response("表单已过期或来源不明，请刷新页面后重试。", { status: 403, statusText: "Forbidden", headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** Throws 403 unless the request carries the session's CSRF token (form field _csrf or header X-CSRF-Token). */
export function checkCsrf(viewer: { csrf: string }, given: unknown): void {
  if (!tokensMatch(viewer.csrf, given)) throw CSRF_FAILED();
}

/** An action's form, read after the viewer and its CSRF token are checked. */
export async function requireForm(request: Request, need: Requirement = {}): Promise<{ viewer: SignedIn; form: FormData }> {
  const viewer = await requireViewer(request, need);
  const form = await request.formData();
  checkCsrf(viewer, form.get("_csrf"));
  return { viewer, form };
}

export function csrfHeader(request: Request): string | null {
  return request.headers.get("x-csrf-token");
}

/** The client address the Express server puts in the load context (app/server.ts). */
export function clientAddress(context: unknown): string {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof address === "string" && address ? address : "unknown";
}
