/**
 * Accounts. The password hash is computed by the caller (app/auth): db/ stores what it is given and
 * never sees a password.
 */
import type { DB } from "../connection";
import type { Role } from "../schema";

export interface UserRow {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  disabled: boolean;
  sessionEpoch: number;
  departmentIds: number[];
}

export interface UserWithHash extends UserRow {
  passwordHash: string;
}

type Raw = {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  disabled: number;
  session_epoch: number;
  password_hash: string;
};

async function departmentsOf(db: DB, userIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom("user_departments")
    .select(["user_id", "department_id"])
    .where("user_id", "in", userIds)
    .orderBy("department_id")
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.department_id]);
  return out;
}

function toUser(r: Raw, departmentIds: number[]): UserWithHash {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled !== 0,
    sessionEpoch: r.session_epoch,
    departmentIds,
    passwordHash: r.password_hash,
  };
}

const COLUMNS = ["id", "username", "display_name", "role", "disabled", "session_epoch", "password_hash"] as const;

export async function getUserByName(db: DB, params: { username: string }): Promise<UserWithHash | null> {
  const r = await db.selectFrom("users").select(COLUMNS).where("username", "=", params.username).executeTakeFirst();
  if (!r) return null;
  return toUser(r, (await departmentsOf(db, [r.id])).get(r.id) ?? []);
}

export async function getUserById(db: DB, params: { userId: number }): Promise<UserWithHash | null> {
  const r = await db.selectFrom("users").select(COLUMNS).where("id", "=", params.userId).executeTakeFirst();
  if (!r) return null;
  return toUser(r, (await departmentsOf(db, [r.id])).get(r.id) ?? []);
}

export async function countUsers(db: DB, _params: object = {}): Promise<number> {
  const r = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface UserListRow extends UserRow {
  departments: { id: number; name: string }[];
}

export async function listUsers(db: DB, _params: object = {}): Promise<UserListRow[]> {
  const rows = await db.selectFrom("users").select(COLUMNS).orderBy("username").execute();
  const links = await db
    .selectFrom("user_departments")
    .innerJoin("departments", "departments.id", "user_departments.department_id")
    .select(["user_departments.user_id", "departments.id", "departments.name"])
    .orderBy("departments.id")
    .execute();
  return rows.map((r) => {
    const departments = links.filter((l) => l.user_id === r.id).map((l) => ({ id: l.id, name: l.name }));
    const { passwordHash: _hash, ...user } = toUser(r, departments.map((d) => d.id));
    return { ...user, departments };
  });
}

export async function insertUser(
  db: DB,
  params: { username: string; displayName?: string | null; passwordHash: string; role: Role; departmentIds?: number[] },
): Promise<number> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("users")
      .values({
        username: params.username,
        display_name: params.displayName ?? null,
        password_hash: params.passwordHash,
        role: params.role,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const departmentId of params.departmentIds ?? []) {
      await trx.insertInto("user_departments").values({ user_id: id, department_id: departmentId }).execute();
    }
    return id;
  });
}

/** A new password ends every session of the user (session_epoch). */
export async function setUserPassword(db: DB, params: { userId: number; passwordHash: string }): Promise<void> {
  await db
    .updateTable("users")
    .set((eb) => ({ password_hash: params.passwordHash, session_epoch: eb("session_epoch", "+", 1), updated_at: new Date().toISOString() }))
    .where("id", "=", params.userId)
    .execute();
}

/** Disabling (or enabling) ends every session of the user. */
export async function setUserDisabled(db: DB, params: { userId: number; disabled: boolean }): Promise<void> {
  await db
    .updateTable("users")
    .set((eb) => ({ disabled: params.disabled ? 1 : 0, session_epoch: eb("session_epoch", "+", 1), updated_at: new Date().toISOString() }))
    .where("id", "=", params.userId)
    .execute();
}

export async function setUserRole(db: DB, params: { userId: number; role: Role; departmentIds: number[] }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set((eb) => ({ role: params.role, session_epoch: eb("session_epoch", "+", 1), updated_at: new Date().toISOString() }))
      .where("id", "=", params.userId)
      .execute();
    await trx.deleteFrom("user_departments").where("user_id", "=", params.userId).execute();
    for (const departmentId of params.departmentIds) {
      await trx.insertInto("user_departments").values({ user_id: params.userId, department_id: departmentId }).execute();
    }
  });
}

/** The department names a reporter may report for, normalised as the loader keys them. */
export async function departmentKeys(db: DB, params: { departmentIds: number[] }): Promise<{ id: number; name: string; normalizedName: string }[]> {
  if (params.departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom("departments")
    .select(["id", "name", "normalized_name"])
    .where("id", "in", params.departmentIds)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, normalizedName: r.normalized_name }));
}

export async function findDepartmentByName(db: DB, params: { name: string }): Promise<{ id: number; name: string } | null> {
  const r = await db
    .selectFrom("departments")
    .select(["id", "name"])
    .where((eb) => eb.or([eb("name", "=", params.name), eb("normalized_name", "=", params.name)]))
    .executeTakeFirst();
  return r ?? null;
}

/** The first department by name, for the demo reporter. */
export async function firstDepartment(db: DB, _params: object = {}): Promise<{ id: number; name: string } | null> {
  return (await db.selectFrom("departments").select(["id", "name"]).orderBy("id").limit(1).executeTakeFirst()) ?? null;
}
