import type { DB } from "../../db/connection";
import { countUsers, firstDepartment, insertUser } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { generatePassword, hashPassword } from "./passwords.server";

/**
 * A store without accounts gets three demo accounts, one per role, with generated passwords that
 * are printed this once (to the terminal that ran `npm start`) and stored only as hashes. The
 * reporter is bound to the first department on file.
 */
export async function ensureDemoUsers(db: DB, print: (line: string) => void = console.log): Promise<boolean> {
  if ((await countUsers(db, {})) > 0) return false;
  const department = await firstDepartment(db, {});
  const accounts: { username: string; displayName: string; role: Role; departmentIds: number[] }[] = [
    { username: "admin", displayName: "系统管理员", role: "admin", departmentIds: [] },
    { username: "analyst", displayName: "绩效分析员", role: "analyst", departmentIds: [] },
    { username: "reporter", displayName: department ? `${department.name}填报员` : "填报员", role: "reporter", departmentIds: department ? [department.id] : [] },
  ];
  const lines: string[] = [];
  for (const a of accounts) {
    const password = generatePassword();
    await insertUser(db, { ...a, passwordHash: await hashPassword(password) });
    lines.push(`  ${a.role.padEnd(9)} ${a.username.padEnd(9)} ${password}${a.role === "reporter" && department ? `  (${department.name})` : ""}`);
  }
  print("demo accounts created — these passwords are shown once and stored only as argon2id hashes:");
  for (const l of lines) print(l);
  print("change them with `npm run user -- passwd <name>`; add accounts with `npm run user -- add`.");
  return true;
}
