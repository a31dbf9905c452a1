/**
 * Accounts and sessions through the real login and logout handlers: argon2id hashes, signed
 * cookies, CSRF, the login rate limit, and sessions ended by a new password or a disabled account.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, useDatabase } from "~/db.server";
import * as overview from "~/routes/_index";
import * as logout from "~/routes/logout";
import * as login from "~/routes/login";
import { loginLimiter } from "~/auth/login.server";
import { hashPassword, verifyPassword, generatePassword } from "~/auth/passwords.server";
import { LoginLimiter } from "~/auth/ratelimit.server";
import { safeNext } from "~/auth/session.server";
import { ensureDemoUsers } from "~/auth/demo-users.server";
import { getUserByName, setUserDisabled, setUserPassword } from "../../db/queries/users";
import { createFixtureDb, type FixtureDb } from "../app/fixture";
import { createAccount, csrfOf, PASSWORD, signIn } from "../helpers/auth";
import { call } from "./requests";

let fx: FixtureDb;
beforeAll(async () => {
  fx = await createFixtureDb();
  useDatabase(fx.db, fx.close);
  await createAccount(fx.db, "ana", "analyst");
});
afterAll(() => closeDb());
beforeEach(() => loginLimiter().reset());

const signedIn = async (cookie: string | null) => (await call(overview.loader, { url: "/", cookie: cookie ?? undefined })).status === 200;

describe("passwords", () => {
  it("are stored as argon2id hashes that verify only the right password", async () => {
    const stored = (await getUserByName(fx.db, { username: "ana" }))!.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verifyPassword(stored, PASSWORD)).toBe(true);
    expect(await verifyPassword(stored, PASSWORD + "x")).toBe(false);
    expect(await verifyPassword("garbage", PASSWORD)).toBe(false);
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored); // salted
  });

  it("generated passwords are long and differ", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(generatePassword()).not.toBe(a);
  });
});

describe("login and logout", () => {
  it("the right password signs in, with a fresh CSRF token; the wrong one says so without telling which part", async () => {
    const ok = await signIn("ana");
    expect(ok.status).toBe(302);
    expect(await signedIn(ok.cookie)).toBe(true);
    const wrong = await signIn("ana", "not the password");
    expect(wrong).toMatchObject({ status: 401, cookie: null, body: { error: "用户名或密码错误。" } });
    const nobody = await signIn("nobody", PASSWORD);
    expect(nobody).toMatchObject({ status: 401, body: { error: "用户名或密码错误。" } });
  });

  it("a login without the login page's token is refused", async () => {
    const body = new URLSearchParams({ username: "ana", password: PASSWORD });
    const res = await call(login.action, { method: "POST", url: "/login", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(403);
    expect(res.response.headers.get("set-cookie")).toBeNull();
  });

  it("a tampered cookie is no session", async () => {
    const { cookie } = await signIn("ana");
    const [name, value] = cookie!.split("=");
    const tampered = `${name}=${value.slice(0, -3)}${value.endsWith("AAA") ? "BBB" : "AAA"}`;
    expect(await signedIn(tampered)).toBe(false);
    const visitor = await call(overview.loader, { url: "/?year=2023" });
    expect(visitor.status).toBe(302);
    expect(visitor.location).toBe("/login?next=%2F%3Fyear%3D2023");
  });

  it("logout needs the token and ends the session cookie", async () => {
    const { cookie } = await signIn("ana");
    const csrf = await csrfOf(cookie!);
    const form = (token: string) => ({ method: "POST" as const, url: "/logout", cookie: cookie!, body: new URLSearchParams({ _csrf: token }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await call(logout.action, form("wrong"))).status).toBe(403);
    const out = await call(logout.action, form(csrf));
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    expect(out.response.headers.get("set-cookie")).toMatch(/jixiao_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it("a new password or a disabled account ends the sessions already open", async () => {
    await createAccount(fx.db, "rita", "analyst");
    const user = (await getUserByName(fx.db, { username: "rita" }))!;
    const first = await signIn("rita");
    expect(await signedIn(first.cookie)).toBe(true);
    await setUserPassword(fx.db, { userId: user.id, passwordHash: await hashPassword("another password 1") });
    expect(await signedIn(first.cookie)).toBe(false);
    const second = await signIn("rita", "another password 1");
    expect(await signedIn(second.cookie)).toBe(true);
    await setUserDisabled(fx.db, { userId: user.id, disabled: true });
    expect(await signedIn(second.cookie)).toBe(false);
    expect(await signIn("rita", "another password 1")).toMatchObject({ status: 401, body: { error: "该账号已停用，请联系管理员。" } });
  });

  it("next= only ever leads back into the site", () => {
    expect(safeNext("/reports/3?x=1")).toBe("/reports/3?x=1");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "", null]) expect(safeNext(bad)).toBe("/");
  });
});

describe("login rate limit", () => {
  it("after 5 failures the account is locked for a while, with a clear message, even with the right password", async () => {
    for (let i = 0; i < 4; i++) expect((await signIn("ana", "wrong")).status).toBe(401);
    const fifth = await signIn("ana", "wrong");
    expect(fifth).toMatchObject({ status: 429, body: { error: "登录失败次数过多，请 15 分钟后再试。" } });
    expect(await signIn("ana")).toMatchObject({ status: 429, cookie: null });
  });

  it("counts per address too, and a window passing lets the account in again", () => {
    const limiter = new LoginLimiter({ windowMs: 1000, maxPerAccount: 3, maxPerAddress: 5 });
    for (let i = 0; i < 5; i++) limiter.fail(`user${i}`, "198.51.100.1", 0);
    expect(limiter.retryAfter("someone-else", "198.51.100.1", 10)).toBe(990);
    expect(limiter.retryAfter("someone-else", "198.51.100.2", 10)).toBe(0);
    for (let i = 0; i < 3; i++) limiter.fail("bob", `203.0.113.${i}`, 100);
    expect(limiter.retryAfter("BOB", "203.0.113.9", 200)).toBe(900);
    expect(limiter.retryAfter("bob", "203.0.113.9", 1100)).toBe(0);
  });
});

describe("demo accounts", () => {
  it("an account-less store gets admin, analyst and a reporter bound to a department; passwords are printed once", async () => {
    const e = await createFixtureDb();
    const lines: string[] = [];
    expect(await ensureDemoUsers(e.db, (l) => lines.push(l))).toBe(true);
    const reporter = (await getUserByName(e.db, { username: "reporter" }))!;
    expect(reporter.role).toBe("reporter");
    expect(reporter.departmentIds).toHaveLength(1);
    expect((await getUserByName(e.db, { username: "admin" }))!.role).toBe("admin");
    const password = /admin\s+(\S{16})/.exec(lines.join("\n"))![1];
    expect(await verifyPassword((await getUserByName(e.db, { username: "admin" }))!.passwordHash, password)).toBe(true);
    // a second start prints nothing
    expect(await ensureDemoUsers(e.db, (l) => lines.push(l))).toBe(false);
    e.close();
  });
});
