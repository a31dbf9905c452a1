/**
 * npm run user -- add <name> --role admin|analyst|reporter [--dept <id|名称>]… [--name <显示名>] [--password-stdin]
 * npm run user -- passwd <name> [--password-stdin]
 * npm run user -- disable <name> | enable <name> | list
 *
 * Manages accounts in DATABASE_PATH (default data/jixiao.db). A password is generated and printed
 * once unless --password-stdin reads one (so that it never appears in the shell history or ps).
 */
import { parseArgs } from "node:util";
import { migrateToLatest, openDatabaseAt } from "../../db/connection";
import { databaseLocation } from "../db.server";
import { findDepartmentByName, getUserByName, insertUser, listUsers, setUserDisabled, setUserPassword } from "../../db/queries/users";
import { insertAuditEvent } from "../../db/queries/audit";
import type { Role } from "../../db/schema";
import { generatePassword, hashPassword, passwordProblem } from "../auth/passwords.server";
import { ROLE_LABELS } from "../auth/scope";

const USAGE = `usage:
  npm run user -- add <name> --role admin|analyst|reporter [--dept <id|名称>]… [--name <显示名>] [--password-stdin]
  npm run user -- passwd <name> [--password-stdin]
  npm run user -- disable <name>
  npm run user -- enable <name>
  npm run user -- list`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      dept: { type: "string", multiple: true },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
  });
  const [command, username] = positionals;
  const { db } = openDatabaseAt(databaseLocation(process.env));
  try {
    await migrateToLatest(db);
    const audit = (action: string, target: { id: number; label: string }) =>
      insertAuditEvent(db, { actor: null, actorName: "(命令行)", action, address: "cli", target: { type: "user", ...target } });
    const password = async () => {
      const p = values["password-stdin"] ? await readStdin() : generatePassword();
      const problem = passwordProblem(p);
      if (problem) throw new UsageError(problem);
      return { password: p, generated: !values["password-stdin"] };
    };
    if (command === "list") {
      for (const u of await listUsers(db, {})) {
        const depts = u.departments.map((d) => d.name).join("、");
        console.log(`${u.username}\t${ROLE_LABELS[u.role]}${u.disabled ? "\t(已停用)" : ""}${depts ? `\t${depts}` : ""}`);
      }
      return;
    }
    if (!username) throw new UsageError("name missing");
    if (command === "add") {
      const role = values.role as Role | undefined;
      if (!role || !["admin", "analyst", "reporter"].includes(role)) throw new UsageError("--role must be admin, analyst or reporter");
      if (await getUserByName(db, { username })) throw new UsageError(`user ${username} exists`);
      const departmentIds: number[] = [];
      for (const d of values.dept ?? []) {
        const found = /^\d+$/.test(d) ? await db.selectFrom("departments").select(["id", "name"]).where("id", "=", Number(d)).executeTakeFirst() : await findDepartmentByName(db, { name: d });
        if (!found) throw new UsageError(`no department ${d}`);
        departmentIds.push(found.id);
      }
      if (role === "reporter" && departmentIds.length === 0) throw new UsageError("a reporter needs --dept");
      const p = await password();
      const id = await insertUser(db, { username, role, departmentIds, displayName: values.name ?? null, passwordHash: await hashPassword(p.password) });
      await audit("user.add", { id, label: username });
      console.log(`added ${username} (${ROLE_LABELS[role]})`);
      if (p.generated) console.log(`password (shown once): ${p.password}`);
      return;
    }
    const user = await getUserByName(db, { username });
    if (!user) throw new UsageError(`no user ${username}`);
    if (command === "passwd") {
      const p = await password();
      await setUserPassword(db, { userId: user.id, passwordHash: await hashPassword(p.password) });
      await audit("user.passwd", { id: user.id, label: username });
      console.log(`password of ${username} changed; its sessions are ended`);
      if (p.generated) console.log(`password (shown once): ${p.password}`);
      return;
    }
    if (command === "disable" || command === "enable") {
      await setUserDisabled(db, { userId: user.id, disabled: command === "disable" });
      await audit(`user.${command}`, { id: user.id, label: username });
      console.log(`${username} ${command}d`);
      return;
    }
    throw new UsageError(`unknown command ${command ?? ""}`);
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof UsageError || (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
