import { getDb } from "~/db.server";
import { getUserByName } from "../../db/queries/users";
import { dummyHash, verifyPassword } from "./passwords.server";
import { LoginLimiter, retryMessage } from "./ratelimit.server";
import { checkCsrf, clientAddress, commitSession, destroySession, getSession, getViewer, newCsrfToken, safeNext, tokensMatch } from "./session.server";
import { recordEvent } from "./audit.server";

const KEY = Symbol.for("jixiao.loginLimiter");
type Holder = { [KEY]?: LoginLimiter };

/** One limiter for the process (the server and the Remix bundle are two copies of this module). */
export function loginLimiter(): LoginLimiter {
  const holder = globalThis as unknown as Holder;
  holder[KEY] ??= new LoginLimiter();
  return holder[KEY];
}

export async function loginPage(request: Request): Promise<{ redirect: string } | { csrf: string; next: string; cookie: string }> {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await getViewer(request)) return { redirect: next };
  const session = await getSession(request);
  let csrf = session.get("csrf");
  if (typeof csrf !== "string") {
    csrf = newCsrfToken();
    session.set("csrf", csrf);
  }
  return { csrf, next, cookie: await commitSession(session) };
}

export type LoginOutcome =
  | { ok: true; next: string; cookie: string }
  | { ok: false; status: number; error: string; cookie?: string };

const WRONG = "用户名或密码错误。";

export async function attemptLogin(request: Request, context: unknown): Promise<LoginOutcome> {
  const session = await getSession(request);
  const form = await request.formData();
  if (!tokensMatch(session.get("csrf"), form.get("_csrf"))) {
    return { ok: false, status: 403, error: "登录页面已过期，请刷新页面后重新登录。" };
  }
  const username = String(form.get("username") ?? "").trim().slice(0, 64);
  const password = String(form.get("password") ?? "").slice(0, 200);
  const next = safeNext(String(form.get("next") ?? "/"));
  const address = clientAddress(context);
  const limiter = loginLimiter();
  const wait = limiter.retryAfter(username, address);
  if (wait > 0) {
    await recordEvent(getDb(), { actor: null, actorName: username, action: "login.blocked", address, detail: {} });
    return { ok: false, status: 429, error: retryMessage(wait) };
  }
  const db = getDb();
  const user = username ? await getUserByName(db, { username }) : null;
  // verify against a dummy hash for unknown names, so that timing does not tell which names exist
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !valid || user.disabled) {
    limiter.fail(username, address);
    await recordEvent(db, { actor: user?.id ?? null, actorName: username, action: "login.failed", address, detail: user?.disabled && valid ? { reason: "disabled" } : {} });
    const after = limiter.retryAfter(username, address);
    return { ok: false, status: after > 0 ? 429 : 401, error: after > 0 ? retryMessage(after) : user?.disabled && valid ? "该账号已停用，请联系管理员。" : WRONG };
  }
  limiter.succeed(username);
  // a fresh token on login: one learnt before signing in is worth nothing after
  session.set("userId", user.id);
  session.set("epoch", user.sessionEpoch);
  session.set("csrf", newCsrfToken());
  await recordEvent(db, { actor: user.id, actorName: user.username, action: "login", address, detail: {} });
  return { ok: true, next, cookie: await commitSession(session) };
}

export async function logout(request: Request, context: unknown): Promise<string> {
  const viewer = await getViewer(request);
  const session = await getSession(request);
  if (viewer) {
    const form = await request.formData();
    checkCsrf(viewer, form.get("_csrf"));
    await recordEvent(getDb(), { actor: viewer.id, actorName: viewer.username, action: "logout", address: clientAddress(context), detail: {} });
  }
  return destroySession(session);
}
